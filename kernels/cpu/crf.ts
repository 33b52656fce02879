/**
 * Linear-chain CRF kernels (paper E2–E5): log-partition and marginals by the forward-backward
 * algorithm, and Viterbi decoding.
 *
 * Score of a tag path y for a sentence of length L:
 *   s(y) = start[y_0] + Σ_t E[t, y_t] + Σ_{t≥1} A[y_{t−1}, y_t] + end[y_{L−1}]
 * (the paper's CRF has no start/end scores; passing zeros recovers it exactly). A transition or
 * boundary score of −∞ forbids it, which is how BIO constraints are imposed.
 *
 * Batched over B sentences padded to T; sentence b uses its first lengths[b] positions (≥ 1).
 *
 * ## Scaled forward-backward (what {@link crfForwardBackward} runs)
 * The sums of E4 are done in probability space with per-step normalisation instead of log-sum-exp,
 * which needs K exps per position instead of ~3K². With the shifts σ = max start, τ = max end,
 * μ = max A (each taken as 0 when every entry is −∞) and m_t = max_k E[t, k]:
 *   S[k] = exp(start[k] − σ), N[k] = exp(end[k] − τ), Â[i][j] = exp(A[i][j] − μ), p_t[k] = exp(E[t,k] − m_t),
 * all in [0, 1] (−∞ becomes an exact 0), and exp s(y) = exp(σ + τ + (L−1)μ + Σ_t m_t) · S[y_0] p_0[y_0]
 * Π_{t≥1} Â[y_{t−1}][y_t] p_t[y_t] · N[y_{L−1}]. Writing α_t, β_t for the usual (shifted,
 * unnormalised) forward and backward sums, Z' = Σ_k α_{L−1}[k] N[k] and:
 *   forward   ã_0 = S ⊙ p_0;  ã_t[j] = p_t[j] Σ_i â_{t−1}[i] Â[i][j];  c_t = Σ_j ã_t[j];  â_t = ã_t / c_t
 *             so â_t = α_t / Π_{s≤t} c_s (each â_t sums to 1), and with c_end = Σ_k â_{L−1}[k] N[k]
 *             Z' = c_end Π_t c_t, i.e.  log Z = σ + τ + (L−1)μ + Σ_t (m_t + log c_t) + log c_end.
 *   backward  b̂_{L−1} = N / c_end;  b̂_t[i] = Σ_j Â[i][j] p_{t+1}[j] b̂_{t+1}[j] / c_{t+1}
 *             so b̂_t = β_t / (c_end Π_{s>t} c_s).
 *   unary     p(y_t = k) = α_t[k] β_t[k] / Z' = â_t[k] b̂_t[k]  (the products of c cancel).
 *   pairwise  p(y_{t−1} = i, y_t = j) = α_{t−1}[i] Â[i][j] p_t[j] β_t[j] / Z'
 *             = â_{t−1}[i] Â[i][j] p_t[j] b̂_t[j] / c_t = Â[i][j] · â_{t−1}[i] r_t[j],  r_t[j] = p_t[j] b̂_t[j] / c_t,
 *             so Σ_t pairwise = Â ⊙ Σ_t â_{t−1} r_tᵀ (the factor Â is applied once, after the sum).
 *   Also b̂_t[i] = Σ_j Â[i][j] r_{t+1}[j], so the backward step and the pairwise sum share r.
 * Every quantity is a non-negative sum of products, so there is no cancellation; the only thing
 * that can go wrong is underflow: an â entry (or a p or Â factor) that comes out 0 or subnormal
 * although it is not zero in exact arithmetic, and is later multiplied back up by a large b̂ (b̂ is
 * not bounded above; â is). So every factor S, N, Â, p and every ã, c, c_end entry must be
 * exactly 0 by construction (a −∞ score, or no allowed predecessor) or at least TINY = 2^−1000;
 * then each lost subnormal term is below 2^−74 of its sum, i.e. float64 rounding. (b̂ entries of
 * reachable tags are held to the same bound; that only matters for the relative accuracy of
 * marginals below ~2^−1000, since an error in b̂ reaches the marginals weighted by â ≤ 1.)
 * A sentence that breaks this (shifted scores below ≈ −693, or paths whose relative weight falls
 * below 2^−1000: e.g. emissions ±500), or that has no allowed path at all, is redone by the
 * log-space recursion ({@link crfForwardBackwardLogSpace}), so results are never worse than the
 * log-space kernel's. Time: K exps and ~3K² multiply-adds per position instead of ~3K² exps.
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

/** Smallest value a factor or a partial sum of the scaled recursion may take unless it is exactly 0. */
const TINY = 2 ** -1000;
/** log(TINY): a shifted score below this (but above −∞) sends the sentence to the log-space path. */
const LOG_TINY = -1000 * Math.LN2;
/** Range of the running product of scales before it is folded into log Z. */
const PROD_LO = 2 ** -20, PROD_HI = 2 ** 20;

