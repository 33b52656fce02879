/**
 * Squared maximum mean discrepancy with a sum of Gaussian kernels (paper E8–E9), value and gradient
 * in one pass. The costliest term of a La-DTL step, so it is written to reuse the blocked matmul:
 *
 *   k(a, b) = Σ_σ exp(−‖a − b‖² / (2σ))          (σ used as a variance, as in the authors' code)
 *   MMD²(P, Q) = mean K_PP + mean K_QQ − 2 mean K_PQ   (biased / V-statistic, the default)
 *   unbiased:  the diagonals of K_PP and K_QQ are left out and their means divide by n(n−1), m(m−1).
 *
 * Squared distances come from Gram matrices, ‖a‖² + ‖b‖² − 2a·b, computed in float64 (so the
 * cancellation error is ~1e-15 of the squared norms, harmless even for the 1e-6 bandwidth; the
 * diagonal of K_PP/K_QQ is set to exactly 0 distance).
 *
 * Gradient: with g(a, b) = Σ_σ exp(−‖a − b‖²/(2σ)) / σ we have ∂k(a, b)/∂a = −g(a, b)(a − b), so for
 * a block with weight c (c = 1/n² for K_PP, −2/(nm) for K_PQ, ...) the gradient with respect to the
 * rows of its left operand is −c (rowsum(G) ⊙ a − G·B): one more matmul per block. K_PP and K_QQ are
 * symmetric, which doubles their contribution.
 *
 * Exactness of the gradient: in K_PP and K_QQ the pair (a_i, a_i) contributes G_ii (a_i − a_i) = 0,
 * but G_ii = Σ_σ 1/σ ≈ 1.1e6 for the 19 bandwidths of E9, so left in G it would enter both
 * rowsum(G) a_i and (G·B)_i and cancel only to rounding (≈ 1e-16 · 1.1e6 · |a_i|, e.g. 3e-10 on a
 * gradient of 0.43: P = [[3], [3.5]], Q = [[10]]). G's diagonal is therefore 0, for the biased and
 * the unbiased estimator alike (K's diagonal still counts in the biased value): rows of the
 * symmetric blocks only see their j ≠ i terms, whose cancellation is the inherent |a|/|a − b| one.
 */
import { type FloatArray } from './types.ts';
import { matmul } from './matmul.ts';

/** The 19 bandwidths (variances) of the authors' code, paper E9. */
export const DEFAULT_MMD_BANDWIDTHS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 5, 10, 15, 20, 25, 30, 35, 100, 1e3, 1e4, 1e5, 1e6];

export interface MmdResult {
  value: number;
  /** ∂MMD²/∂P [n, d] (float64), present when requested. */
  gradP: Float64Array | null;
  /** ∂MMD²/∂Q [m, d] (float64), present when requested. */
  gradQ: Float64Array | null;
}

/** exp(−x) is below 1e-300 past this, so the term is skipped. */
const MAX_EXPONENT = 690;

/**
 * K and G (Σ exp/σ) of one block, from squared norms and the Gram matrix. A `symmetric` block (K_PP,
 * K_QQ: the same points on both sides) is evaluated on its upper triangle and mirrored, which halves
 * the exponentials (the costliest loop of the term) and makes K exactly symmetric; its diagonal is
 * distance 0 by definition rather than the rounding residue of ‖a‖² + ‖a‖² − 2a·a, and its G is 0
 * (see `gaussianMmd`: the diagonal contributes nothing to the gradient, exactly).
 */
function kernelBlock(gram: Float64Array, na: Float64Array, nb: Float64Array, rows: number, cols: number, bandwidths: readonly number[], symmetric: boolean, K: Float64Array, G: Float64Array | null): void {
  for (let i = 0; i < rows; i++) {
    for (let j = symmetric ? i : 0; j < cols; j++) {
      const idx = i * cols + j;
      let d2 = symmetric && i === j ? 0 : na[i] + nb[j] - 2 * gram[idx];
      if (d2 < 0) d2 = 0;
      let k = 0, g = 0;
      for (const s of bandwidths) {
        const e = d2 / (2 * s);
        if (e > MAX_EXPONENT) continue;
        const w = Math.exp(-e);
        k += w;
        g += w / s;
      }
      K[idx] = k;
      // A point's pair with itself moves nothing: G_ii (a_i − a_i) = 0. Its G_ii = Σ 1/σ ≈ 1.1e6
      // would otherwise enter rowsum(G) a − G·B on both sides and cancel only up to rounding.
      if (G) G[idx] = symmetric && j === i ? 0 : g;
      if (symmetric && j !== i) {
        const mirror = j * cols + i;
        K[mirror] = k;
        if (G) G[mirror] = g;
      }
    }
  }
}

