/**
 * conv1d over sequences for the char CNN: x [B, L, Cin], w [K, Cin, Cout] → [B, L + 2·pad − K + 1, Cout].
 * Add a bias with `add` (it broadcasts over [B, L]).
 */
import { Tensor, allocate, resultDType, zeros } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { conv1dOutLength, type Conv1dShape } from '../../kernels/cpu/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

export function conv1d(x: Operand, w: Operand, pad = 0): Variable {
  const a = asVariable(x), k = asVariable(w);
  if (a.shape.length !== 3 || k.shape.length !== 3 || a.shape[2] !== k.shape[1]) {
    throw new Error(`conv1d: input ${fmtShape(a.shape)} and filters ${fmtShape(k.shape)} are not compatible (need [B, L, Cin] and [K, Cin, Cout])`);
  }
  const s: Conv1dShape = { batch: a.shape[0], length: a.shape[1], inChannels: a.shape[2], outChannels: k.shape[2], kernel: k.shape[0], pad };
  const lout = conv1dOutLength(s);
  if (!Number.isInteger(pad) || pad < 0 || lout < 1) {
    throw new Error(`conv1d: input length ${s.length} with padding ${pad} is too short for kernel width ${s.kernel}`);
  }
  const xv = a.value.values(), wv = k.value.values();
  const out = allocate(resultDType(a.value, k.value), s.batch * lout * s.outChannels);
  getBackend().conv1dForward(xv, wv, s, out);
  return recordOp('conv1d', new Tensor(out, [s.batch, lout, s.outChannels]), [a, k], (g) => {
    const dx = a.requiresGrad ? zeros(a.shape, g.dtype) : null;
    const dw = k.requiresGrad ? zeros(k.shape, g.dtype) : null;
    getBackend().conv1dBackward(xv, wv, g.values(), s, dx?.data ?? null, dw?.data ?? null);
    if (dx) a.addGrad(dx);
    if (dw) k.addGrad(dw);
  });
}