/** log(exp(a) + exp(b)) without overflow, with −∞ as the neutral element. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function allocOutputs(emissions: FloatArray, B: number, T: number, K: number, withMarginals: boolean): CrfMarginals {
  const f64 = emissions instanceof Float64Array;
  const nU = withMarginals ? B * T * K : 0, nP = withMarginals ? B * K * K : 0;
  return {
    logZ: new Float64Array(B),
    unary: f64 ? new Float64Array(nU) : new Float32Array(nU),
    pairwise: f64 ? new Float64Array(nP) : new Float32Array(nP),
  };
}

function checkLength(b: number, L: number, T: number): void {
  if (L < 1 || L > T) throw new Error(`crfForwardBackward: sentence ${b} has length ${L}, must lie in [1, ${T}]`);
}

/** Scratch of the log-space recursion: α, β [T·K] and one row [K]. */
interface LogSpaceScratch { alpha: Float64Array; beta: Float64Array; tmp: Float64Array }

function logSpaceScratch(T: number, K: number): LogSpaceScratch {
  return { alpha: new Float64Array(T * K), beta: new Float64Array(T * K), tmp: new Float64Array(K) };
}

/**
 * Forward-backward in log space for sentence b (length L): writes logZ[b] and, when `withMarginals`,
 * its unary marginals and adds its pairwise marginals into `out`. A sentence with no allowed path
 * (log Z = −∞) keeps zero marginals.
 */
function logSpaceSentence(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, T: number, K: number, b: number, L: number,
  withMarginals: boolean, out: CrfMarginals, sc: LogSpaceScratch): void {
  const { alpha, beta, tmp } = sc;
  const { unary, pairwise } = out;
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
  out.logZ[b] = z;
  if (!withMarginals || z === -Infinity) return;

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

/**
 * The forward-backward in log space (log-sum-exp at every step): the reference the scaled kernel
 * is tested against, and its fallback for sentences whose scores are too extreme for probability
 * space. Same signature and outputs as {@link crfForwardBackward}.
 */
export function crfForwardBackwardLogSpace(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims, withMarginals = true): CrfMarginals {
  const { B, T, K, lengths } = d;
  const out = allocOutputs(emissions, B, T, K, withMarginals);
  const sc = logSpaceScratch(T, K);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    checkLength(b, L, T);
    logSpaceSentence(emissions, transitions, start, end, T, K, b, L, withMarginals, out, sc);
  }
  return out;
}

/**
 * exp(x − shift) for the scaled recursion into `out`, shift = max x (0 when every x is −∞).
 * Returns the shift, or NaN when some x is +∞/NaN or a finite x lies more than −LOG_TINY below the
 * shift (the scaled recursion cannot represent it faithfully).
 */
function expShifted(x: FloatArray, out: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  if (m === Infinity) return NaN;
  if (m === -Infinity) m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] - m;
    if (v >= LOG_TINY) out[i] = Math.exp(v);
    else if (v === -Infinity) out[i] = 0;
    else return NaN;
  }
  return m;
}

/** Per-call state of the scaled recursion (see the file comment for the symbols). */
interface Scaled {
  K: number;
  /** Â [K·K] row-major and transposed (ÂT[j·K + i] = Â[i][j]); S, N [K]. */
  expA: Float64Array; expAT: Float64Array; expS: Float64Array; expN: Float64Array;
  /** σ + τ and μ. */
  shiftSE: number; shiftA: number;
  /** â, b̂, p [T·K]; 1/c_t [T]; r [K]; Σ_t â_{t−1} r_tᵀ [K·K]. */
  alpha: Float64Array; beta: Float64Array; p: Float64Array; invC: Float64Array; r: Float64Array; M: Float64Array;
}

