/**
 * logSumExp over one axis, computed as m + log Σ exp(x − m) with m the maximum so that nothing
 * overflows. Its gradient is the softmax: ∂/∂x_j = exp(x_j − lse).
 */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, normalizeAxis, splitAtAxis, reducedShape } from './operand.ts';

export function logSumExp(x: Operand, axis: number, keepDims = false): Variable {
  const a = asVariable(x);
  const ax = normalizeAxis('logSumExp', axis, a.shape);
  const { outer, n, inner } = splitAtAxis(a.shape, ax);
  const xv = a.value.values();
  const out = allocate(a.value.dtype, outer * inner);
  getBackend().logSumExpAxis(xv, outer, n, inner, out);
  return recordOp('logSumExp', new Tensor(out, reducedShape(a.shape, ax, keepDims)), [a], (g) => {
    const gv = g.values();
    const dx = allocate(g.dtype, xv.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < inner; i++) {
          const cell = o * inner + i;
          const p = (o * n + j) * inner + i;
          // An all −∞ row has no mass anywhere; its gradient is 0 rather than NaN.
          dx[p] = out[cell] === -Infinity ? 0 : gv[cell] * Math.exp(xv[p] - out[cell]);
        }
      }
    }
    a.addGrad(new Tensor(dx, a.shape));
  });
}
