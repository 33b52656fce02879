/**
 * MMD² with the sum of Gaussian kernels (paper E8–E9), value and gradient, for float32 samples on
 * WebAssembly SIMD: the twin of `gaussianMmd` in kernels/cpu/mmd.ts (same signature and results up
 * to float32 rounding), which it falls back to for float64 input (gradient checks stay exact) and
 * where WebAssembly SIMD is unavailable. La-DTL evaluates it per label at every step on up to
 * 256 + 256 Bi-LSTM outputs of d = 200 (the O label capped), where the float64 TypeScript kernel
 * costs ~90 ms a step: three Gram products and four gradient products (~180 MFLOP) in float64
 * TypeScript, plus ~2.5M Math.exp.
 *
 * Here P and Q are one sample X = [P; Q] of N = n + m rows (the kernels' file comment,
 * mmdModule.ts, has the details), all in one wasm memory:
 * 1. X is centred on its mean (MMD and its gradient depend only on differences; centring shrinks
 *    ‖x‖², hence the float32 cancellation in ‖a‖² + ‖b‖² − 2a·b and in the gradient below);
 * 2. two float32 SIMD Gram products (the gemm of matmulModule.ts): P·Xᵀ (blocks PP and PQ) and Q·Qᵀ;
 * 3. `block` over the upper triangle: squared distances from the Gram matrix, recomputed as
 *    Σ(a − b)² from the original rows where d² < τ(‖a‖² + ‖b‖²) (τ = 1/4: duplicates,
 *    near-duplicates, where the narrow bandwidths matter and the Gram form is all rounding), the
 *    Gaussian sum with an inline SIMD exp (bandwidths whose exponent is past −87 skipped), the
 *    kernel sums (in float64, of e^x − 1 rather than e^x, whose 1 cancels exactly in MMD²), and the
 *    symmetric weight matrix M_ij = W_ij Σ_σ e^{−d²/2σ}/σ (W = 2c_PP, c_PQ, 2c_QQ);
 * 4. gradient: ∂MMD²/∂x_i = Σ_j M_ij (x_j − x_i) = (M·X)_i − rowsum(M)_i x_i, one float32 gemm.
 *    Near pairs are left out of M and added from differences of the original rows instead, so the
 *    product form only meets pairs with |a − b| ≳ √τ |a|, and exact duplicates (G = Σ 1/σ ≈ 1.1e6,
 *    a − b = 0) contribute exactly nothing, as in the TypeScript kernel's diagonal.
 *
 * Accuracy, against kernels/cpu/mmd.ts in float64 on the same data (test/kernels/wasm/mmd.test.ts,
 * bench/mmd.bench.ts): gradients within 1.5e-6 of the gradient's max |·| (max|Δ| / max|g|: 4e-7 at
 * 64+64, 1e-6 at 256+256, 1.4e-6 at 600+600 × 200; ≤ 7e-7 on the tests' random data, exact
 * duplicates, near-duplicates 1e-4 and 1e-3 apart, data far from the origin, n = 1; with τ = 0,
 * i.e. without the near path, duplicates are off by 0.57 of max|g|). The value's error is absolute,
 * on the scale of the kernel sums (≤ 19 for E9's bandwidths), not relative to MMD²: ≤ 2e-8 per
 * bandwidth in the tests, 2e-9..1.3e-8 in all at La-DTL sizes (MMD² ≈ 0.1). The exp/expm1 are
 * within 1 float32 ulp (8.5e-8 relative).
 *
 * Speed (bench/mmd.bench.ts --quick, alternating rounds, on a shared 2-core AMD EPYC VM with a 1-min
 * load of ~3.5, Node 20; float32 Bi-LSTM-like features, d = 200, 19 bandwidths, value + both gradients): 64+64 0.70 ms vs 4.9 ms for the TypeScript kernel (7×),
 * 256+256 8.2 vs 73.5 ms (8.9×), 600+600 51 vs 425 ms (8.3×); a La-DTL step's MMD term (7 labels, O
 * capped at 256) 14.6 vs 86.5 ms (5.9×). At 256+256 the time goes to the kernel pass (~3.6 ms), the
 * M·X product (~2.1 ms) and the two Gram products (~1.5 ms). When many pairs are near (two tight
 * clusters, half the pairs near) it costs ~29 ms at 256+256, against ~126 ms in TypeScript.
 */
import { gaussianMmd as tsGaussianMmd, type MmdResult } from '../cpu/mmd.ts';
import { type FloatArray } from '../cpu/types.ts';
import { Arena, gemmPacked, lazyGemmModule, MR, NR, roundUp, type GemmModule } from './gemmKernels.ts';
import { mmdFuncs } from './mmdModule.ts';

/** Pairs with d² < TAU·(‖a‖² + ‖b‖²) are "near": distances and gradients from differences. */
export const NEAR_TAU = 0.25;

