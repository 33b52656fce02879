/**
 * max over one axis (the char CNN's max-pool over characters). The gradient flows only to the
 * winning element (the first one on ties).
 */
import { Tensor, allocate, zeros } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, normalizeAxis, splitAtAxis, reducedShape, fmtShape } from './operand.ts';

export function max(x: Operand, axis: number, keepDims = false): Variable {
  const a = asVariable(x);
  const ax = normalizeAxis('max', axis, a.shape);
  const { outer, n, inner } = splitAtAxis(a.shape, ax);
  if (n === 0) throw new Error(`max: axis ${ax} of shape ${fmtShape(a.shape)} is empty`);
  const out = allocate(a.value.dtype, outer * inner);
  const argmax = new Int32Array(outer * inner);
  getBackend().maxAxis(a.value.values(), outer, n, inner, out, argmax);
  return recordOp('max', new Tensor(out, reducedShape(a.shape, ax, keepDims)), [a], (g) => {
    const gv = g.values();
    const dx = zeros(a.shape, g.dtype);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const cell = o * inner + i;
        dx.data[(o * n + argmax[cell]) * inner + i] += gv[cell];
      }
    }
    a.addGrad(dx);
  });
}
