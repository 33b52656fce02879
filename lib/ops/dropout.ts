/**
 * Inverted dropout: during training each element is zeroed with probability p and the survivors
 * are scaled by 1/(1−p), so the expected activation is unchanged and inference needs no rescaling.
 * The mask is drawn from the caller's seeded `Rng`; the same seed gives the same mask.
 */
import { Tensor, allocate, type Rng } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { type Operand, asVariable } from './operand.ts';

export function dropout(x: Operand, p: number, rng: Rng, training = true): Variable {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: rate must lie in [0, 1), got ${p}`);
  const a = asVariable(x);
  if (!training || p === 0) return a;
  const xv = a.value.contiguous().values();
  const n = xv.length;
  const mask = allocate(a.value.dtype, n);
  const out = allocate(a.value.dtype, n);
  const keep = 1 / (1 - p);
  // One 32-bit draw per element (not a 53-bit uniform: two draws): dropped when below p·2³², so the
  // rate is p to within 2⁻³². This loop runs over every embedding of every batch.
  const threshold = Math.round(p * 4294967296);
  for (let i = 0; i < n; i++) {
    const m = rng.nextUint32() < threshold ? 0 : keep;
    mask[i] = m;
    out[i] = xv[i] * m;
  }
  return recordOp('dropout', new Tensor(out, a.shape), [a], (g) => {
    const gv = g.contiguous().values();
    const dx = allocate(g.dtype, n);
    for (let i = 0; i < n; i++) dx[i] = gv[i] * mask[i];
    a.adoptGrad(new Tensor(dx, a.shape));
  });
}
