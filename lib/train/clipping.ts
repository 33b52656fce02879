/** Gradient clipping by global norm (TF1's `clip_by_global_norm`, PyTorch's `clip_grad_norm_`). */
import type { Variable } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { describeParameter } from './optimizer.ts';

/**
 * Computes the L2 norm of all gradients of `params` taken together (null gradients count as zero)
 * and, if it exceeds `maxNorm`, scales every gradient in place by maxNorm / norm, which keeps the
 * update's direction and caps its length. Returns the norm before clipping (worth logging: a
 * sudden rise is the usual first sign of divergence).
 *
 * Throws if the norm is NaN or infinite, naming the first parameter whose gradient is non-finite:
 * scaling would only spread the NaN, and silently skipping the step would hide the bug.
 */
export function clipGradNorm(params: readonly Variable[], maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new Error(`clipGradNorm: maxNorm must be finite and > 0, got ${maxNorm}`);
  let sumSquares = 0;
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.values();
    for (let j = 0; j < g.length; j++) sumSquares += g[j] * g[j];
  }
  const norm = Math.sqrt(sumSquares);
  if (!Number.isFinite(norm)) {
    const bad = params.findIndex((p) => p.grad !== null && p.grad.values().some((x) => !Number.isFinite(x)));
    const where = bad >= 0 ? ` (first non-finite gradient: ${describeParameter(params[bad], bad)})` : ' (sum of squares overflowed)';
    throw new Error(`clipGradNorm: gradient norm is ${norm}${where}`);
  }
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    params.forEach((p, i) => {
      if (p.grad === null) return;
      // A strided gradient's values() would be a copy and the scaling would be lost.
      if (!p.grad.isContiguous()) throw new Error(`clipGradNorm: gradient of ${describeParameter(p, i)} is not contiguous`);
      getBackend().scaleInPlace(p.grad.values(), scale);
    });
  }
  return norm;
}
