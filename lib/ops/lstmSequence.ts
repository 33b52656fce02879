/**
 * lstmSequence: one LSTM direction over a padded batch as a single fused op (paper E1 is two of these,
 * concatenated). Forward: one matmul for every input projection x_t·W_ih + b, then the recurrent
 * kernel. Backward: the hand-derived backpropagation through time of kernels/cpu/lstm.ts, then two
 * matmuls for dX and dW_ih. Checked against the same LSTM composed from primitive ops
 * (test/ops/lstmSequence.test.ts) and by finite differences.
 */
import { Tensor, allocate, zeros } from '../tensor/index.ts';
import { type Variable, recordOp, isGradEnabled } from '../autodiff/index.ts';
import { getBackend, type FusedLstmDirection } from '../backend/index.ts';
import type { LstmDirectionDims } from '../../kernels/wasm/lstm.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

/**
 * @param x inputs [B, T, I]
 * @param Wih input weights [I, 4H], gate blocks in the order i, f, g, o
 * @param Whh recurrent weights [H, 4H]
 * @param bias [4H]
 * @param lengths real length of each sentence (1..T)
 * @param reverse run from each sentence's last real token to its first
 * @returns hidden states [B, T, H], zero at padding
 */
export function lstmSequence(x: Operand, Wih: Operand, Whh: Operand, bias: Operand, lengths: Int32Array, reverse: boolean): Variable {
  const vx = asVariable(x), vWih = asVariable(Wih), vWhh = asVariable(Whh), vb = asVariable(bias);
  const { B, T, I, H, G } = checkLstmArguments('lstmSequence', vx, vWih, vWhh, vb, lengths);
  const backend = getBackend();
  const xv = vx.value.values(), wih = vWih.value.values(), whh = vWhh.value.values(), bv = vb.value.values();
  const fused = backend.lstmDirection;
  if (fused && xv instanceof Float32Array && wih instanceof Float32Array && whh instanceof Float32Array && bv instanceof Float32Array && fused.supports({ H, I })) {
    return fusedLstmSequence(fused, vx, vWih, vWhh, vb, xv, wih, whh, bv, { B, T, I, H, lengths, reverse });
  }
  const xProj = allocate(vx.value.dtype, B * T * G);
  backend.matmul(xv, wih, xProj, { m: B * T, k: I, n: G });
  for (let r = 0; r < B * T; r++) for (let j = 0; j < G; j++) xProj[r * G + j] += bv[j];
  const dims = { B, T, H, lengths, reverse };
  const saved = backend.lstmSequenceForward(xProj, whh, dims);
  return recordOp('lstmSequence', new Tensor(saved.h, [B, T, H]), [vx, vWih, vWhh, vb], (g) => {
    const dWhh = zeros([H, G], g.dtype);
    const dXProj = backend.lstmSequenceBackward(g.values(), saved, whh, dims, dWhh.data);
    if (vWhh.requiresGrad) vWhh.addGrad(dWhh);
    if (vx.requiresGrad) {
      const dx = allocate(g.dtype, B * T * I);
      backend.matmul(dXProj, wih, dx, { m: B * T, k: G, n: I, transB: true });
      vx.addGrad(new Tensor(dx, vx.shape));
    }
    if (vWih.requiresGrad) {
      const dW = allocate(g.dtype, I * G);
      backend.matmul(xv, dXProj, dW, { m: I, k: B * T, n: G, transA: true });
      vWih.addGrad(new Tensor(dW, vWih.shape));
    }
    if (vb.requiresGrad) {
      const db = allocate(g.dtype, G);
      for (let r = 0; r < B * T; r++) for (let j = 0; j < G; j++) db[j] += dXProj[r * G + j];
      vb.addGrad(new Tensor(db, vb.shape));
    }
  });
}

/**
 * The same op on a backend's fused direction (kernels/wasm/lstm.ts): input projection, recurrence
 * and weight gradients each in one call. Checked against the path above in
 * test/ops/lstmSequence.test.ts and test/kernels/wasm/lstm.test.ts.
 */
function fusedLstmSequence(fused: FusedLstmDirection, vx: Variable, vWih: Variable, vWhh: Variable, vb: Variable, xv: Float32Array, wih: Float32Array, whh: Float32Array, bv: Float32Array, d: LstmDirectionDims): Variable {
  const keep = isGradEnabled() && (vx.requiresGrad || vWih.requiresGrad || vWhh.requiresGrad || vb.requiresGrad);
  const { h, saved } = fused.forward(xv, wih, whh, bv, d, keep);
  return recordOp('lstmSequence', new Tensor(h, [d.B, d.T, d.H]), [vx, vWih, vWhh, vb], (g) => {
    const gv = g.values();
    const grads = fused.backward(gv instanceof Float32Array ? gv : Float32Array.from(gv), saved!, xv, wih, whh, d, vx.requiresGrad);
    if (vWhh.requiresGrad) vWhh.adoptGrad(new Tensor(grads.dWhh, vWhh.shape));
    if (grads.dx && vx.requiresGrad) vx.adoptGrad(new Tensor(grads.dx, vx.shape));
    if (vWih.requiresGrad) vWih.adoptGrad(new Tensor(grads.dWih, vWih.shape));
    if (vb.requiresGrad) vb.adoptGrad(new Tensor(grads.dBias, vb.shape));
  });
}

/**
 * The shape and length checks of an LSTM direction (shared by lstmSequence and biLstmSequence);
 * returns the dimensions. Errors name `op`.
 */
export function checkLstmArguments(op: string, vx: Variable, vWih: Variable, vWhh: Variable, vb: Variable, lengths: Int32Array): { B: number; T: number; I: number; H: number; G: number } {
  const [B, T, I] = vx.shape;
  const G = vWih.shape[1];
  const H = G / 4;
  if (vx.shape.length !== 3 || vWih.shape.length !== 2 || vWih.shape[0] !== I || !Number.isInteger(H) || vWhh.shape.length !== 2 || vWhh.shape[0] !== H || vWhh.shape[1] !== G || vb.shape.length !== 1 || vb.shape[0] !== G) {
    throw new Error(`${op}: shapes x ${fmtShape(vx.shape)}, Wih ${fmtShape(vWih.shape)}, Whh ${fmtShape(vWhh.shape)}, bias ${fmtShape(vb.shape)} do not fit [B, T, I], [I, 4H], [H, 4H], [4H]`);
  }
  if (lengths.length !== B) throw new Error(`${op}: ${lengths.length} lengths for a batch of ${B}`);
  for (let b = 0; b < B; b++) {
    if (lengths[b] < 1 || lengths[b] > T) throw new Error(`${op}: sentence ${b} has length ${lengths[b]}, must lie in [1, ${T}]`);
  }
  return { B, T, I, H, G };
}