/**
 * Scaled forward-backward for sentence b (length L), writing logZ[b] and its marginals into `out`.
 * Returns false, having written nothing but possibly unary entries of sentence b, when the
 * sentence needs the log-space recursion (underflow, non-finite scores, no allowed path).
 */
function scaledSentence(emissions: FloatArray, T: number, b: number, L: number, withMarginals: boolean, out: CrfMarginals, s: Scaled): boolean {
  const { K, expA, expAT, expS, expN, alpha, beta, p, invC, r, M } = s;
  const e0 = b * T * K;
  let logZ = s.shiftSE + (L - 1) * s.shiftA;
  // Π c_t is kept as a running product, folded into logZ (one log) whenever it has left
  // [2^−20, 2^20] before the next factor: with c_t ∈ [TINY, K] it stays a normal float64.
  let prodC = 1;

  // Forward: ã_t, c_t, â_t.
  for (let t = 0; t < L; t++) {
    const row = e0 + t * K, cur = t * K, prev = cur - K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) { const v = emissions[row + k]; if (v > m) m = v; }
    if (!(m > -Infinity && m < Infinity)) return false;
    let c = 0;
    for (let j = 0; j < K; j++) {
      const x = emissions[row + j] - m;
      let pj: number;
      if (x >= LOG_TINY) pj = Math.exp(x);
      else if (x === -Infinity) pj = 0;
      else return false;
      p[cur + j] = pj;
      let a: number;
      if (t === 0) {
        a = expS[j] * pj;
        if (!(a >= TINY) && expS[j] !== 0 && pj !== 0) return false;
      } else {
        let u = 0;
        const jo = j * K;
        for (let i = 0; i < K; i++) u += alpha[prev + i] * expAT[jo + i];
        a = u * pj;
        if (!(a >= TINY) && pj !== 0) {
          // Zero by construction only if no allowed predecessor carries weight.
          for (let i = 0; i < K; i++) if (alpha[prev + i] !== 0 && expAT[jo + i] !== 0) return false;
        }
      }
      alpha[cur + j] = a;
      c += a;
    }
    if (!(c >= TINY)) return false; // no allowed path so far (or an impossible underflow): log space decides
    const ic = 1 / c;
    for (let j = 0; j < K; j++) alpha[cur + j] *= ic;
    invC[t] = ic;
    logZ += m;
    if (prodC < PROD_LO || prodC > PROD_HI) { logZ += Math.log(prodC); prodC = 1; }
    prodC *= c;
  }
  const last = (L - 1) * K;
  let cEnd = 0;
  for (let k = 0; k < K; k++) cEnd += alpha[last + k] * expN[k];
  if (!(cEnd >= TINY)) return false;
  out.logZ[b] = logZ + Math.log(prodC) + Math.log(cEnd);
  if (!withMarginals) return true;

  // Backward, fused with the unary marginals and the pairwise sum M = Σ_t â_{t−1} r_tᵀ.
  const { unary, pairwise } = out;
  M.fill(0);
  const icEnd = 1 / cEnd;
  for (let k = 0; k < K; k++) beta[last + k] = expN[k] * icEnd;
  for (let t = L - 2; t >= 0; t--) {
    const cur = t * K, nxt = cur + K, ic = invC[t + 1];
    for (let j = 0; j < K; j++) {
      const aj = alpha[nxt + j], bj = beta[nxt + j];
      unary[e0 + nxt + j] = aj * bj;
      // r is zeroed where â is 0 by construction: no pairwise mass flows there, and b̂ at such
      // unreachable tags may be arbitrarily large.
      // (p·(1/c) lies in [TINY/K, 1/TINY], so only a truly negligible r can underflow.)
      r[j] = aj === 0 ? 0 : bj * (p[nxt + j] * ic);
    }
    for (let i = 0; i < K; i++) {
      const io = i * K;
      let v = 0;
      for (let j = 0; j < K; j++) v += expA[io + j] * r[j];
      beta[cur + i] = v;
      const ai = alpha[cur + i];
      if (ai === 0) continue;
      if (!(v >= TINY)) {
        // b̂ below TINY is accepted only if it is 0 by construction (see the file comment).
        for (let j = 0; j < K; j++) if (expA[io + j] !== 0 && p[nxt + j] !== 0 && alpha[nxt + j] !== 0 && beta[nxt + j] !== 0) return false;
      }
      for (let j = 0; j < K; j++) M[io + j] += ai * r[j];
    }
  }
  for (let k = 0; k < K; k++) unary[e0 + k] = alpha[k] * beta[k];
  const p0 = b * K * K;
  for (let ij = 0; ij < K * K; ij++) pairwise[p0 + ij] = expA[ij] * M[ij];
  return true;
}

