/**
 * biLstmSequence: both directions of a Bi-LSTM (paper E1: h_t = [→h_t ; ←h_t]) as one op. On a
 * backend with the fused float32 LSTM it is one kernel call each way, writing the two halves of
 * [B, T, 2H] in place (a threaded backend runs the directions on two cores); elsewhere it is exactly
 * concat(lstmSequence(forward), lstmSequence(reverse)), which is also its reference in
 * test/ops/biLstmSequence.test.ts.
 */
import { Tensor } from '../tensor/index.ts';
import { type Variable, recordOp, isGradEnabled } from '../autodiff/index.ts';
import { getBackend, type BiLstmProjection } from '../backend/index.ts';
import { type Operand, asVariable } from './operand.ts';
import { lstmSequence, checkLstmArguments } from './lstmSequence.ts';
import { concat } from './concat.ts';

/** The three parameters of one direction. */
export interface LstmDirectionParams {
  Wih: Operand;
  Whh: Operand;
  bias: Operand;
}

/**
 * @param x inputs [B, T, I]
 * @param forward weights of the left-to-right direction ([I, 4H], [H, 4H], [4H])
 * @param backward weights of the right-to-left direction
 * @param lengths real length of each sentence (1..T)
 * @param projection for inference only: cached x[:, :, :K]·W_ih[:K] rows of both directions
 *   (lib/nn/inputProjection.ts), which the fused kernel starts from instead of multiplying those K
 *   inputs again; the result is the same to the bit. Ignored when gradients are recorded or where
 *   the fused kernel does not run.
 * @returns [B, T, 2H], zero at padding
 */
export function biLstmSequence(x: Operand, forward: LstmDirectionParams, backward: LstmDirectionParams, lengths: Int32Array, projection?: BiLstmProjection): Variable {
  const vx = asVariable(x);
  const f = [forward.Wih, forward.Whh, forward.bias].map((v) => asVariable(v)), b = [backward.Wih, backward.Whh, backward.bias].map((v) => asVariable(v));
  const fused = getBackend().lstmDirection;
  const values = [vx, ...f, ...b].map((v) => v.value.values());
  const sameShapes = f.every((v, i) => v.shape.length === b[i].shape.length && v.shape.every((d, j) => d === b[i].shape[j]));
  if (!fused || !sameShapes || !values.every((v) => v instanceof Float32Array)) return composed(vx, f, b, lengths);
  const { B, T, I, H } = checkLstmArguments('biLstmSequence', vx, f[0], f[1], f[2], lengths);
  if (!fused.supports({ H, I })) return composed(vx, f, b, lengths);
  const [xv, Wf, Uf, bf, Wb, Ub, bb] = values as Float32Array[];
  const wf = { Wih: Wf, Whh: Uf, bias: bf }, wb = { Wih: Wb, Whh: Ub, bias: bb };
  const d = { B, T, I, H, lengths, reverse: false };
  const parents = [vx, ...f, ...b];
  const keep = isGradEnabled() && parents.some((p) => p.requiresGrad);
  const { h, saved } = fused.bidirectionalForward(xv, wf, wb, d, keep, keep ? undefined : projection);
  return recordOp('biLstmSequence', new Tensor(h, [B, T, 2 * H]), parents, (g) => {
    const gv = g.values();
    const grads = fused.bidirectionalBackward(gv instanceof Float32Array ? gv : Float32Array.from(gv), saved!, xv, wf, wb, d, vx.requiresGrad);
    if (grads.dx) vx.adoptGrad(new Tensor(grads.dx, vx.shape));
    for (const [vars, gr] of [[f, grads.forward], [b, grads.backward]] as const) {
      vars[0].adoptGrad(new Tensor(gr.dWih, vars[0].shape));
      vars[1].adoptGrad(new Tensor(gr.dWhh, vars[1].shape));
      vars[2].adoptGrad(new Tensor(gr.dBias, vars[2].shape));
    }
  });
}

/** The two directions as separate ops, concatenated (every backend; also the fused path's reference). */
function composed(vx: Variable, f: Variable[], b: Variable[], lengths: Int32Array): Variable {
  return concat([lstmSequence(vx, f[0], f[1], f[2], lengths, false), lstmSequence(vx, b[0], b[1], b[2], lengths, true)], -1);
}
