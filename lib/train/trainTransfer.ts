/**
 * The one trainer behind every compared method (lib/transfer/methods.ts): it builds a
 * `TransferModel`, forms each epoch's steps according to the method's schedule, computes the
 * method's loss (E11 with its terms switched on or off), and selects the epoch on the target dev
 * set, tagging with the method's CRF. A single-domain tagger is the `target-only` configuration.
 */
import { type Sentence, type EncodedSentence, type Batch, makeBatches, collate } from '../data/index.ts';
import type { EvalResult } from '../eval/index.ts';
import { type TaggerConfig, type Tagger } from '../nn/index.ts';
import { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import { TransferModel, jointLoss, singleDomainLoss, regularizer, DEFAULT_HYPER, type MethodSpec, type TransferHyper } from '../transfer/index.ts';
import * as ops from '../ops/index.ts';
import { makeOptimizer } from './optimizerFactory.ts';
import { trainLoop, type StepFn, type StepProgress, type EpochReport, type TrainResult, type LoopState } from './trainLoop.ts';
import type { OptimizerState } from './optimizer.ts';
import { snapshotParameters, restoreSnapshot, type ParameterSnapshot } from './snapshot.ts';
import { evaluateTagger, type TaggerVocab } from './taggerData.ts';

/**
 * Version of the training procedure. Bump it whenever a change alters what a run computes (batching,
 * loss terms, initialisation), so that stored experiment runs made with the old procedure are redone.
 * 2: length chunks capped at a quarter of the set; Merged adds the regulariser once, unscaled.
 * 3: float32 numbers of the fast kernels (fused wasm LSTM with SIMD gates, SIMD Adam, SIMD MMD),
 *    dropout masks from one 32-bit draw per element.
 */
export const TRAINER_VERSION = 3;

export interface Split {
  sentences: readonly Sentence[];
  encoded: readonly EncodedSentence[];
}

export interface TransferData {
  /** Needed by every schedule but `target`. */
  source?: { train: Split };
  target: { train: Split; dev: Split };
}

export interface TransferTrainOptions {
  /** Epochs (an epoch is one pass over the data the schedule iterates: target batches for `joint`). */
  epochs: number;
  /** Epochs over the source for INIT's pre-training and for source-only (default: `epochs`). */
  pretrainEpochs?: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  /** Multiply the learning rate by `rate` every `steps` steps (staircase), as the authors' code does. */
  lrDecay?: { rate: number; steps: number };
  clipNorm?: number;
  patience?: number;
  /** Evaluate on target dev every this many epochs (and after the last). */
  evalEvery?: number;
  seed: number;
  hyper?: Partial<TransferHyper>;
  checkFinite?: boolean;
  onStep?(p: StepProgress & { phase: string }): void;
  onEpoch?(r: EpochReport & { phase: string; dev: EvalResult | null }): void;
  /** Called with the decoding tagger whenever target dev F1 improves. */
  onBest?(tagger: Tagger, epoch: number, dev: EvalResult): void;
  /** Adjusts the freshly initialised model (e.g. pretrained embeddings). */
  init?(model: TransferModel): void;
  /**
   * Continue a run from a checkpoint that `onCheckpoint` gave for the same method, configuration,
   * data and options: the run then ends exactly (bit for bit) as the uninterrupted run would.
   */
  resume?: TransferCheckpoint;
  /** Called after every epoch but a phase's last, with the run's whole state (see {@link TransferCheckpoint}). */
  onCheckpoint?(checkpoint: TransferCheckpoint): void;
}

/**
 * Everything a run needs to continue where it stood after an epoch: the phase and the loop's state,
 * every parameter, the optimizer's state, each random stream's state, the source batches still queued
 * in the current pass, and the best epoch's parameters. Copies, never live buffers.
 */
export interface TransferCheckpoint {
  /** `pretrain` (INIT's source phase), `fine-tune` (INIT's target phase) or `train` (every other method). */
  phase: string;
  loop: LoopState;
  /** Values of `model.parameters()`, in that order. */
  parameters: ParameterSnapshot;
  optimizer: OptimizerState;
  /** States of the data-order stream, the MMD subsampling stream and the model's dropout streams. */
  random: { data: number[]; mmd: number[]; model: number[][] };
  /** The source batches left in the current pass of a joint or merged schedule, as sentence indices. */
  sourceQueue: number[][] | null;
  /** Reports of the phases finished before this one (INIT's pre-training). */
  earlierPhases: PhaseEpochReport[];
  best: { parameters: ParameterSnapshot; dev: EvalResult } | null;
}

/** One epoch of a run's history: the loop's report with the phase it belongs to. */
export type PhaseEpochReport = EpochReport & { phase: string };

export interface TransferRun {
  /** Every epoch of every phase, in order (INIT: pre-training, then fine-tuning). */
  history: PhaseEpochReport[];
  model: TransferModel;
  /** The encoder with the CRF that tags the target, holding the best epoch's parameters. */
  tagger: Tagger;
  result: TrainResult;
  dev: EvalResult | null;
}

/** Parameters weight decay applies to: all but embedding tables (as in the authors' code). */
export function decayedParameters(model: { namedParameters(): Map<string, Variable> }): Variable[] {
  return [...model.namedParameters()].filter(([name]) => !name.endsWith('.table')).map(([, v]) => v);
}

function tokensOf(...batches: Batch[]): number {
  let n = 0;
  for (const b of batches) for (const l of b.lengths) n += l;
  return n;
}

/**
 * An epoch's training batches, grouped by length to save padding but never so coarsely that a small
 * set is sorted as a whole: length-sorting an 82-sentence target subset in one chunk would give the
 * same 6 batches every epoch, with the 7 longest sentences always alone in the short last batch. A
 * chunk is at most a quarter of the set (and at least one batch), so batch composition stays random.
 */
export function trainingBatches(encoded: readonly EncodedSentence[], batchSize: number, rng: Rng): Batch[] {
  const chunkFactor = Math.max(1, Math.min(50, Math.floor(encoded.length / (4 * batchSize))));
  return makeBatches(encoded, batchSize, rng, { sortByLength: true, chunkFactor });
}

/** Source batches on demand, reshuffled each time the source runs out (the paper's cycling). */
class SourceCycle {
  private queue: Batch[] = [];

  constructor(private readonly encoded: readonly EncodedSentence[], private readonly batchSize: number, private readonly rng: Rng) {}

  next(): Batch {
    if (this.queue.length === 0) this.queue = trainingBatches(this.encoded, this.batchSize, this.rng).reverse();
    return this.queue.pop()!;
  }

  /** The batches left in this pass, next first, as sentence indices (for a checkpoint). */
  pending(): number[][] {
    return this.queue.map((b) => [...b.indices]).reverse();
  }

  restore(pending: readonly (readonly number[])[]): void {
    this.queue = pending.map((indices) => collate(this.encoded, indices)).reverse();
  }
}

export function trainTransfer(method: MethodSpec, config: TaggerConfig, vocab: TaggerVocab, data: TransferData, o: TransferTrainOptions): TransferRun {
  const hyper: TransferHyper = { ...DEFAULT_HYPER, ...o.hyper };
  const rng = new Rng(o.seed);
  const model = new TransferModel(config, rng.fork());
  o.init?.(model);
  const dataRng = rng.fork(), mmdRng = rng.fork();
  const modelStreams = model.randomStreams();
  const resume = o.resume ?? null;
  const needsSource = method.schedule !== 'target';
  if (needsSource && !data.source) throw new Error(`method ${method.name} needs source data`);
  const decodeTagger = model.asTagger(method.decodeWith);

  // Which parameters each phase trains: the unused CRF is left out so that weight decay and the
  // optimizer do not touch it.
  const named = model.namedParameters();
  const pick = (crfs: ('sourceCrf' | 'targetCrf')[]): Variable[] => [...named].filter(([n]) => n.startsWith('encoder.') || crfs.some((c) => n.startsWith(`${c}.`))).map(([, v]) => v);
  const decayedOf = (params: Variable[]): Variable[] => { const d = new Set(decayedParameters(model)); return params.filter((p) => d.has(p)); };

  const source = data.source?.train;
  const target = data.target.train;

  let best: { snapshot: ParameterSnapshot; dev: EvalResult } | null = null;
  const allParams = model.parameters();
  if (resume) {
    restoreSnapshot(allParams, resume.parameters);
    dataRng.setState(resume.random.data);
    mmdRng.setState(resume.random.mmd);
    if (resume.random.model.length !== modelStreams.length) throw new Error(`trainTransfer: checkpoint has ${resume.random.model.length} model random streams, the model ${modelStreams.length}`);
    modelStreams.forEach((r, i) => r.setState(resume.random.model[i]));
    best = resume.best ? { snapshot: resume.best.parameters, dev: resume.best.dev } : null;
  }
  const finishedPhases: PhaseEpochReport[] = resume ? resume.earlierPhases.map((r) => ({ ...r })) : [];

  const runPhase = (phase: string, schedule: 'target' | 'source' | 'merged' | 'joint', epochs: number, selectOnDev: boolean): TrainResult => {
    const r = runPhaseLoop(phase, schedule, epochs, selectOnDev);
    finishedPhases.push(...r.epochs.map((e) => ({ ...e, phase })));
    return r;
  };
  const runPhaseLoop = (phase: string, schedule: 'target' | 'source' | 'merged' | 'joint', epochs: number, selectOnDev: boolean): TrainResult => {
    const params = schedule === 'source' ? pick(['sourceCrf']) : schedule === 'joint' ? pick(['sourceCrf', 'targetCrf']) : pick(['targetCrf']);
    const decayed = decayedOf(params);
    const optimizer = makeOptimizer(o.optimizer, params, o.learningRate);
    const cycle = source ? new SourceCycle(source.encoded, o.batchSize, dataRng) : null;
    const nextSource = cycle ? () => cycle.next() : null;
    const resumeHere = resume?.phase === phase ? resume : null;
    if (resumeHere) {
      optimizer.loadState(resumeHere.optimizer);
      if (resumeHere.sourceQueue) cycle!.restore(resumeHere.sourceQueue);
    }
    let lastDev: EvalResult | null = null;
    const evalEvery = o.evalEvery ?? 1;
    const makeEpoch = (): StepFn[] => {
      if (schedule === 'merged') {
        // Pooled data through one CRF, drawn like a joint step (a target batch and the next source
        // batch) so that Merged sees the same sentences per step as MULT; each sentence weighs the same.
        return trainingBatches(target.encoded, o.batchSize, dataRng).map((tb) => () => {
          const sb = nextSource!();
          const ls = singleDomainLoss(model, model.targetCrf, sb, [], hyper), lt = singleDomainLoss(model, model.targetCrf, tb, [], hyper);
          // Each sentence weighs the same; the regulariser is added once, at full strength.
          let loss = ops.add(ops.mul(ls.loss, sb.size / (sb.size + tb.size)), ops.mul(lt.loss, tb.size / (sb.size + tb.size)));
          const reg = regularizer(decayed, hyper.lambda);
          if (reg) loss = ops.add(loss, reg);
          return { loss, tokens: tokensOf(sb, tb), terms: { source: ls.terms.nll, target: lt.terms.nll, ...(reg ? { reg: reg.value.item() } : {}) } };
        });
      }
      if (schedule === 'joint') {
        return trainingBatches(target.encoded, o.batchSize, dataRng).map((tb) => () => {
          const sb = nextSource!();
          const r = jointLoss(model, method, sb, tb, decayed, hyper, mmdRng);
          return { loss: r.loss, tokens: tokensOf(sb, tb), terms: r.terms };
        });
      }
      const list = schedule === 'source' ? source!.encoded : target.encoded;
      const crf = schedule === 'source' ? model.sourceCrf : model.targetCrf;
      return trainingBatches(list, o.batchSize, dataRng).map((b) => () => {
        const r = singleDomainLoss(model, crf, b, decayed, hyper);
        return { loss: r.loss, tokens: tokensOf(b), terms: r.terms };
      });
    };
    return trainLoop({
      epochs,
      optimizer,
      makeEpoch,
      patience: selectOnDev ? o.patience : undefined,
      clipNorm: o.clipNorm,
      checkFinite: o.checkFinite,
      schedule: o.lrDecay ? { initialLearningRate: o.learningRate, decayRate: o.lrDecay.rate, decaySteps: o.lrDecay.steps, staircase: true } : undefined,
      evaluate: (epoch) => {
        if (!selectOnDev || (epoch % evalEvery !== 0 && epoch !== epochs)) { lastDev = null; return { score: null }; }
        lastDev = evaluateTagger(decodeTagger, data.target.dev.sentences, data.target.dev.encoded, vocab);
        return { score: lastDev.f1, details: lastDev };
      },
      onBest: (epoch) => {
        if (!selectOnDev || !lastDev) return;
        best = { snapshot: snapshotParameters(allParams), dev: lastDev };
        o.onBest?.(decodeTagger, epoch, lastDev);
      },
      onStep: (p) => o.onStep?.({ ...p, phase }),
      onEpoch: (r) => o.onEpoch?.({ ...r, phase, dev: (r.details as EvalResult | undefined) ?? null }),
      resume: resumeHere?.loop,
      onEpochEnd: o.onCheckpoint ? (loop) => {
        const kept = best as { snapshot: ParameterSnapshot; dev: EvalResult } | null;
        o.onCheckpoint!({
          phase, loop, parameters: snapshotParameters(allParams), optimizer: optimizer.state(),
          random: { data: dataRng.getState(), mmd: mmdRng.getState(), model: modelStreams.map((r) => r.getState()) },
          sourceQueue: schedule === 'joint' || schedule === 'merged' ? cycle!.pending() : null,
          earlierPhases: finishedPhases.map((r) => ({ ...r })),
          best: kept ? { parameters: kept.snapshot, dev: kept.dev } : null,
        });
      } : undefined,
    });
  };

  let result: TrainResult;
  if (method.schedule === 'pretrain-then-target') {
    // INIT: learn the source task, hand every weight to the target side (the CRF included: the label
    // sets are the same), then fine-tune on the target, selecting on target dev.
    // A run resumed in its fine-tuning phase has the copied CRF in its checkpoint already.
    if (resume?.phase !== 'fine-tune') {
      runPhase('pretrain', 'source', o.pretrainEpochs ?? o.epochs, false);
      copyCrf(model, 'sourceCrf', 'targetCrf');
    }
    result = runPhase('fine-tune', 'target', o.epochs, true);
  } else {
    // Source-only passes over the (large) source set, so its epochs are counted like INIT's pre-training.
    result = runPhase('train', method.schedule, method.schedule === 'source' ? o.pretrainEpochs ?? o.epochs : o.epochs, true);
  }
  const kept = best as { snapshot: ParameterSnapshot; dev: EvalResult } | null;
  if (kept) restoreSnapshot(allParams, kept.snapshot);
  return { history: finishedPhases, model, tagger: decodeTagger, result, dev: kept?.dev ?? null };
}

/** Copies one CRF's parameters into the other's (same shapes), in place. */
function copyCrf(model: TransferModel, from: 'sourceCrf' | 'targetCrf', to: 'sourceCrf' | 'targetCrf'): void {
  const named = model.namedParameters();
  for (const [name, v] of named) {
    if (!name.startsWith(`${from}.`)) continue;
    const dst = named.get(`${to}.${name.slice(from.length + 1)}`);
    if (dst) dst.value.data.set(v.value.values());
  }
}
