/** softmax and logSoftmax over one axis (default: the last), both stable via the row maximum. */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, normalizeAxis, splitAtAxis } from './operand.ts';

function softmaxImpl(op: string, x: Operand, axis: number, log: boolean): Variable {
  const a = asVariable(x);
  const ax = normalizeAxis(op, axis, a.shape);
  const { outer, n, inner } = splitAtAxis(a.shape, ax);
  const y = allocate(a.value.dtype, a.value.size);
  getBackend().softmaxAxis(a.value.values(), outer, n, inner, y, log);
  return recordOp(op, new Tensor(y, a.shape), [a], (g) => {
    const dx = allocate(g.dtype, y.length);
    getBackend().softmaxAxisBackward(y, g.values(), outer, n, inner, dx, log);
    a.addGrad(new Tensor(dx, a.shape));
  });
}

export function softmax(x: Operand, axis = -1): Variable {
  return softmaxImpl('softmax', x, axis, false);
}

export function logSoftmax(x: Operand, axis = -1): Variable {
  return softmaxImpl('logSoftmax', x, axis, true);
}
