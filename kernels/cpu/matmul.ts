/**
 * Dense matrix product C = op(A) · op(B) (+ C when accumulating), the hot loop of every layer.
 *
 * How it is made fast in plain JavaScript (no SIMD available to us):
 * - the inner loop reads rows of A and rows of Bᵀ, both with unit stride: B given transposed is read
 *   in place, otherwise it is packed once per call (callers that multiply by the same matrix many times,
 *   like the LSTM's recurrence, pass it pre-transposed);
 * - the output is computed in 4×4 register tiles: 8 loads feed 16 multiply-adds per step of the
 *   inner loop, and the 16 partial sums live in local variables (registers), not memory;
 * - the k dimension is cut into blocks of `K_BLOCK` so that the four A rows and the Bᵀ panel being
 *   swept stay in L1/L2 cache;
 * - scratch buffers are cached per element type and only grow, so steady-state calls allocate nothing.
 */
import { type FloatArray } from './types.ts';

/** Arguments of {@link matmul}. A is m×k (k×m when `transA`), B is k×n (n×k when `transB`), C is m×n. */
export interface MatmulArgs {
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
  /** Add the product into `out` instead of overwriting it (used for gradient accumulation). */
  accumulate?: boolean;
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
}

/** The signature every matmul kernel shares, so callers can be handed a faster one (e.g. wasm SIMD). */
export type MatmulFn = (a: FloatArray, b: FloatArray, out: FloatArray, args: MatmulArgs) => void;

const K_BLOCK = 256;

const scratch32 = { a: new Float32Array(0), b: new Float32Array(0) };
const scratch64 = { a: new Float64Array(0), b: new Float64Array(0) };

function scratchFor(like: FloatArray, aSize: number, bSize: number): { a: FloatArray; b: FloatArray } {
  if (like instanceof Float64Array) {
    if (scratch64.a.length < aSize) scratch64.a = new Float64Array(aSize);
    if (scratch64.b.length < bSize) scratch64.b = new Float64Array(bSize);
    return scratch64;
  }
  if (scratch32.a.length < aSize) scratch32.a = new Float32Array(aSize);
  if (scratch32.b.length < bSize) scratch32.b = new Float32Array(bSize);
  return scratch32;
}

/**
 * out[m×n] (=|+=) op(a) · op(b). All arrays are row-major and contiguous from their offsets.
 * Works on Float32Array and Float64Array alike. Partial sums are JS doubles within a block of K_BLOCK
 * terms and are added into `out` after each block, so a float32 `out` is rounded once per block.
 */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, args: MatmulArgs): void {
  const { m, k, n } = args;
  const transA = args.transA ?? false;
  const transB = args.transB ?? false;
  const aOff = args.aOffset ?? 0;
  const bOff = args.bOffset ?? 0;
  const cOff = args.outOffset ?? 0;
  if (!args.accumulate) out.fill(0, cOff, cOff + m * n);
  if (m === 0 || n === 0 || k === 0) return;

  // Pack A as m contiguous rows of length k (only needed when transposed) and Bᵀ as n rows of length k
  // (only needed when B is not already given transposed: then its rows are used in place).
  const s = scratchFor(out, transA ? m * k : 0, transB ? 0 : n * k);
  let A: FloatArray = a;
  let aBase = aOff;
  if (transA) {
    A = s.a;
    aBase = 0;
    for (let p = 0; p < k; p++) {
      const src = aOff + p * m;
      for (let i = 0; i < m; i++) A[i * k + p] = a[src + i];
    }
  }
  let Bt: FloatArray = b;
  let btBase = bOff;
  if (!transB) {
    Bt = s.b;
    btBase = 0;
    for (let p = 0; p < k; p++) {
      const src = bOff + p * n;
      for (let j = 0; j < n; j++) Bt[j * k + p] = b[src + j];
    }
  }

  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const p1 = Math.min(k, p0 + K_BLOCK);
    for (let i = 0; i < m4; i += 4) {
      const a0 = aBase + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
      for (let j = 0; j < n4; j += 4) {
        const b0 = btBase + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
          const y0 = Bt[b0 + p], y1 = Bt[b1 + p], y2 = Bt[b2 + p], y3 = Bt[b3 + p];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let c = cOff + i * n + j;
        out[c] += c00; out[c + 1] += c01; out[c + 2] += c02; out[c + 3] += c03;
        c += n;
        out[c] += c10; out[c + 1] += c11; out[c + 2] += c12; out[c + 3] += c13;
        c += n;
        out[c] += c20; out[c + 1] += c21; out[c + 2] += c22; out[c + 3] += c23;
        c += n;
        out[c] += c30; out[c + 1] += c31; out[c + 2] += c32; out[c + 3] += c33;
      }
      // Leftover columns of this row block.
      for (let j = n4; j < n; j++) {
        const bj = btBase + j * k;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0; p < p1; p++) {
          const y = Bt[bj + p];
          c0 += A[a0 + p] * y; c1 += A[a1 + p] * y; c2 += A[a2 + p] * y; c3 += A[a3 + p] * y;
        }
        const c = cOff + i * n + j;
        out[c] += c0; out[c + n] += c1; out[c + 2 * n] += c2; out[c + 3 * n] += c3;
      }
    }
    // Leftover rows (m not a multiple of 4, e.g. a batch of 15): 1×4 tiles, then single dots.
    for (let i = m4; i < m; i++) {
      const ai = aBase + i * k;
      const c = cOff + i * n;
      for (let j = 0; j < n4; j += 4) {
        const b0 = btBase + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0; p < p1; p++) {
          const x = A[ai + p];
          c0 += x * Bt[b0 + p]; c1 += x * Bt[b1 + p]; c2 += x * Bt[b2 + p]; c3 += x * Bt[b3 + p];
        }
        out[c + j] += c0; out[c + j + 1] += c1; out[c + j + 2] += c2; out[c + j + 3] += c3;
      }
      for (let j = n4; j < n; j++) {
        const bj = btBase + j * k;
        let acc = 0;
        for (let p = p0; p < p1; p++) acc += A[ai + p] * Bt[bj + p];
        out[c + j] += acc;
      }
    }
  }
}