type BlockFn = (
  gram: number, gs: number, na: number, nb: number, xa: number, xb: number, ga: number, gb: number, mp: number, ms: number,
  rows: number, cols: number, sym: number, w: number, bw: number, nbw: number, dp: number, tau: number, grad: number,
) => number;
type FinishFn = (M: number, ms: number, N: number, rs: number) => void;

type Kernels = GemmModule & { block: BlockFn; finish: FinishFn };
const lazyModule = lazyGemmModule(mmdFuncs);
let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels === undefined) {
    const m = lazyModule.get();
    kernels = m && { ...m, block: m.exports.block as BlockFn, finish: m.exports.finish as FinishFn };
  }
  return kernels;
}

/** Whether float32 MMDs run on the wasm kernels (compiles them on first call). */
export function wasmMmdAvailable(): boolean {
  return load() !== null;
}

/** Why the wasm kernels are unavailable ('' when they are). */
export function wasmMmdFailure(): string {
  return lazyModule.failure();
}


/**
 * `gram` [rows × ldc floats] = A·Bᵀ for rows of X at float indices `a` (rows) and `b` (cols), row
 * stride dp: both are packed (k = dp: the zero padding adds nothing) into `pa`, `pb`.
 */
function gramProduct(k: Kernels, a: number, rows: number, b: number, cols: number, dp: number, pa: number, pb: number, gram: number, ldc: number): void {
  k.packA(a * 4, pa * 4, rows, dp, dp * 4, 4);
  k.packB(b * 4, pb * 4, cols, dp, dp * 4, 4);
  gemmPacked(k, pa * 4, dp * MR * 4, pb * 4, dp * NR * 4, gram * 4, ldc * 4, rows, dp, cols, false);
}

export interface WasmMmdOptions {
  /** Near-pair threshold τ (default NEAR_TAU); exposed for the tests. */
  tau?: number;
}

/**
 * MMD²(P, Q) of float32 samples P [n, d], Q [m, d] on the wasm kernels; same contract as
 * kernels/cpu/mmd.ts (gradients as float64 arrays). Requires `wasmMmdAvailable()`.
 */
export function gaussianMmdWasm(P: Float32Array, n: number, Q: Float32Array, m: number, d: number, bandwidths: readonly number[], unbiased: boolean, withGrad: boolean, options: WasmMmdOptions = {}): MmdResult {
  if (n < 1 || m < 1 || (unbiased && (n < 2 || m < 2))) {
    throw new Error(`gaussianMmd: needs at least ${unbiased ? 2 : 1} samples on each side, got ${n} and ${m}`);
  }
  const k = load();
  if (!k) throw new Error(`gaussianMmd: wasm kernels unavailable (${lazyModule.failure()})`);
  if (P.length < n * d || Q.length < m * d) throw new RangeError(`gaussianMmd: samples of length ${P.length}, ${Q.length} are too short for [${n}, ${d}], [${m}, ${d}]`);
  const N = n + m, dp = roundUp(d, 4), nbw = bandwidths.length;
  const ldc1 = roundUp(N, NR), ldc2 = roundUp(m, NR), ms = roundUp(N, 4), ldc3 = roundUp(dp, NR);

  const mem = new Arena('gaussianMmd', 4); // 4 floats of slack: `block` reads a vector past a row's end
  const xo = mem.take(N * dp), xc = mem.take(N * dp), norms = mem.take(N), bw = mem.take(2 * nbw);
  const pa = mem.take(roundUp(Math.max(n, m), MR) * dp), pb = mem.take(ldc1 * dp);
  const g1 = mem.take(roundUp(n, MR) * ldc1), g2 = mem.take(roundUp(m, MR) * ldc2);
  const M = withGrad ? mem.take(N * ms) : 0, ng = withGrad ? mem.take(N * dp) : 0, rs = withGrad ? mem.take(2 * N) : 0;
  const pm = withGrad ? mem.take(roundUp(N, MR) * N) : 0, px = withGrad ? mem.take(ldc3 * N) : 0, gx = withGrad ? mem.take(roundUp(N, MR) * ldc3) : 0;
  const f32 = mem.commit(k.memory);

  loadRows(f32, P, n, Q, m, d, dp, xo, xc, norms);
  // Bandwidths widest first (the kernel stops at the first one past the exp's range for all lanes).
  const sorted = [...bandwidths].sort((a, b) => b - a);
  for (let b = 0; b < nbw; b++) {
    f32[bw + 2 * b] = -1 / (2 * sorted[b]);
    f32[bw + 2 * b + 1] = 1 / sorted[b];
  }

  gramProduct(k, xc, n, xc, N, dp, pa, pb, g1, ldc1);
  gramProduct(k, xc + n * dp, m, xc + n * dp, m, dp, pa, pb, g2, ldc2);

  const cpp = unbiased ? 1 / (n * (n - 1)) : 1 / (n * n);
  const cqq = unbiased ? 1 / (m * (m - 1)) : 1 / (m * m);
  const cpq = -2 / (n * m);
  const grad = withGrad ? 1 : 0, tau = options.tau ?? NEAR_TAU;
  if (withGrad) {
    f32.fill(0, M, M + N * ms + 4);
    f32.fill(0, ng, ng + N * dp);
  }
  const B = 4; // bytes per float
  const xq = n * dp; // float offset of Q's rows in xo / ng
  const spp = k.block(g1 * B, ldc1 * B, norms * B, norms * B, xo * B, xo * B, ng * B, ng * B, M * B, ms * B, n, n, 1, 2 * cpp, bw * B, nbw, dp, tau, grad);
  const spq = k.block((g1 + n) * B, ldc1 * B, norms * B, (norms + n) * B, xo * B, (xo + xq) * B, ng * B, (ng + xq) * B, (M + n) * B, ms * B, n, m, 0, cpq, bw * B, nbw, dp, tau, grad);
  const sqq = k.block(g2 * B, ldc2 * B, (norms + n) * B, (norms + n) * B, (xo + xq) * B, (xo + xq) * B, (ng + xq) * B, (ng + xq) * B, (M + n * ms + n) * B, ms * B, m, m, 1, 2 * cqq, bw * B, nbw, dp, tau, grad);
  // Sums of e^x − 1 (the constant 1 of every kernel cancels: see the file comment of mmdModule.ts);
  // the symmetric blocks were summed over j > i.
  const value = 2 * cpp * spp + 2 * cqq * sqq + cpq * spq;
  if (!withGrad) return { value, gradP: null, gradQ: null };

  // M is complete above the diagonal: mirror it, row sums, then M·X_c.
  k.finish(M * B, ms * B, N, rs * B);
  k.packA(M * B, pm * B, N, N, ms * B, B);
  k.packB(xc * B, px * B, dp, N, B, dp * B);
  gemmPacked(k, pm * B, N * MR * B, px * B, N * NR * B, gx * B, ldc3 * B, N, N, dp, false);

  const gradP = new Float64Array(n * d), gradQ = new Float64Array(m * d);
  const rsv = new Float64Array(k.memory.buffer, rs * B, N);
  assemble(f32, rsv, gx, ldc3, xc, ng, dp, d, 0, n, gradP);
  assemble(f32, rsv, gx, ldc3, xc, ng, dp, d, n, m, gradQ);
  return { value, gradP, gradQ };
}

