/** Squared L2 norm Σ x² as a scalar: the building block of weight decay and parameter transfer. */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { type Operand, asVariable } from './operand.ts';

export function squaredNorm(x: Operand): Variable {
  const a = asVariable(x);
  const v = a.value.values();
  let acc = 0;
  for (let i = 0; i < v.length; i++) acc += v[i] * v[i];
  const out = allocate(a.value.dtype, 1);
  out[0] = acc;
  return recordOp('squaredNorm', new Tensor(out, []), [a], (g) => {
    const s = 2 * g.item();
    const dx = allocate(g.dtype, v.length);
    for (let i = 0; i < v.length; i++) dx[i] = s * v[i];
    a.addGrad(new Tensor(dx, a.shape));
  });
}
