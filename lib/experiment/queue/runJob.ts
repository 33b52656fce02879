/**
 * A run of a grid as a queue job. The data names the run (pair, target fraction, method, seed) and
 * the grid's settings as `ladtl experiment` options; a worker parses those options with the
 * command's own parser, loads the pair from its own corpora and checks them against `dataHash`
 * before it trains. Nothing in a job is evaluated: fields are checked for type and range here, and
 * the options are validated like command-line input by the worker.
 */
import { METHODS } from '../../transfer/index.ts';

/** The queue's name (a prefix of its Redis keys). */
export const RUN_QUEUE = 'ladtl-runs';

/** The version of the job format; a worker refuses another one. */
export const RUN_JOB_FORMAT = 'ladtl-run-job-1';

export interface RunJobData {
  format: typeof RUN_JOB_FORMAT;
  /** A pair id of the worker's pairs file. */
  pair: string;
  fraction: number;
  method: string;
  seed: number;
  /** The grid's settings as `experiment` options (`--protocol paper`, `--lr 0.002`, ...). */
  options: string[];
  /** The column's configuration hash (gridColumn.ts): the run's identity with method and seed. */
  configHash: string;
  /** CRC-32 of the pair's data at this fraction (`pairDataHash`): the worker's corpora must match. */
  dataHash: string;
}

/**
 * The job id of a run: its configuration hash with what tells runs of one column apart, so that a
 * grid submitted twice (or from two terminals) adds each run once.
 */
export function runJobId(d: Pick<RunJobData, 'configHash' | 'pair' | 'fraction' | 'method' | 'seed'>): string {
  return `${d.configHash}.${d.pair}.${d.fraction}.${d.method}.${d.seed}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The job's data, checked field by field; throws an Error naming the first bad field. */
export function checkRunJob(value: unknown): RunJobData {
  const d = value as Record<string, unknown>;
  const fail = (field: string, want: string): never => {
    throw new Error(`run job: field "${field}" ${want}, got ${JSON.stringify(d?.[field])?.slice(0, 80)}`);
  };
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('run job: the data is not an object');
  if (d.format !== RUN_JOB_FORMAT) fail('format', `must be "${RUN_JOB_FORMAT}" (a worker of another ladtl version?)`);
  if (typeof d.pair !== 'string' || !/^[A-Za-z0-9._-]{1,200}$/.test(d.pair)) fail('pair', 'must be a pair id');
  if (typeof d.fraction !== 'number' || !(d.fraction > 0 && d.fraction <= 1)) fail('fraction', 'must be a number in (0, 1]');
  if (typeof d.method !== 'string' || !Object.hasOwn(METHODS, d.method)) fail('method', `must be one of ${Object.keys(METHODS).join(', ')}`);
  if (typeof d.seed !== 'number' || !Number.isInteger(d.seed) || d.seed < 1 || d.seed > 1e6) fail('seed', 'must be an integer in 1..1000000');
  if (!Array.isArray(d.options) || d.options.length > 200 || !d.options.every((o) => typeof o === 'string' && o.length <= 200)) fail('options', 'must be a list of option strings');
  for (const h of ['configHash', 'dataHash']) if (typeof d[h] !== 'string' || !/^[0-9a-f]{8}$/.test(d[h] as string)) fail(h, 'must be 8 hex digits');
  return d as unknown as RunJobData;
}
