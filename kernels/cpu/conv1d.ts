/**
 * 1-D convolution over a sequence, the char CNN's core: x [B, L, Cin], w [K, Cin, Cout],
 * out [B, Lout, Cout] with Lout = L + 2·pad − K + 1 and zero padding of `pad` on both ends.
 * out[b, t, o] = Σ_{k, c} x[b, t + k − pad, c] · w[k, c, o]  (cross-correlation, as in every DL library).
 *
 * Computed as im2col + matmul: each output position's receptive field is unrolled into a row of
 * K·Cin values, so the whole convolution is one [B·Lout, K·Cin]·[K·Cin, Cout] product on the blocked
 * matmul kernel (several times faster than direct loops), and the backward is two more products.
 */
import { type FloatArray, allocLike } from './types.ts';
import { matmul as jsMatmul, type MatmulFn } from './matmul.ts';

export interface Conv1dShape { batch: number; length: number; inChannels: number; outChannels: number; kernel: number; pad: number; }

export function conv1dOutLength(s: Conv1dShape): number {
  return s.length + 2 * s.pad - s.kernel + 1;
}

/** Unrolls receptive fields: cols[(b·Lout + t), k·Cin + c] = x[b, t + k − pad, c] (0 outside). */
function im2col(x: FloatArray, s: Conv1dShape): FloatArray {
  const { batch: B, length: L, inChannels: C, kernel: K, pad } = s;
  const Lout = conv1dOutLength(s);
  const cols = allocLike(x, B * Lout * K * C);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < Lout; t++) {
      const row = (b * Lout + t) * K * C;
      for (let k = 0; k < K; k++) {
        const src = t + k - pad;
        if (src < 0 || src >= L) continue;
        cols.set(x.subarray((b * L + src) * C, (b * L + src + 1) * C), row + k * C);
      }
    }
  }
  return cols;
}

export function conv1dForward(x: FloatArray, w: FloatArray, s: Conv1dShape, out: FloatArray, matmul: MatmulFn = jsMatmul): void {
  const Lout = conv1dOutLength(s);
  matmul(im2col(x, s), w, out, { m: s.batch * Lout, k: s.kernel * s.inChannels, n: s.outChannels });
}

/** Accumulates dx [B, L, Cin] and dw [K, Cin, Cout] from dOut [B, Lout, Cout]. */
export function conv1dBackward(x: FloatArray, w: FloatArray, dOut: FloatArray, s: Conv1dShape, dx: FloatArray | null, dw: FloatArray | null, matmul: MatmulFn = jsMatmul): void {
  const { batch: B, length: L, inChannels: C, outChannels: O, kernel: K, pad } = s;
  const Lout = conv1dOutLength(s);
  const rows = B * Lout, width = K * C;
  if (dw) matmul(im2col(x, s), dOut, dw, { m: width, k: rows, n: O, transA: true, accumulate: true });
  if (!dx) return;
  // dcols = dOut·wᵀ, then fold each unrolled row back onto the positions it came from (col2im).
  const dcols = allocLike(dOut, rows * width);
  matmul(dOut, w, dcols, { m: rows, k: O, n: width, transB: true });
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < Lout; t++) {
      const row = (b * Lout + t) * width;
      for (let k = 0; k < K; k++) {
        const src = t + k - pad;
        if (src < 0 || src >= L) continue;
        const dst = (b * L + src) * C, from = row + k * C;
        for (let c = 0; c < C; c++) dx[dst + c] += dcols[from + c];
      }
    }
  }
}
