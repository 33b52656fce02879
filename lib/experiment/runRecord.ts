/**
 * What an experiment keeps of one run (one pair, target fraction, method and seed): its scores, the
 * epoch selected on target dev, its cost, the hash of everything it depended on, and its per-epoch
 * history (loss and each term of E11, dev precision/recall/F1, seconds), from which the learning
 * curves are drawn. Stored as JSON, one file per run (runStore.ts).
 */
import type { PhaseEpochReport } from '../train/index.ts';
import type { EvalResult, TypeScores } from '../eval/index.ts';

/** One epoch of a run, as kept in its record. */
export interface HistoryEntry {
  /** `pretrain` (INIT's source phase, never evaluated), `fine-tune` (INIT) or `train`. */
  phase: string;
  epoch: number;
  /** Optimizer steps since the start of the run, at the end of this epoch. */
  step: number;
  /** Mean loss of the epoch's steps (E11 for the joint methods). */
  loss: number;
  /** Mean of each term of the loss over the epoch's steps (source, target, mmd, pt, reg). */
  terms: Record<string, number>;
  /**
   * Target dev scores after the epoch; null where it was not evaluated. `f1ByType` (each entity
   * type's F1; records written before it was kept have none) shows which type a run learns late or loses.
   */
  dev: { precision: number; recall: number; f1: number; f1ByType?: Record<string, number> } | null;
  seconds: number;
  evalSeconds: number;
}

export interface RunRecord {
  pair: string;
  fraction: number;
  method: string;
  seed: number;
  testF1: number;
  testPrecision: number;
  testRecall: number;
  /** Target test counts and scores per entity type, conlleval's (records written before it was kept have none). */
  testByType?: Record<string, TypeScores>;
  devF1: number;
  bestEpoch: number;
  epochs: number;
  seconds: number;
  /** Identifies the configuration; a stored run with another hash is redone. */
  configHash: string;
  /** The training protocol's name (protocol.ts), when the grid used one. */
  protocol?: string;
  /** Optimizer steps taken. */
  steps?: number;
  /** Per-epoch history (records written before it was kept have none). */
  history?: HistoryEntry[];
}

/** Rounds to 6 significant digits: a history is for curves, not for bit-exact comparison. */
function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** The history of a run as kept in its record. */
export function historyOf(reports: readonly PhaseEpochReport[]): HistoryEntry[] {
  let offset = 0, lastPhase = '', lastStep = 0;
  return reports.map((r) => {
    // The loop counts steps per phase; the record counts them from the start of the run.
    if (r.phase !== lastPhase) { offset = lastStep; lastPhase = r.phase; }
    const step = offset + r.globalStep;
    lastStep = step;
    const dev = r.details as EvalResult | undefined;
    return {
      phase: r.phase, epoch: r.epoch, step, loss: round6(r.meanLoss),
      terms: Object.fromEntries(Object.entries(r.terms ?? {}).map(([k, v]) => [k, round6(v)])),
      dev: r.devScore === null || !dev ? null : {
        precision: round6(dev.precision), recall: round6(dev.recall), f1: round6(dev.f1),
        f1ByType: Object.fromEntries(Object.entries(dev.byType).map(([type, t]) => [type, round6(t.f1)])),
      },
      seconds: round6(r.seconds), evalSeconds: round6(r.evalSeconds),
    };
  });
}
