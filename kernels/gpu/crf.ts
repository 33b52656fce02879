/**
 * GPU.js twins of the CRF kernels of `kernels/cpu/crf.ts` (paper E2–E5): forward-backward in log
 * space and Viterbi, same signatures and outputs.
 *
 * The recursions are sequential in time and parallel in (sentence, tag), so each is one kernel
 * launch per position over B·K threads: α_t from α_{t−1}, β_t from β_{t+1} (both aligned so that
 * every sentence starts at its own first/last token), δ_t and its back-pointer for Viterbi. Then
 * one launch computes all unary marginals (B·T·K threads) and one the pairwise marginals summed
 * over time (B·K·K threads, each looping over t). log Z and the Viterbi back-trace are O(B·K) and
 * O(B·T) host loops.
 *
 * −∞ (forbidden transitions under BIO constraints) is passed to the device as −1e30: −∞ − (−∞) is
 * NaN in a log-sum-exp, and GL modes do not promise IEEE infinities. exp(−1e30 + x) is exactly 0
 * for any score x of a real path, so marginals, log Z and paths are unchanged; a sentence with
 * no allowed path at all gets log Z ≈ −1e30 instead of −∞.
 *
 * GPU.js's JavaScript mode hoists every variable of a kernel into one scope, so no two loops or
 * blocks of a kernel may declare the same name (hence i2, j2).
 *
 * Precision: float32 on the device (the CPU twin recurses in float64); the tests state the
 * tolerance. crfPathScore (a gather of B·T scores) stays on the CPU.
 */
import { crfForwardBackward as cpuForwardBackward, viterbi as cpuViterbi, type CrfDims, type CrfMarginals } from '../cpu/crf.ts';
import type { FloatArray } from '../cpu/types.ts';
import type { GpuContext } from './context.ts';

/** Device stand-in for −∞ (see the file comment). */
export const NEG = -1e30;

function finite(x: FloatArray): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] === -Infinity ? NEG : x[i];
  return out;
}

/** α[b, s, j] for s ≥ 1: log Σ_i exp(α[b, s−1, i] + A[i, j]) + E[b, s, j]. Rows past their length copy. */
function alphaStepKernel(this: any, alpha: number[], emissions: number[], transitions: number[], lengths: number[], s: number, T: number, K: number): number {
  const b = Math.floor((this.thread.x + 0.5) / K);
  const j = this.thread.x - b * K;
  let result = alpha[(b * T + s - 1) * K + j];
  if (s < lengths[b]) {
    let m = -3e38;
    for (let i = 0; i < K; i++) {
      const v = alpha[(b * T + s - 1) * K + i] + transitions[i * K + j];
      if (v > m) { m = v; }
    }
    let sum = 0;
    for (let i2 = 0; i2 < K; i2++) {
      sum += Math.exp(alpha[(b * T + s - 1) * K + i2] + transitions[i2 * K + j] - m);
    }
    result = m + Math.log(sum) + emissions[(b * T + s) * K + j];
  }
  return result;
}

/** β[b, t, i] at t = L_b − 1 − s (s ≥ 1): log Σ_j exp(A[i, j] + E[b, t+1, j] + β[b, t+1, j]). */
function betaStepKernel(this: any, beta: number[], emissions: number[], transitions: number[], lengths: number[], s: number, T: number, K: number): number {
  const b = Math.floor((this.thread.x + 0.5) / K);
  const i = this.thread.x - b * K;
  const t = lengths[b] - 1 - s;
  let result = 0;
  if (t >= 0) {
    let m = -3e38;
    for (let j = 0; j < K; j++) {
      const v = transitions[i * K + j] + emissions[(b * T + t + 1) * K + j] + beta[(b * T + t + 1) * K + j];
      if (v > m) { m = v; }
    }
    let sum = 0;
    for (let j2 = 0; j2 < K; j2++) {
      sum += Math.exp(transitions[i * K + j2] + emissions[(b * T + t + 1) * K + j2] + beta[(b * T + t + 1) * K + j2] - m);
    }
    result = m + Math.log(sum);
  }
  return result;
}

/** p(y_t = k) = exp(α + β − log Z), 0 at padding. Thread x = (b, t, k). */
function unaryKernel(this: any, alpha: number[], beta: number[], logZ: number[], lengths: number[], T: number, K: number): number {
  const b = Math.floor((this.thread.x + 0.5) / (T * K));
  const t = Math.floor((this.thread.x - b * T * K + 0.5) / K);
  let result = 0;
  if (t < lengths[b]) {
    result = Math.exp(alpha[this.thread.x] + beta[this.thread.x] - logZ[b]);
  }
  return result;
}

/** Σ_t p(y_{t−1} = i, y_t = j). Thread x = (b, i, j). */
function pairwiseKernel(this: any, alpha: number[], beta: number[], emissions: number[], transitions: number[], logZ: number[], lengths: number[], T: number, K: number): number {
  const b = Math.floor((this.thread.x + 0.5) / (K * K));
  const i = Math.floor((this.thread.x - b * K * K + 0.5) / K);
  const j = this.thread.x - b * K * K - i * K;
  let sum = 0;
  for (let t = 1; t < T; t++) {
    if (t < lengths[b]) {
      sum += Math.exp(alpha[(b * T + t - 1) * K + i] + transitions[i * K + j] + emissions[(b * T + t) * K + j] + beta[(b * T + t) * K + j] - logZ[b]);
    }
  }
  return sum;
}

