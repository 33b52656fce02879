/** slice: a box of a tensor (a view forward); the backward writes the gradient into that box. */
import { zeros } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable } from './operand.ts';

/** The box starting at `begin` with extent `size` (-1: to the end of that axis). */
export function slice(x: Operand, begin: readonly number[], size: readonly number[]): Variable {
  const a = asVariable(x);
  const out = a.value.slice(begin, size);
  return recordOp('slice', out, [a], (g) => {
    const dx = zeros(a.shape, g.dtype);
    getBackend().assignStrided(dx.slice(begin, out.shape), g.values());
    a.addGrad(dx);
  });
}
