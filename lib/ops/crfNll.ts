/**
 * crfNll: the negative log-likelihood of gold tag paths under a linear-chain CRF (paper E3–E5), per
 * sentence, as one fused op: nll_b = log Z_b − s_b(y_gold).
 * Its gradient is "expected minus observed": ∂nll/∂E[t, k] = p(y_t = k) − [y_t = k], and likewise
 * for transitions (pairwise marginals minus gold transition counts) and start/end scores. The
 * marginals come from the forward-backward kernel in the same pass that computes log Z.
 */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

/** Scores made impossible (e.g. O → I-X under BIO); they add −∞ and receive no gradient. */
export interface CrfConstraints {
  /** [K·K] row-major from → to; true where the transition is allowed. */
  transitions: Uint8Array;
  /** [K]; true where a path may start with the tag. */
  start: Uint8Array;
  /** [K]; true where a path may end with the tag. */
  end: Uint8Array;
}

/** The constrained score arrays the kernels see: the learned scores plus 0 or −∞. */
export function constrainedScores(transitions: Tensor, start: Tensor, end: Tensor, constraints?: CrfConstraints): { A: Float64Array | Float32Array; s: Float64Array | Float32Array; e: Float64Array | Float32Array } {
  const A = transitions.values(), s = start.values(), e = end.values();
  if (!constraints) return { A, s, e };
  const mask = (src: Float64Array | Float32Array, allowed: Uint8Array): Float64Array | Float32Array => {
    const out = src.slice();
    for (let i = 0; i < out.length; i++) if (!allowed[i]) out[i] = -Infinity;
    return out;
  };
  return { A: mask(A, constraints.transitions), s: mask(s, constraints.start), e: mask(e, constraints.end) };
}

/**
 * @param emissions [B, T, K] scores E[t, k]
 * @param transitions [K, K] scores A[from, to]
 * @param start [K], end [K] boundary scores (pass zero constants for the paper's CRF without them)
 * @param tags gold tag ids [B·T] row-major; positions past each length are ignored
 * @param lengths real length of each sentence (1..T)
 * @returns nll per sentence [B]
 */
export function crfNll(emissions: Operand, transitions: Operand, start: Operand, end: Operand, tags: Int32Array, lengths: Int32Array, constraints?: CrfConstraints): Variable {
  const vE = asVariable(emissions), vA = asVariable(transitions), vs = asVariable(start), ve = asVariable(end);
  const [B, T, K] = vE.shape;
  if (vE.shape.length !== 3 || vA.shape.length !== 2 || vA.shape[0] !== K || vA.shape[1] !== K || vs.shape.length !== 1 || vs.shape[0] !== K || ve.shape.length !== 1 || ve.shape[0] !== K) {
    throw new Error(`crfNll: shapes emissions ${fmtShape(vE.shape)}, transitions ${fmtShape(vA.shape)}, start ${fmtShape(vs.shape)}, end ${fmtShape(ve.shape)} do not fit [B, T, K], [K, K], [K], [K]`);
  }
  if (lengths.length !== B || tags.length !== B * T) {
    throw new Error(`crfNll: ${lengths.length} lengths and ${tags.length} tags for emissions ${fmtShape(vE.shape)} (need ${B} and ${B * T})`);
  }
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      const y = tags[b * T + t];
      if (!(y >= 0 && y < K)) throw new Error(`crfNll: tag id ${y} at sentence ${b}, position ${t} is outside the ${K} labels`);
    }
  }
  const backend = getBackend();
  const E = vE.value.values();
  const { A, s, e } = constrainedScores(vA.value, vs.value, ve.value, constraints);
  const dims = { B, T, K, lengths };
  const needGrad = vE.requiresGrad || vA.requiresGrad || vs.requiresGrad || ve.requiresGrad;
  const m = backend.crfForwardBackward(E, A, s, e, dims, needGrad);
  const gold = backend.crfPathScore(E, A, s, e, tags, dims);
  const out = allocate(vE.value.dtype, B);
  for (let b = 0; b < B; b++) out[b] = m.logZ[b] - gold[b];
  return recordOp('crfNll', new Tensor(out, [B]), [vE, vA, vs, ve], (g) => {
    const gv = g.values();
    const dE = allocate(g.dtype, B * T * K), dA = allocate(g.dtype, K * K), ds = allocate(g.dtype, K), de = allocate(g.dtype, K);
    for (let b = 0; b < B; b++) {
      const w = gv[b], L = lengths[b];
      if (w === 0) continue;
      for (let t = 0; t < L; t++) {
        const row = (b * T + t) * K;
        for (let k = 0; k < K; k++) dE[row + k] += w * m.unary[row + k];
        dE[row + tags[b * T + t]] -= w;
        if (t > 0) dA[tags[b * T + t - 1] * K + tags[b * T + t]] -= w;
      }
      for (let k = 0; k < K * K; k++) dA[k] += w * m.pairwise[b * K * K + k];
      for (let k = 0; k < K; k++) {
        ds[k] += w * m.unary[b * T * K + k];
        de[k] += w * m.unary[(b * T + L - 1) * K + k];
      }
      ds[tags[b * T]] -= w;
      de[tags[b * T + L - 1]] -= w;
    }
    if (vE.requiresGrad) vE.addGrad(new Tensor(dE, vE.shape));
    if (vA.requiresGrad) vA.addGrad(new Tensor(dA, vA.shape));
    if (vs.requiresGrad) vs.addGrad(new Tensor(ds, vs.shape));
    if (ve.requiresGrad) ve.addGrad(new Tensor(de, ve.shape));
  });
}
