/**
 * Inverted dropout: during training each element is zeroed with probability p and the survivors
 * are scaled by 1/(1−p), so the expected activation is unchanged and inference needs no rescaling.
 * The mask is a hash of two keys drawn from the caller's seeded `Rng` and the element index
 * (kernels/cpu/dropout.ts): the same seed gives the same mask, and the backward pass recomputes it
 * instead of keeping it.
 */
import { Tensor, allocate, type Rng } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { dropoutThreshold } from '../../kernels/cpu/index.ts';
import { type Operand, asVariable } from './operand.ts';

export function dropout(x: Operand, p: number, rng: Rng, training = true): Variable {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: rate must lie in [0, 1), got ${p}`);
  const a = asVariable(x);
  if (!training || p === 0) return a;
  const xv = a.value.contiguous().values();
  const n = xv.length;
  const k1 = rng.nextUint32(), k2 = rng.nextUint32();
  const threshold = dropoutThreshold(p);
  // fround: float32 and float64 storage scale by the same value, and the SIMD kernel can too.
  const keep = Math.fround(1 / (1 - p));
  const out = allocate(a.value.dtype, n);
  getBackend().dropoutApply(xv, out, n, k1, k2, threshold, keep);
  return recordOp('dropout', new Tensor(out, a.shape), [a], (g) => {
    const dx = allocate(g.dtype, n);
    getBackend().dropoutApply(g.contiguous().values(), dx, n, k1, k2, threshold, keep);
    a.adoptGrad(new Tensor(dx, a.shape));
  });
}
