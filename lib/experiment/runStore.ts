/**
 * Node helper: an experiment folder on disk. Each run's record is `runs/<pair>/<fraction>/<method>/seed-<n>.json`
 * and, while the run trains, its checkpoint `seed-<n>.ckpt` beside it; both are written to a temporary
 * file and renamed, so a kill leaves the old file or the new one, never half of one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeModelFileAtomic, readModelBytes } from '../io/nodeFiles.ts';
import type { TransferCheckpoint } from '../train/index.ts';
import { encodeCheckpoint, decodeCheckpoint, type CheckpointIdentity } from './checkpointFile.ts';
import type { CheckpointStore } from './executeRun.ts';
import type { RunRecord } from './runRecord.ts';

export { runFile } from './grid.ts';

/** The checkpoint beside a run's record. */
export function checkpointPath(recordPath: string): string {
  return recordPath.replace(/\.json$/, '.ckpt');
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees the old file or the new one. */
export function writeTextAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Why a stored record cannot be used, or null when it can. */
export function recordProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  for (const k of ['pair', 'method', 'configHash'] as const) if (typeof r[k] !== 'string') return `field "${k}" is missing or not a string`;
  for (const k of ['fraction', 'seed', 'testF1', 'testPrecision', 'testRecall', 'devF1', 'bestEpoch', 'epochs', 'seconds'] as const) {
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) return `field "${k}" is missing or not a finite number`;
  }
  return null;
}

/**
 * The stored record at `path`, or null when there is none. A damaged or foreign file (unreadable,
 * not JSON, not a run record) is reported through `warn` with its path and the reason, moved aside
 * to `<path>.damaged-<time>` (kept for inspection, never deleted), and treated as not done, so the
 * run is redone and the other records are untouched.
 */
export function readRecord(path: string, warn: (line: string) => void = () => {}): RunRecord | null {
  if (!existsSync(path)) return null;
  let problem: string;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const p = recordProblem(value);
    if (p === null) return value as RunRecord;
    problem = p;
  } catch (e) {
    problem = (e as Error).message;
  }
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  warn(`${path}: damaged run record (${problem}); moved to ${aside}, the run is redone`);
  return null;
}

/** Configuration hash of every stored run under `outDir`, by record path (unreadable records are left out: not done). */
export function storedRunHashes(outDir: string): Record<string, string> {
  const root = join(outDir, 'runs');
  if (!existsSync(root)) return {};
  const out: Record<string, string> = {};
  for (const rel of readdirSync(root, { recursive: true }) as string[]) {
    if (!rel.endsWith('.json')) continue;
    const file = join(root, rel);
    try {
      out[file] = (JSON.parse(readFileSync(file, 'utf8')) as RunRecord).configHash;
    } catch {
      // An unreadable record is simply not done.
    }
  }
  return out;
}

/**
 * Every stored run record under `dir/runs`, in path order. Damaged or foreign files are named through
 * `warn` and left out (left in place: reading a folder changes nothing in it).
 */
export function readRunRecords(dir: string, warn: (line: string) => void = () => {}): RunRecord[] {
  const root = join(resolve(dir), 'runs');
  if (!existsSync(root)) throw new Error(`${root} does not exist (no stored runs)`);
  const out: RunRecord[] = [];
  for (const rel of (readdirSync(root, { recursive: true }) as string[]).sort()) {
    if (!rel.endsWith('.json')) continue;
    const file = join(root, rel);
    try {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const problem = recordProblem(value);
      if (problem) warn(`${file}: not a run record (${problem}); left out`);
      else out.push(value as RunRecord);
    } catch (e) {
      warn(`${file}: damaged run record (${(e as Error).message}); left out`);
    }
  }
  return out;
}

/**
 * Seconds between checkpoints: the trainer offers one after every epoch, and an epoch over a small
 * target subset takes a fraction of a second, where writing a checkpoint (parameters, Adam's two
 * moments, the best epoch's parameters: 5 MB on zh-history-to-course) took 15% of the run when every
 * one was written. An epoch that ends this long after the last checkpoint is saved, so a kill loses
 * at most this long or one epoch, whichever is longer.
 */
export const CHECKPOINT_INTERVAL_SECONDS = 30;

/** The interval: `$LADTL_CHECKPOINT_INTERVAL` seconds (0: after every epoch) or the default. */
function checkpointInterval(): number {
  const raw = process.env.LADTL_CHECKPOINT_INTERVAL;
  if (raw === undefined) return CHECKPOINT_INTERVAL_SECONDS;
  const v = Number(raw);
  if (!(v >= 0)) throw new Error(`LADTL_CHECKPOINT_INTERVAL must be a number of seconds >= 0, got "${raw}"`);
  return v;
}

/**
 * The checkpoint file of one run. A checkpoint that cannot be read, or belongs to another
 * configuration, is reported through `warn` and the run starts over (it is overwritten by the next save).
 */
export function fileCheckpointStore(recordPath: string, id: CheckpointIdentity, warn: (line: string) => void, intervalSeconds = checkpointInterval()): CheckpointStore {
  const path = checkpointPath(recordPath);
  let last = Date.now(), saved = 0;
  // Test hook of the fault tests: die by SIGKILL right after the N-th checkpoint of a run is on disk.
  const killAfter = Number(process.env.LADTL_TEST_KILL_AFTER_CHECKPOINT ?? 0);
  return {
    load(): TransferCheckpoint | null {
      if (!existsSync(path)) return null;
      try {
        return decodeCheckpoint(readModelBytes(path), path, id);
      } catch (e) {
        warn(`${path}: not resumable, starting the run over (${(e as Error).message})`);
        return null;
      }
    },
    save(c: TransferCheckpoint): void {
      if (Date.now() - last < intervalSeconds * 1000) return;
      last = Date.now();
      mkdirSync(dirname(path), { recursive: true });
      writeModelFileAtomic(path, encodeCheckpoint(id, c, path));
      if (++saved === killAfter) process.kill(process.pid, 'SIGKILL');
    },
    clear(): void {
      if (existsSync(path)) unlinkSync(path);
    },
  };
}
