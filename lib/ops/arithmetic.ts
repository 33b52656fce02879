/**
 * add, sub, mul, div (numpy broadcasting) and neg. The backward of a broadcast operand sums the
 * output gradient over the axes it was repeated along.
 */
import { Tensor, allocate, resultDType } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import type { BinaryOp } from '../../kernels/cpu/index.ts';
import { type Operand, asVariable, broadcastShapes, sumToShape } from './operand.ts';

function compute(op: BinaryOp, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const out = allocate(resultDType(a, b), shape.reduce((p, d) => p * d, 1));
  getBackend().binary(op, a.broadcastTo(shape), b.broadcastTo(shape), out);
  return new Tensor(out, shape);
}

function binaryOp(op: BinaryOp, x: Operand | number, y: Operand | number): Variable {
  // A plain number takes the dtype of the other operand, so float64 checks stay float64.
  const other = typeof x === 'number' ? y : x;
  const dtype = typeof other === 'number' ? 'float32' : other instanceof Tensor ? other.dtype : other.value.dtype;
  const a = asVariable(x, dtype), b = asVariable(y, dtype);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = compute(op, a.value, b.value, shape);
  return recordOp(op, out, [a, b], (g) => {
    switch (op) {
      case 'add':
        if (a.requiresGrad) a.addGrad(sumToShape(g, a.shape));
        if (b.requiresGrad) b.addGrad(sumToShape(g, b.shape));
        break;
      case 'sub':
        if (a.requiresGrad) a.addGrad(sumToShape(g, a.shape));
        if (b.requiresGrad) b.addGrad(sumToShape(negated(g), b.shape));
        break;
      case 'mul':
        if (a.requiresGrad) a.addGrad(sumToShape(compute('mul', g, b.value, shape), a.shape));
        if (b.requiresGrad) b.addGrad(sumToShape(compute('mul', g, a.value, shape), b.shape));
        break;
      case 'div':
        if (a.requiresGrad) a.addGrad(sumToShape(compute('div', g, b.value, shape), a.shape));
        if (b.requiresGrad) {
          // ∂(a/b)/∂b = −(a/b)/b = −out/b
          const t = compute('div', compute('mul', g, out, shape), b.value, shape);
          getBackend().scaleInPlace(t.data, -1);
          b.addGrad(sumToShape(t, b.shape));
        }
        break;
    }
  });
}

function negated(t: Tensor): Tensor {
  const out = allocate(t.dtype, t.size);
  getBackend().unary('neg', t.values(), out);
  return new Tensor(out, t.shape);
}

/** a + b with broadcasting. */
export function add(a: Operand | number, b: Operand | number): Variable {
  return binaryOp('add', a, b);
}

/** a − b with broadcasting. */
export function sub(a: Operand | number, b: Operand | number): Variable {
  return binaryOp('sub', a, b);
}

/** a · b element-wise with broadcasting. */
export function mul(a: Operand | number, b: Operand | number): Variable {
  return binaryOp('mul', a, b);
}

/** a / b element-wise with broadcasting. */
export function div(a: Operand | number, b: Operand | number): Variable {
  return binaryOp('div', a, b);
}

/** −x. */
export function neg(x: Operand): Variable {
  const a = asVariable(x);
  return recordOp('neg', negated(a.value), [a], (g) => a.addGrad(negated(g)));
}
