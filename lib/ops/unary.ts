/** Element-wise maps: exp, log, tanh, sigmoid (overflow-safe), relu, square, sqrt. */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import type { UnaryOp } from '../../kernels/cpu/index.ts';
import { type Operand, asVariable } from './operand.ts';

function unaryOp(op: UnaryOp, x: Operand): Variable {
  const a = asVariable(x);
  const xv = a.value.values();
  const y = allocate(a.value.dtype, xv.length);
  getBackend().unary(op, xv, y);
  return recordOp(op, new Tensor(y, a.shape), [a], (g) => {
    const dx = allocate(g.dtype, g.size);
    getBackend().unaryBackward(op, xv, y, g.values(), dx);
    a.addGrad(new Tensor(dx, a.shape));
  });
}

export const exp = (x: Operand): Variable => unaryOp('exp', x);
/** Natural log; log of 0 is −Infinity, which the finite check reports. */
export const log = (x: Operand): Variable => unaryOp('log', x);
export const tanh = (x: Operand): Variable => unaryOp('tanh', x);
export const sigmoid = (x: Operand): Variable => unaryOp('sigmoid', x);
/** max(x, 0); the gradient at exactly 0 is taken as 0. */
export const relu = (x: Operand): Variable => unaryOp('relu', x);
export const square = (x: Operand): Variable => unaryOp('square', x);
export const sqrt = (x: Operand): Variable => unaryOp('sqrt', x);
