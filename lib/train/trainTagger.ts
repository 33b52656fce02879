/**
 * Training a single-domain tagger: the `target-only` configuration of the one trainer
 * (trainTransfer.ts) with the corpus as the target. Dev F1 (conlleval) after every epoch selects
 * the parameters that are kept.
 */
import type { EvalResult } from '../eval/index.ts';
import type { Tagger, TaggerConfig } from '../nn/index.ts';
import { METHODS } from '../transfer/index.ts';
import type { StepProgress, EpochReport, TrainResult } from './trainLoop.ts';
import type { TaggerVocab } from './taggerData.ts';
import { trainTransfer, type Split } from './trainTransfer.ts';

export interface TrainTaggerOptions {
  epochs: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
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
  train: Split;
  dev: Split;
}

/** Builds a tagger from `config` (initialised from `options.seed`) and trains it. */
export function trainTagger(config: TaggerConfig, vocab: TaggerVocab, data: TaggerData, options: TrainTaggerOptions): { tagger: Tagger; result: TrainResult; dev: EvalResult | null } {
  const run = trainTransfer(METHODS['target-only'], config, vocab, { target: data }, {
    ...options,
    hyper: { lambda: options.weightDecay },
    init: options.init ? (model) => options.init!(model.asTagger('target')) : undefined,
    onEpoch: options.onEpoch ? (r) => options.onEpoch!({ ...r, dev: r.dev! }) : undefined,
  });
  return { tagger: run.tagger, result: run.result, dev: run.dev };
}
