/**
 * Training a single-domain tagger: batches from the seeded Rng, the mean CRF NLL plus weight decay
 * (paper E5 + λ·L_reg), dev F1 (conlleval) after every epoch, the best epoch's parameters kept and
 * restored at the end.
 */
import { type Sentence, type EncodedSentence, makeBatches } from '../data/index.ts';
import type { EvalResult } from '../eval/index.ts';
import { Tagger, type TaggerConfig } from '../nn/index.ts';
import { Rng } from '../tensor/index.ts';
import * as ops from '../ops/index.ts';
import type { Variable } from '../autodiff/index.ts';
import { makeOptimizer } from './optimizerFactory.ts';
import { l2Penalty } from './weightDecay.ts';
import { trainLoop, type StepProgress, type EpochReport, type TrainResult } from './trainLoop.ts';
import { snapshotParameters, restoreSnapshot } from './snapshot.ts';
import { evaluateTagger, type TaggerVocab } from './taggerData.ts';

export interface TrainTaggerOptions {
  epochs: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  /** Multiply the learning rate by `rate` every `steps` steps (staircase). */
  lrDecay?: { rate: number; steps: number };
  clipNorm?: number;
  /** λ of Σ ½‖θ‖² over all parameters except embedding tables. */
  weightDecay: number;
  /** Early stopping: epochs without a better dev F1. */
  patience?: number;
  seed: number;
  checkFinite?: boolean;
  /** Adjusts the freshly initialised tagger before training (e.g. loads pretrained embeddings). */
  init?(tagger: Tagger): void;
  onStep?(p: StepProgress): void;
  onEpoch?(r: EpochReport & { dev: EvalResult }): void;
  /** Called with the tagger holding the best parameters so far (e.g. to save a model file). */
  onBest?(tagger: Tagger, epoch: number, dev: EvalResult): void;
}

export interface TaggerData {
  train: { sentences: readonly Sentence[]; encoded: readonly EncodedSentence[] };
  dev: { sentences: readonly Sentence[]; encoded: readonly EncodedSentence[] };
}

/** Parameters that weight decay applies to: everything but embedding tables (as in the paper's code). */
export function decayedParameters(model: { namedParameters(): Map<string, Variable> }): Variable[] {
  return [...model.namedParameters()].filter(([name]) => !name.endsWith('.table')).map(([, v]) => v);
}

/** Builds a tagger from `config` (initialised from `options.seed`) and trains it. */
export function trainTagger(config: TaggerConfig, vocab: TaggerVocab, data: TaggerData, options: TrainTaggerOptions): { tagger: Tagger; result: TrainResult; dev: EvalResult | null } {
  const rng = new Rng(options.seed);
  const tagger = new Tagger(config, rng.fork());
  options.init?.(tagger);
  const params = tagger.parameters();
  const decayed = decayedParameters(tagger);
  const optimizer = makeOptimizer(options.optimizer, params, options.learningRate);
  const dataRng = rng.fork();
  let best: { snapshot: ReturnType<typeof snapshotParameters>; dev: EvalResult } | null = null;
  let lastDev: EvalResult | null = null;
  const result = trainLoop({
    epochs: options.epochs,
    optimizer,
    patience: options.patience,
    clipNorm: options.clipNorm,
    checkFinite: options.checkFinite,
    schedule: options.lrDecay ? { initialLearningRate: options.learningRate, decayRate: options.lrDecay.rate, decaySteps: options.lrDecay.steps, staircase: true } : undefined,
    makeEpoch: () => makeBatches(data.train.encoded, options.batchSize, dataRng, { sortByLength: true }).map((batch) => () => {
      const nll = tagger.loss(batch, true);
      const loss = options.weightDecay > 0 ? ops.add(nll, l2Penalty(decayed, options.weightDecay)) : nll;
      return { loss, tokens: batch.lengths.reduce((a, b) => a + b, 0), terms: { nll: nll.value.item() } };
    }),
    evaluate: () => {
      lastDev = evaluateTagger(tagger, data.dev.sentences, data.dev.encoded, vocab);
      return { score: lastDev.f1, details: lastDev };
    },
    onBest: (epoch) => {
      best = { snapshot: snapshotParameters(params), dev: lastDev! };
      options.onBest?.(tagger, epoch, lastDev!);
    },
    onStep: options.onStep,
    onEpoch: (r) => options.onEpoch?.({ ...r, dev: r.details as EvalResult }),
  });
  const kept = best as { snapshot: ReturnType<typeof snapshotParameters>; dev: EvalResult } | null;
  if (kept) restoreSnapshot(params, kept.snapshot);
  return { tagger, result, dev: kept?.dev ?? null };
}
