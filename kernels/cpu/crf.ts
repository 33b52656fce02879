/**
 * Linear-chain CRF kernels (paper E2–E5): log-partition and marginals by the forward-backward
 * algorithm in log space, and Viterbi decoding.
 *
 * Score of a tag path y for a sentence of length L:
 *   s(y) = start[y_0] + Σ_t E[t, y_t] + Σ_{t≥1} A[y_{t−1}, y_t] + end[y_{L−1}]
 * (the paper's CRF has no start/end scores; passing zeros recovers it exactly). A transition or
 * boundary score of −∞ forbids it, which is how BIO constraints are imposed.
 *
 * Batched over B sentences padded to T; sentence b uses its first lengths[b] positions (≥ 1).
 */
import { type FloatArray } from './types.ts';

export interface CrfDims {
  B: number;
  T: number;
  K: number;
  lengths: Int32Array;
}

/** Outputs of {@link crfForwardBackward}. */
export interface CrfMarginals {
  /** log Z per sentence [B]. */
  logZ: Float64Array;
  /** p(y_t = k) [B, T, K]; zero at padding. */
  unary: FloatArray;
  /** Σ_t p(y_{t−1} = i, y_t = j) per sentence [B, K, K]. */
  pairwise: FloatArray;
}

/** log(exp(a) + exp(b)) without overflow, with −∞ as the neutral element. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Forward-backward in log space for a batch. Computes log Z and, when `withMarginals`, the unary and
 * pairwise marginals, which are exactly ∂log Z/∂E and ∂log Z/∂A (start/end marginals are unary[0] and
 * unary[L−1]).
 */
export function crfForwardBackward(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims, withMarginals = true): CrfMarginals {
  const { B, T, K, lengths } = d;
  const logZ = new Float64Array(B);
  const unary = emissions instanceof Float64Array ? new Float64Array(withMarginals ? B * T * K : 0) : new Float32Array(withMarginals ? B * T * K : 0);
  const pairwise = emissions instanceof Float64Array ? new Float64Array(withMarginals ? B * K * K : 0) : new Float32Array(withMarginals ? B * K * K : 0);
  // Work in float64 whatever the storage: the recursions add many terms.
  const alpha = new Float64Array(T * K), beta = new Float64Array(T * K);
  const tmp = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L < 1 || L > T) throw new Error(`crfForwardBackward: sentence ${b} has length ${L}, must lie in [1, ${T}]`);
    const e0 = b * T * K;
    for (let k = 0; k < K; k++) alpha[k] = start[k] + emissions[e0 + k];
    for (let t = 1; t < L; t++) {
      for (let j = 0; j < K; j++) {
        let m = -Infinity;
        for (let i = 0; i < K; i++) { const v = alpha[(t - 1) * K + i] + transitions[i * K + j]; tmp[i] = v; if (v > m) m = v; }
        let s = 0;
        if (m !== -Infinity) for (let i = 0; i < K; i++) s += Math.exp(tmp[i] - m);
        alpha[t * K + j] = (m === -Infinity ? -Infinity : m + Math.log(s)) + emissions[e0 + t * K + j];
      }
    }
    let z = -Infinity;
    for (let k = 0; k < K; k++) z = logAddExp(z, alpha[(L - 1) * K + k] + end[k]);
    logZ[b] = z;
    if (!withMarginals) continue;

    for (let k = 0; k < K; k++) beta[(L - 1) * K + k] = end[k];
    for (let t = L - 2; t >= 0; t--) {
      for (let i = 0; i < K; i++) {
        let m = -Infinity;
        for (let j = 0; j < K; j++) { const v = transitions[i * K + j] + emissions[e0 + (t + 1) * K + j] + beta[(t + 1) * K + j]; tmp[j] = v; if (v > m) m = v; }
        let s = 0;
        if (m !== -Infinity) for (let j = 0; j < K; j++) s += Math.exp(tmp[j] - m);
        beta[t * K + i] = m === -Infinity ? -Infinity : m + Math.log(s);
      }
    }
    for (let t = 0; t < L; t++) {
      for (let k = 0; k < K; k++) unary[e0 + t * K + k] = Math.exp(alpha[t * K + k] + beta[t * K + k] - z);
    }
    const p0 = b * K * K;
    for (let t = 1; t < L; t++) {
      for (let i = 0; i < K; i++) {
        const a = alpha[(t - 1) * K + i];
        if (a === -Infinity) continue;
        for (let j = 0; j < K; j++) {
          const v = a + transitions[i * K + j] + emissions[e0 + t * K + j] + beta[t * K + j] - z;
          if (v !== -Infinity) pairwise[p0 + i * K + j] += Math.exp(v);
        }
      }
    }
  }
  return { logZ, unary, pairwise };
}

/**
 * Score of given tag paths [B, T] (entries past each length are ignored): the gold term of the NLL.
 */
export function crfPathScore(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, tags: Int32Array, d: CrfDims): Float64Array {
  const { B, T, K, lengths } = d;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    let s = start[tags[b * T]] + end[tags[b * T + L - 1]];
    for (let t = 0; t < L; t++) {
      const y = tags[b * T + t];
      s += emissions[(b * T + t) * K + y];
      if (t > 0) s += transitions[tags[b * T + t - 1] * K + y];
    }
    out[b] = s;
  }
  return out;
}

/** Best tag path per sentence [B, T] (padding filled with −1) and its score [B]. */
export function viterbi(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims): { tags: Int32Array; scores: Float64Array } {
  const { B, T, K, lengths } = d;
  const tags = new Int32Array(B * T).fill(-1);
  const scores = new Float64Array(B);
  const delta = new Float64Array(T * K);
  const back = new Int32Array(T * K);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L < 1 || L > T) throw new Error(`viterbi: sentence ${b} has length ${L}, must lie in [1, ${T}]`);
    const e0 = b * T * K;
    for (let k = 0; k < K; k++) delta[k] = start[k] + emissions[e0 + k];
    for (let t = 1; t < L; t++) {
      for (let j = 0; j < K; j++) {
        let best = -Infinity, arg = 0;
        for (let i = 0; i < K; i++) {
          const v = delta[(t - 1) * K + i] + transitions[i * K + j];
          if (v > best) { best = v; arg = i; }
        }
        delta[t * K + j] = best + emissions[e0 + t * K + j];
        back[t * K + j] = arg;
      }
    }
    let best = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      const v = delta[(L - 1) * K + k] + end[k];
      if (v > best) { best = v; arg = k; }
    }
    scores[b] = best;
    for (let t = L - 1; t >= 0; t--) {
      tags[b * T + t] = arg;
      arg = back[t * K + arg];
    }
  }
  return { tags, scores };
}
