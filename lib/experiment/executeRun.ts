/**
 * The one way a run of a grid is executed (local `--jobs`, and any other scheduler): train the method
 * on the column's data with the grid's settings, checkpointing after every epoch and resuming from a
 * checkpoint of the same run; select on target dev; score target test once; return the record.
 */
import { trainTransfer, evaluateTagger, type TransferCheckpoint, type StepProgress } from '../train/index.ts';
import type { MethodSpec } from '../transfer/index.ts';
import type { GridColumn, ExperimentSettings } from './gridColumn.ts';
import { methodSchedule } from './protocol.ts';
import { historyOf, type RunRecord } from './runRecord.ts';

/** Where a run keeps its checkpoint (a file next to its record, a queue, memory in tests). */
export interface CheckpointStore {
  /** The run's last checkpoint, or null; a damaged or foreign one is reported through `warn` and ignored. */
  load(): TransferCheckpoint | null;
  save(checkpoint: TransferCheckpoint): void;
  /** Removes the checkpoint once the run's record is stored. */
  clear(): void;
}

export interface ExecuteRunOptions {
  checkpoints?: CheckpointStore;
  onStep?(p: StepProgress & { phase: string }): void;
  /** Says, e.g., that the run resumes at an epoch. */
  log?(line: string): void;
  /** Monotonic wall clock in ms (injectable for tests). */
  now?(): number;
}

/** The trainer's epoch counts for `method` in `column` under the grid's settings. */
export function runSchedule(column: GridColumn, method: MethodSpec, s: ExperimentSettings): { epochs: number; pretrainEpochs: number; evalEvery: number; patience: number | undefined } {
  if (!s.protocol) return { epochs: s.training.epochs, pretrainEpochs: s.training.pretrainEpochs, evalEvery: s.training.evalEvery, patience: s.training.patience };
  const c = column.corpus.counts;
  return methodSchedule(s.protocol, method, c.sourceTrain, c.targetTrain, s.training.batchSize);
}

export function executeRun(column: GridColumn, method: MethodSpec, seed: number, s: ExperimentSettings, o: ExecuteRunOptions = {}): RunRecord {
  const now = o.now ?? (() => Date.now());
  const t0 = now();
  const resume = o.checkpoints?.load() ?? null;
  if (resume) o.log?.(`resuming ${method.name} seed ${seed} after ${resume.phase} epoch ${resume.loop.epoch}`);
  const schedule = runSchedule(column, method, s);
  const { corpus } = column;
  const t = s.training;
  const run = trainTransfer(method, column.config, corpus.vocab, corpus.data, {
    epochs: schedule.epochs, pretrainEpochs: schedule.pretrainEpochs, evalEvery: schedule.evalEvery, patience: schedule.patience,
    batchSize: t.batchSize, optimizer: t.optimizer, learningRate: t.learningRate, clipNorm: t.clipNorm, hyper: t.hyper,
    seed, checkFinite: s.checkFinite, onStep: o.onStep,
    resume: resume ?? undefined, onCheckpoint: o.checkpoints ? (c) => o.checkpoints!.save(c) : undefined,
  });
  const test = evaluateTagger(run.tagger, corpus.targetTest.sentences, corpus.targetTest.encoded, corpus.vocab);
  const history = historyOf(run.history);
  // Wall time of the whole run, also across interruptions: the history's times plus the final test.
  const trained = history.reduce((a, h) => a + h.seconds + h.evalSeconds, 0);
  const seconds = resume ? trained : (now() - t0) / 1000;
  return {
    pair: column.pair.spec.id, fraction: column.fraction, method: method.name, seed,
    testF1: test.f1, testPrecision: test.precision, testRecall: test.recall, testByType: test.byType,
    devF1: run.dev?.f1 ?? 0, bestEpoch: run.result.bestEpoch, epochs: run.result.epochs.length, seconds, configHash: column.configHash,
    ...(s.protocol ? { protocol: s.protocol.name } : {}),
    steps: history.length ? history[history.length - 1].step : 0,
    history,
  };
}
