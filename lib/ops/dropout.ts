/**
 * Inverted dropout: during training each element is zeroed with probability p and the survivors
 * are scaled by 1/(1−p), so the expected activation is unchanged and inference needs no rescaling.
 * The mask is drawn from the caller's seeded `Rng`; the same seed gives the same mask.
 */
import { Tensor, allocate, type Rng } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable } from './operand.ts';

export function dropout(x: Operand, p: number, rng: Rng, training = true): Variable {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: rate must lie in [0, 1), got ${p}`);
  const a = asVariable(x);
  if (!training || p === 0) return a;
  const mask = allocate(a.value.dtype, a.value.size);
  const keep = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < p ? 0 : keep;
  const maskT = new Tensor(mask, a.shape);
  const out = allocate(a.value.dtype, mask.length);
  getBackend().binary('mul', a.value.contiguous(), maskT, out);
  return recordOp('dropout', new Tensor(out, a.shape), [a], (g) => {
    const dx = allocate(g.dtype, mask.length);
    getBackend().binary('mul', g.contiguous(), maskT, dx);
    a.addGrad(new Tensor(dx, a.shape));
  });
}
