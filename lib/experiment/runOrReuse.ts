/**
 * Node helper: the one way a run of a grid is carried out against a results folder, for every
 * scheduler (`experiment` in one process, its `--jobs N` workers, and `ladtl worker` on a queue):
 * a stored record of the same configuration is reused; otherwise the run resumes from its
 * checkpoint (or starts), checkpoints as it trains (runStore.ts), and its record is stored
 * atomically before the checkpoint is removed.
 */
import type { StepProgress } from '../train/index.ts';
import type { GridColumn, ExperimentSettings } from './gridColumn.ts';
import type { GridRun } from './grid.ts';
import { executeRun } from './executeRun.ts';
import type { RunRecord } from './runRecord.ts';
import { fileCheckpointStore, readRecord, writeJsonAtomic } from './runStore.ts';

/** A running run's progress, for displays and queues. */
export interface RunProgress {
  /** `pair @fraction method seed N`. */
  label: string;
  phase: string;
  epoch: number;
  epochs: number;
  step: number;
  loss: number;
  tokensPerSecond: number;
  /** Seconds left in the current phase (NaN until a few steps are done). */
  etaSeconds: number;
}

export interface RunIo {
  /** Lines of the run's story (resumed, result). */
  say(line: string): void;
  /** Damaged files and the like. */
  warn(line: string): void;
  onProgress?(p: RunProgress): void;
}

/** The run's label in messages: `pair @fraction method seed N`. */
export function runLabel(run: Pick<GridRun, 'pair' | 'fraction' | 'seed'> & { method: { name: string } }): string {
  return `${run.pair} @${run.fraction} ${run.method.name} seed ${run.seed}`;
}

/**
 * The run's stored record when its configuration is `column`'s; null when there is none, or one of
 * another configuration (said through `io.say`: the run is done again).
 */
export function storedRecord(column: GridColumn, run: GridRun, io: RunIo): RunRecord | null {
  const stored = readRecord(run.file, io.warn);
  if (stored?.configHash === column.configHash) return stored;
  if (stored) io.say(`${run.file}: configuration changed, running again`);
  return null;
}

/** Trains the run (resumed from its checkpoint when there is one) and stores its record. */
export function trainAndStore(column: GridColumn, run: GridRun, settings: ExperimentSettings, io: RunIo): RunRecord {
  const { method, seed, file } = run;
  const tag = runLabel(run);
  let phase = '', phaseStart = 0, phaseStartStep = 0;
  const checkpoints = fileCheckpointStore(file, { configHash: column.configHash, method: method.name, seed }, io.warn);
  const record = executeRun(column, method, seed, settings, {
    checkpoints,
    log: (line) => io.say(`${tag}: ${line}`),
    onStep: (p: StepProgress & { phase: string }) => {
      if (!io.onProgress) return;
      const t = Date.now();
      if (p.phase !== phase) { phase = p.phase; phaseStart = t; phaseStartStep = p.globalStep - 1; }
      const done = p.globalStep - phaseStartStep, all = p.epochs * p.stepsInEpoch - phaseStartStep;
      const eta = done >= 3 ? ((t - phaseStart) / 1000) * Math.max(0, all - done) / done : NaN;
      io.onProgress({ label: tag, phase: p.phase, epoch: p.epoch, epochs: p.epochs, step: p.globalStep, loss: p.meanLoss, tokensPerSecond: p.tokensPerSecond, etaSeconds: eta });
    },
  });
  writeJsonAtomic(file, record);
  checkpoints.clear();
  return record;
}

/** The stored record of the run (`before`), or a new one, trained and stored. */
export function runOrReuse(column: GridColumn, run: GridRun, settings: ExperimentSettings, io: RunIo): { record: RunRecord; before: boolean } {
  const stored = storedRecord(column, run, io);
  return stored ? { record: stored, before: true } : { record: trainAndStore(column, run, settings, io), before: false };
}