/**
 * Forward-backward for a batch: log Z and, when `withMarginals`, the unary and pairwise marginals,
 * which are exactly ∂log Z/∂E and ∂log Z/∂A (start/end marginals are unary[0] and unary[L−1]).
 * Scaled probability-space recursion (file comment), float64 inside whatever the storage; sentences
 * it cannot represent faithfully go through {@link crfForwardBackwardLogSpace}'s recursion. A
 * sentence with no allowed path gets log Z = −∞ and zero marginals. The pairwise sum over t is
 * accumulated in float64 and stored once in the emissions' dtype.
 */
export function crfForwardBackward(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims, withMarginals = true): CrfMarginals {
  const { B, T, K, lengths } = d;
  const out = allocOutputs(emissions, B, T, K, withMarginals);
  const expA = new Float64Array(K * K), expAT = new Float64Array(K * K), expS = new Float64Array(K), expN = new Float64Array(K);
  const shiftA = expShifted(transitions, expA), shiftS = expShifted(start, expS), shiftN = expShifted(end, expN);
  const paramsOk = !Number.isNaN(shiftA + shiftS + shiftN);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) expAT[j * K + i] = expA[i * K + j];
  const s: Scaled = {
    K, expA, expAT, expS, expN, shiftSE: shiftS + shiftN, shiftA,
    alpha: new Float64Array(T * K), beta: new Float64Array(withMarginals ? T * K : 0), p: new Float64Array(T * K),
    invC: new Float64Array(T), r: new Float64Array(K), M: new Float64Array(K * K),
  };
  let logSc: LogSpaceScratch | undefined;
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    checkLength(b, L, T);
    if (paramsOk && scaledSentence(emissions, T, b, L, withMarginals, out, s)) continue;
    if (withMarginals) out.unary.fill(0, b * T * K, (b * T + L) * K);
    logSpaceSentence(emissions, transitions, start, end, T, K, b, L, withMarginals, out, logSc ??= logSpaceScratch(T, K));
  }
  return out;
}

/**
 * Score of given tag paths [B, T] (entries past each length are ignored): the gold term of the NLL.
 */
export function crfPathScore(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, tags: Int32Array, d: CrfDims): Float64Array {
  const { B, T, K, lengths } = d;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const L = lengths[b], t0 = b * T;
    let prev = tags[t0];
    // Same additions in the same order as the textbook loop: start + end, then E and A per position.
    let s = start[prev] + end[tags[t0 + L - 1]];
    s += emissions[t0 * K + prev];
    for (let t = 1; t < L; t++) {
      const y = tags[t0 + t];
      s += emissions[(t0 + t) * K + y];
      s += transitions[prev * K + y];
      prev = y;
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
  // A transposed (AT[j·K + i] = A[i][j]) in float64, so the inner loop over predecessors is contiguous.
  const AT = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) AT[j * K + i] = transitions[i * K + j];
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L < 1 || L > T) throw new Error(`viterbi: sentence ${b} has length ${L}, must lie in [1, ${T}]`);
    const e0 = b * T * K;
    for (let k = 0; k < K; k++) delta[k] = start[k] + emissions[e0 + k];
    for (let t = 1; t < L; t++) {
      const prev = (t - 1) * K, cur = t * K, row = e0 + cur;
      for (let j = 0; j < K; j++) {
        const jo = j * K;
        let best = -Infinity, arg = 0;
        for (let i = 0; i < K; i++) {
          const v = delta[prev + i] + AT[jo + i];
          if (v > best) { best = v; arg = i; }
        }
        delta[cur + j] = best + emissions[row + j];
        back[cur + j] = arg;
      }
    }
    let best = -Infinity, arg = 0;
    const last = (L - 1) * K;
    for (let k = 0; k < K; k++) {
      const v = delta[last + k] + end[k];
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
