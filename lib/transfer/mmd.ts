/**
 * `mmd`: the squared MMD between two sets of feature vectors (paper E8), with the Gaussian-sum kernel
 * of E9, optionally on a seeded subsample of each side (the kernel matrices are quadratic in the
 * sample sizes). A thin, named layer over the fused `gaussianMmd` op.
 */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';

export interface MmdOptions {
  /** Kernel variances (default: paper E9's 19 values). */
  bandwidths?: readonly number[];
  /** Unbiased estimator (default: the biased one, as in the authors' code). */
  unbiased?: boolean;
  /** Use at most this many vectors per side, drawn without replacement from `rng`. */
  maxSamples?: number;
  rng?: Rng;
}

/**
 * Row indices to keep: all of them, or a seeded sample of `max` in increasing order. The order
 * does not change the MMD; sorting keeps gathers cache-friendly.
 */
export function subsampleRows(rows: readonly number[], max: number | undefined, rng: Rng | undefined): { rows: number[]; subsampled: boolean } {
  if (max === undefined || rows.length <= max) return { rows: [...rows], subsampled: false };
  if (!rng) throw new Error('mmd: subsampling needs an Rng');
  const pool = [...rows];
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i]; pool[i] = pool[j]; pool[j] = t;
  }
  return { rows: pool.slice(0, max).sort((a, b) => a - b), subsampled: true };
}

/**
 * MMD² between the rows `sourceRows` of `source` [N, D] and the rows `targetRows` of `target` [M, D].
 * Returns null when either side has too few rows for the estimator.
 */
export function mmd(source: Variable, sourceRows: readonly number[], target: Variable, targetRows: readonly number[], o: MmdOptions = {}): { value: Variable; sourceCount: number; targetCount: number; subsampled: boolean } | null {
  const min = o.unbiased ? 2 : 1;
  if (o.maxSamples !== undefined && !(Number.isInteger(o.maxSamples) && o.maxSamples >= min)) {
    throw new Error(`mmd: maxSamples must be an integer >= ${min} for the ${o.unbiased ? 'unbiased' : 'biased'} estimator, got ${o.maxSamples}`);
  }
  if (sourceRows.length < min || targetRows.length < min) return null;
  const s = subsampleRows(sourceRows, o.maxSamples, o.rng);
  const t = subsampleRows(targetRows, o.maxSamples, o.rng);
  const value = ops.gaussianMmd(ops.gather(source, s.rows), ops.gather(target, t.rows), { bandwidths: o.bandwidths, unbiased: o.unbiased });
  return { value, sourceCount: s.rows.length, targetCount: t.rows.length, subsampled: s.subsampled || t.subsampled };
}