/** Viterbi step, packed output [2, B, K]: δ[b, s, j] in the first half, its arg-max i in the second. */
function viterbiStepKernel(this: any, delta: number[], emissions: number[], transitions: number[], lengths: number[], s: number, T: number, K: number, B: number): number {
  const half = B * K;
  let x = this.thread.x;
  let wantArg = 0;
  if (x >= half) { x = x - half; wantArg = 1; }
  const b = Math.floor((x + 0.5) / K);
  const j = x - b * K;
  let best = -3e38;
  let arg = 0;
  for (let i = 0; i < K; i++) {
    const v = delta[(b * T + s - 1) * K + i] + transitions[i * K + j];
    if (v > best) { best = v; arg = i; }
  }
  let result = best + emissions[(b * T + s) * K + j];
  if (s >= lengths[b]) { result = delta[(b * T + s - 1) * K + j]; }
  if (wantArg > 0.5) { result = arg; }
  return result;
}

/** Checked lengths and the device copies every CRF kernel call starts from. */
function deviceInputs(kernel: string, emissions: Float32Array, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims) {
  const { B, T, K, lengths } = d;
  for (let b = 0; b < B; b++) {
    if (lengths[b] < 1 || lengths[b] > T) throw new Error(`${kernel}: sentence ${b} has length ${lengths[b]}, must lie in [1, ${T}]`);
  }
  const E = emissions.length === B * T * K ? emissions : emissions.slice(0, B * T * K);
  const st = finite(start);
  // Position 0 of every sentence: start score plus emission (α₀ and δ₀ alike).
  const first = new Float32Array(B * T * K);
  for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) first[b * T * K + k] = st[k] + E[b * T * K + k];
  let steps = 0;
  for (let b = 0; b < B; b++) steps = Math.max(steps, lengths[b]);
  return { E, A: finite(transitions), en: finite(end), len: Float32Array.from(lengths.subarray(0, B)), first, steps };
}

/** Twin of `crfForwardBackward` (kernels/cpu/crf.ts). */
export function gpuCrfForwardBackward(ctx: GpuContext, emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims, withMarginals = true): CrfMarginals {
  if (emissions instanceof Float64Array) return cpuForwardBackward(emissions, transitions, start, end, d, withMarginals);
  const { B, T, K, lengths } = d;
  const { E, A, en, len, first: alpha, steps } = deviceInputs('crfForwardBackward', emissions, transitions, start, end, d);
  for (let s = 1; s < steps; s++) {
    const next = ctx.run('crfAlphaStep', alphaStepKernel, B * K, [alpha, E, A, len, s, T, K]);
    for (let b = 0; b < B; b++) alpha.set(next.subarray(b * K, (b + 1) * K), (b * T + s) * K);
  }
  // log Z in float64 on the host from the last α of each sentence.
  const logZ = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const row = (b * T + lengths[b] - 1) * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, alpha[row + k] + en[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(alpha[row + k] + en[k] - m);
    logZ[b] = m + Math.log(sum);
  }
  if (!withMarginals) return { logZ, unary: new Float32Array(0), pairwise: new Float32Array(0) };

  const beta = new Float32Array(B * T * K);
  for (let b = 0; b < B; b++) beta.set(en.subarray(0, K), (b * T + lengths[b] - 1) * K);
  for (let s = 1; s < steps; s++) {
    const next = ctx.run('crfBetaStep', betaStepKernel, B * K, [beta, E, A, len, s, T, K]);
    for (let b = 0; b < B; b++) {
      const t = lengths[b] - 1 - s;
      if (t >= 0) beta.set(next.subarray(b * K, (b + 1) * K), (b * T + t) * K);
    }
  }
  const z32 = Float32Array.from(logZ);
  // Copies: these leave the kernel, and the context's output buffers are reused by the next call.
  const unary = ctx.run('crfUnary', unaryKernel, B * T * K, [alpha, beta, z32, len, T, K]).slice();
  const pairwise = ctx.run('crfPairwise', pairwiseKernel, B * K * K, [alpha, beta, E, A, z32, len, T, K]).slice();
  return { logZ, unary, pairwise };
}

/** Twin of `viterbi` (kernels/cpu/crf.ts): best path per sentence (padding −1) and its score. */
export function gpuViterbi(ctx: GpuContext, emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims): { tags: Int32Array; scores: Float64Array } {
  if (emissions instanceof Float64Array) return cpuViterbi(emissions, transitions, start, end, d);
  const { B, T, K, lengths } = d;
  const { E, A, en, len, first: delta, steps } = deviceInputs('viterbi', emissions, transitions, start, end, d);
  const back = new Int32Array(B * T * K);
  for (let s = 1; s < steps; s++) {
    const packed = ctx.run('viterbiStep', viterbiStepKernel, 2 * B * K, [delta, E, A, len, s, T, K, B]);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        delta[(b * T + s) * K + k] = packed[b * K + k];
        back[(b * T + s) * K + k] = Math.round(packed[B * K + b * K + k]);
      }
    }
  }
  const tags = new Int32Array(B * T).fill(-1);
  const scores = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    let best = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      const v = delta[(b * T + L - 1) * K + k] + en[k];
      if (v > best) { best = v; arg = k; }
    }
    scores[b] = best <= NEG / 2 ? -Infinity : best;
    tags[b * T + L - 1] = arg;
    for (let t = L - 1; t > 0; t--) {
      arg = back[(b * T + t) * K + arg];
      tags[b * T + t - 1] = arg;
    }
  }
  return { tags, scores };
}
