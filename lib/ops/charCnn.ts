/**
 * charCnn: a char CNN over each token's characters with max-pooling (the token encoder of Lample et
 * al. / Ma & Hovy that the paper's model takes from its base tagger), as one fused op on the
 * kernel of kernels/cpu/charCnn.ts, which convolves only the real characters of each word.
 * Equal to the composition mask → conv1d → + bias → max over real positions (test/ops/charCnn.test.ts,
 * values and gradients), and checked by finite differences.
 */
import { Tensor, allocate, resultDType, zeros } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

/**
 * @param e char embeddings [N, C, D] of N tokens padded to C characters
 * @param w filters [K, D, F], K odd (the word is zero-padded by (K − 1)/2 on both sides)
 * @param bias [F]
 * @param lengths characters of each token, each in [1, C]
 * @returns [N, F]: per filter, the maximum over the token's positions
 */
export function charCnn(e: Operand, w: Operand, bias: Operand, lengths: Int32Array): Variable {
  const ve = asVariable(e), vw = asVariable(w), vb = asVariable(bias);
  if (ve.shape.length !== 3 || vw.shape.length !== 3 || vw.shape[1] !== ve.shape[2] || vb.shape.length !== 1 || vb.shape[0] !== vw.shape[2]) {
    throw new Error(`charCnn: shapes e ${fmtShape(ve.shape)}, w ${fmtShape(vw.shape)}, bias ${fmtShape(vb.shape)} do not fit [N, C, D], [K, D, F], [F]`);
  }
  const [N, C, D] = ve.shape, [K, , F] = vw.shape;
  if (lengths.length !== N) throw new Error(`charCnn: ${lengths.length} lengths for ${N} tokens`);
  const d = { N, C, D, F, K, lengths };
  const wv = vw.value.values();
  const dtype = resultDType(ve.value, vw.value);
  const out = allocate(dtype, N * F);
  const saved = getBackend().charCnnForward(ve.value.values(), wv, vb.value.values(), d, out);
  return recordOp('charCnn', new Tensor(out, [N, F]), [ve, vw, vb], (g) => {
    const de = ve.requiresGrad ? zeros(ve.shape, g.dtype) : null;
    const dw = zeros(vw.shape, g.dtype), db = zeros(vb.shape, g.dtype);
    getBackend().charCnnBackward(g.values(), wv, saved, d, de?.data ?? null, dw.data, db.data);
    if (de) ve.adoptGrad(de);
    vw.adoptGrad(dw);
    vb.adoptGrad(db);
  });
}
