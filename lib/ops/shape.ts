/** Shape ops that copy nothing in the forward pass: reshape and transpose. */
import { type Variable, recordOp } from '../autodiff/index.ts';
import { type Operand, asVariable } from './operand.ts';

/** Same elements in a new shape (one entry may be -1). */
export function reshape(x: Operand, shape: readonly number[]): Variable {
  const a = asVariable(x);
  const out = a.value.reshape(shape);
  return recordOp('reshape', out, [a], (g) => a.addGrad(g.reshape(a.shape)));
}

/** Permutes axes (default: reverses them). The gradient is permuted back. */
export function transpose(x: Operand, perm?: readonly number[]): Variable {
  const a = asVariable(x);
  const p = perm ?? a.shape.map((_, i) => a.shape.length - 1 - i);
  const out = a.value.transpose(p);
  const inverse = new Array<number>(p.length);
  p.forEach((axis, i) => { inverse[axis] = i; });
  return recordOp('transpose', out, [a], (g) => a.addGrad(g.transpose(inverse)));
}