/**
 * Copies P and Q into the memory as rows of X (float index `xo`, zero-padded to dp), and the rows
 * centred on X's mean (`xc`, float32) with their squared norms (`norms`, summed in float64).
 */
function loadRows(f32: Float32Array, P: Float32Array, n: number, Q: Float32Array, m: number, d: number, dp: number, xo: number, xc: number, norms: number): void {
  const N = n + m;
  const mean = new Float64Array(d);
  for (let i = 0; i < N; i++) {
    const src = i < n ? P : Q, off = (i < n ? i : i - n) * d;
    for (let t = 0; t < d; t++) mean[t] += src[off + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= N;
  for (let i = 0; i < N; i++) {
    const src = i < n ? P : Q, off = (i < n ? i : i - n) * d, o = xo + i * dp, cdst = xc + i * dp;
    f32.set(src.subarray(off, off + d), o);
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = Math.fround(src[off + t] - mean[t]);
      f32[cdst + t] = v;
      s += v * v;
    }
    for (let t = d; t < dp; t++) f32[o + t] = f32[cdst + t] = 0;
    f32[norms + i] = s;
  }
}

/** out[rows × d] (float64) = (M·X_c)_i − rowsum(M)_i x_i + near_i for rows first..first+rows−1. */
function assemble(f32: Float32Array, rs: Float64Array, gx: number, ldc: number, xc: number, ng: number, dp: number, d: number, first: number, rows: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const i = first + r, s = rs[i], o = r * d;
    const gRow = gx + i * ldc, xRow = xc + i * dp, nRow = ng + i * dp;
    for (let t = 0; t < d; t++) out[o + t] = f32[gRow + t] - s * f32[xRow + t] + f32[nRow + t];
  }
}

/**
 * The default cpu backend's `gaussianMmd`: the wasm kernels for float32 samples, the TypeScript
 * kernel (kernels/cpu/mmd.ts) for float64 ones or where WebAssembly SIMD is unavailable.
 */
export function gaussianMmd(P: FloatArray, n: number, Q: FloatArray, m: number, d: number, bandwidths: readonly number[], unbiased: boolean, withGrad: boolean): MmdResult {
  if (P instanceof Float32Array && Q instanceof Float32Array && load() !== null) return gaussianMmdWasm(P, n, Q, m, d, bandwidths, unbiased, withGrad);
  return tsGaussianMmd(P, n, Q, m, d, bandwidths, unbiased, withGrad);
}
