/**
 * 1-D convolution over a sequence, the char CNN's core: x [B, L, Cin], w [K, Cin, Cout],
 * out [B, Lout, Cout] with Lout = L + 2·pad − K + 1 and zero padding of `pad` on both ends.
 * out[b, t, o] = Σ_{k, c} x[b, t + k − pad, c] · w[k, c, o]  (cross-correlation, as in every DL library).
 */
import { type FloatArray } from './types.ts';

export interface Conv1dShape { batch: number; length: number; inChannels: number; outChannels: number; kernel: number; pad: number; }

export function conv1dOutLength(s: Conv1dShape): number {
  return s.length + 2 * s.pad - s.kernel + 1;
}

export function conv1dForward(x: FloatArray, w: FloatArray, s: Conv1dShape, out: FloatArray): void {
  const { batch: B, length: L, inChannels: C, outChannels: O, kernel: K, pad } = s;
  const Lout = conv1dOutLength(s);
  out.fill(0, 0, B * Lout * O);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < Lout; t++) {
      const o0 = (b * Lout + t) * O;
      for (let k = 0; k < K; k++) {
        const src = t + k - pad;
        if (src < 0 || src >= L) continue;
        const x0 = (b * L + src) * C;
        const w0 = k * C * O;
        for (let c = 0; c < C; c++) {
          const xv = x[x0 + c];
          if (xv === 0) continue;
          const wr = w0 + c * O;
          for (let o = 0; o < O; o++) out[o0 + o] += xv * w[wr + o];
        }
      }
    }
  }
}

/** Accumulates dx [B, L, Cin] and dw [K, Cin, Cout] from dOut [B, Lout, Cout]. */
export function conv1dBackward(x: FloatArray, w: FloatArray, dOut: FloatArray, s: Conv1dShape, dx: FloatArray | null, dw: FloatArray | null): void {
  const { batch: B, length: L, inChannels: C, outChannels: O, kernel: K, pad } = s;
  const Lout = conv1dOutLength(s);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < Lout; t++) {
      const o0 = (b * Lout + t) * O;
      for (let k = 0; k < K; k++) {
        const src = t + k - pad;
        if (src < 0 || src >= L) continue;
        const x0 = (b * L + src) * C;
        const w0 = k * C * O;
        for (let c = 0; c < C; c++) {
          const wr = w0 + c * O;
          const xv = x[x0 + c];
          let acc = 0;
          for (let o = 0; o < O; o++) {
            const g = dOut[o0 + o];
            acc += g * w[wr + o];
            if (dw) dw[wr + o] += xv * g;
          }
          if (dx) dx[x0 + c] += acc;
        }
      }
    }
  }
}