function rowNorms(x: Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
    out[i] = s;
  }
  return out;
}

/**
 * Adds −c (rowsum(G) ⊙ A − G·B) into grad [rows, d]: the gradient of c·Σ_ij k(a_i, b_j) with respect
 * to the rows a_i.
 */
function addBlockGradient(grad: Float64Array, G: Float64Array, A: Float64Array, B: Float64Array, rows: number, cols: number, d: number, c: number): void {
  const GB = new Float64Array(rows * d);
  matmul(G, B, GB, { m: rows, k: cols, n: d });
  for (let i = 0; i < rows; i++) {
    let rs = 0;
    for (let j = 0; j < cols; j++) rs += G[i * cols + j];
    for (let t = 0; t < d; t++) grad[i * d + t] -= c * (rs * A[i * d + t] - GB[i * d + t]);
  }
}

/**
 * MMD²(P, Q) for P [n, d] and Q [m, d] (row-major). Needs n, m ≥ 1 (≥ 2 for the unbiased estimator).
 */
export function gaussianMmd(P: FloatArray, n: number, Q: FloatArray, m: number, d: number, bandwidths: readonly number[], unbiased: boolean, withGrad: boolean): MmdResult {
  if (n < 1 || m < 1 || (unbiased && (n < 2 || m < 2))) {
    throw new Error(`gaussianMmd: needs at least ${unbiased ? 2 : 1} samples on each side, got ${n} and ${m}`);
  }
  const p = Float64Array.from(P.subarray(0, n * d)), q = Float64Array.from(Q.subarray(0, m * d));
  const np = rowNorms(p, n, d), nq = rowNorms(q, m, d);
  const gpp = new Float64Array(n * n), gqq = new Float64Array(m * m), gpq = new Float64Array(n * m);
  matmul(p, p, gpp, { m: n, k: d, n, transB: true });
  matmul(q, q, gqq, { m, k: d, n: m, transB: true });
  matmul(p, q, gpq, { m: n, k: d, n: m, transB: true });
  const Kpp = new Float64Array(n * n), Kqq = new Float64Array(m * m), Kpq = new Float64Array(n * m);
  const Gpp = withGrad ? new Float64Array(n * n) : null, Gqq = withGrad ? new Float64Array(m * m) : null, Gpq = withGrad ? new Float64Array(n * m) : null;
  kernelBlock(gpp, np, np, n, n, bandwidths, true, Kpp, Gpp);
  kernelBlock(gqq, nq, nq, m, m, bandwidths, true, Kqq, Gqq);
  kernelBlock(gpq, np, nq, n, m, bandwidths, false, Kpq, Gpq);
  if (unbiased) {
    // Leaving out k(a, a): zero the diagonals of K (G's are 0 already).
    for (let i = 0; i < n; i++) Kpp[i * n + i] = 0;
    for (let i = 0; i < m; i++) Kqq[i * m + i] = 0;
  }
  const cpp = unbiased ? 1 / (n * (n - 1)) : 1 / (n * n);
  const cqq = unbiased ? 1 / (m * (m - 1)) : 1 / (m * m);
  const cpq = -2 / (n * m);
  let spp = 0, sqq = 0, spq = 0;
  for (const v of Kpp) spp += v;
  for (const v of Kqq) sqq += v;
  for (const v of Kpq) spq += v;
  const value = cpp * spp + cqq * sqq + cpq * spq;
  if (!withGrad) return { value, gradP: null, gradQ: null };
  const gradP = new Float64Array(n * d), gradQ = new Float64Array(m * d);
  // Symmetric blocks count each pair twice (a_i appears as both arguments).
  addBlockGradient(gradP, Gpp!, p, p, n, n, d, 2 * cpp);
  addBlockGradient(gradQ, Gqq!, q, q, m, m, d, 2 * cqq);
  addBlockGradient(gradP, Gpq!, p, q, n, m, d, cpq);
  // K_PQ's gradient with respect to Q uses its transpose.
  const GqpT = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) GqpT[j * n + i] = Gpq![i * m + j];
  addBlockGradient(gradQ, GqpT, q, p, m, n, d, cpq);
  return { value, gradP, gradQ };
}
