/**
 * GPU.js twin of `gaussianMmd` (kernels/cpu/mmd.ts): squared MMD with a sum of Gaussian kernels
 * (paper E8–E9) and its gradient with respect to both samples, same signature and result.
 *
 * Three kernels per call, each over many independent threads:
 *  1. `mmdDistances`: ‖a_i − b_j‖² for every pair of the three blocks PP, QQ, PQ at once, as the
 *     direct sum of squared differences. The CPU twin goes through the Gram matrix in float64;
 *     on a float32 device the Gram form would cancel catastrophically for close points, the
 *     direct form has no cancellation (and the diagonal of PP/QQ is exactly 0).
 *  2. `mmdKernels`: K = Σ_σ exp(−d²/(2σ)) and G = Σ_σ exp(−d²/(2σ))/σ for every pair (packed
 *     [K | G]), skipping terms whose exponent passes 690 exactly like the twin.
 *  3. `mmdGradient`: for every row i and feature t, Σ_j c_block · G_ij · (a_it − b_jt) summed over
 *     the blocks row i takes part in, again without the rowsum(G)⊙A − G·B cancellation of the
 *     matmul form, which in float32 would lose everything next to the 1/σ = 10⁶ weight of the
 *     smallest bandwidth.
 * The value is summed on the host in float64 from the device's K.
 * Pair layout (flat index): PP at [0, n²), QQ at [n², n² + m²), PQ at [n² + m², n² + m² + nm).
 * float64 inputs are computed by the CPU twin.
 */
import { gaussianMmd as cpuGaussianMmd, type MmdResult } from '../cpu/mmd.ts';
import type { FloatArray } from '../cpu/types.ts';
import type { GpuContext } from './context.ts';

/** Squared distance of pair x in the packed PP | QQ | PQ layout. */
function distanceKernel(this: any, P: number[], Q: number[], n: number, m: number, d: number): number {
  // Names are unique across the branches: GPU.js's JavaScript mode hoists them into one scope.
  const x = this.thread.x;
  let s = 0;
  if (x < n * n) {
    const i = Math.floor((x + 0.5) / n);
    const j = x - i * n;
    for (let t = 0; t < d; t++) { const v = P[i * d + t] - P[j * d + t]; s += v * v; }
  } else if (x < n * n + m * m) {
    const y = x - n * n;
    const i2 = Math.floor((y + 0.5) / m);
    const j2 = y - i2 * m;
    for (let t2 = 0; t2 < d; t2++) { const v2 = Q[i2 * d + t2] - Q[j2 * d + t2]; s += v2 * v2; }
  } else {
    const z = x - n * n - m * m;
    const i3 = Math.floor((z + 0.5) / m);
    const j3 = z - i3 * m;
    for (let t3 = 0; t3 < d; t3++) { const v3 = P[i3 * d + t3] - Q[j3 * d + t3]; s += v3 * v3; }
  }
  return s;
}

/** Packed [K | G] over the `pairs` distances. */
function kernelValuesKernel(this: any, d2: number[], bandwidths: number[], pairs: number, nb: number): number {
  let x = this.thread.x;
  let wantG = 0;
  if (x >= pairs) { x = x - pairs; wantG = 1; }
  const dist = d2[x];
  let k = 0;
  let g = 0;
  for (let q = 0; q < nb; q++) {
    const sigma = bandwidths[q];
    const e = dist / (2 * sigma);
    if (e <= 690) {
      const w = Math.exp(-e);
      k += w;
      g += w / sigma;
    }
  }
  let result = k;
  if (wantG > 0.5) { result = g; }
  return result;
}

/**
 * ∂MMD²/∂P (rows [0, n)) and ∂MMD²/∂Q (rows [n, n + m)), each row d wide:
 *   ∂/∂p_i = −2 cpp Σ_j Gpp_ij (p_i − p_j) − cpq Σ_j Gpq_ij (p_i − q_j)
 *   ∂/∂q_j = −2 cqq Σ_l Gqq_jl (q_j − q_l) − cpq Σ_i Gpq_ij (q_j − p_i)
 */
function gradientKernel(this: any, P: number[], Q: number[], G: number[], n: number, m: number, d: number, cpp: number, cqq: number, cpq: number): number {
  const row = Math.floor((this.thread.x + 0.5) / d);
  const t = this.thread.x - row * d;
  const qq0 = n * n;
  const pq0 = n * n + m * m;
  let self = 0;
  let cross = 0;
  if (row < n) {
    const a = P[row * d + t];
    for (let j = 0; j < n; j++) { self += G[row * n + j] * (a - P[j * d + t]); }
    for (let j2 = 0; j2 < m; j2++) { cross += G[pq0 + row * m + j2] * (a - Q[j2 * d + t]); }
    self = -2 * cpp * self;
  } else {
    const r = row - n;
    const a2 = Q[r * d + t];
    for (let l = 0; l < m; l++) { self += G[qq0 + r * m + l] * (a2 - Q[l * d + t]); }
    for (let i = 0; i < n; i++) { cross += G[pq0 + i * m + r] * (a2 - P[i * d + t]); }
    self = -2 * cqq * self;
  }
  return self - cpq * cross;
}

/** Twin of `gaussianMmd` (kernels/cpu/mmd.ts). */
export function gpuGaussianMmd(ctx: GpuContext, P: FloatArray, n: number, Q: FloatArray, m: number, d: number, bandwidths: readonly number[], unbiased: boolean, withGrad: boolean): MmdResult {
  if (P instanceof Float64Array || Q instanceof Float64Array) return cpuGaussianMmd(P, n, Q, m, d, bandwidths, unbiased, withGrad);
  if (n < 1 || m < 1 || (unbiased && (n < 2 || m < 2))) {
    throw new Error(`gaussianMmd: needs at least ${unbiased ? 2 : 1} samples on each side, got ${n} and ${m}`);
  }
  const p = P.length === n * d ? P : P.slice(0, n * d), q = Q.length === m * d ? Q : Q.slice(0, m * d);
  const pairs = n * n + m * m + n * m;
  const d2 = ctx.run('mmdDistances', distanceKernel, pairs, [p, q, n, m, d]);
  const KG = ctx.run('mmdKernels', kernelValuesKernel, 2 * pairs, [d2, Float32Array.from(bandwidths), pairs, bandwidths.length]);
  if (unbiased) {
    // Leave out k(a, a): zero the diagonals of K_PP and K_QQ and of their G.
    for (let i = 0; i < n; i++) { KG[i * n + i] = 0; KG[pairs + i * n + i] = 0; }
    for (let i = 0; i < m; i++) { KG[n * n + i * m + i] = 0; KG[pairs + n * n + i * m + i] = 0; }
  }
  const cpp = unbiased ? 1 / (n * (n - 1)) : 1 / (n * n);
  const cqq = unbiased ? 1 / (m * (m - 1)) : 1 / (m * m);
  const cpq = -2 / (n * m);
  let spp = 0, sqq = 0, spq = 0;
  for (let x = 0; x < n * n; x++) spp += KG[x];
  for (let x = n * n; x < n * n + m * m; x++) sqq += KG[x];
  for (let x = n * n + m * m; x < pairs; x++) spq += KG[x];
  const value = cpp * spp + cqq * sqq + cpq * spq;
  if (!withGrad) return { value, gradP: null, gradQ: null };
  const grad = ctx.run('mmdGradient', gradientKernel, (n + m) * d, [p, q, KG.slice(pairs), n, m, d, cpp, cqq, cpq]);
  return { value, gradP: Float64Array.from(grad.subarray(0, n * d)), gradQ: Float64Array.from(grad.subarray(n * d)) };
}
