/**
 * GPU.js twins of the LSTM cell kernels of `kernels/cpu/lstm.ts` (same signatures, gate order i, f,
 * g, o). A GPU.js kernel has one output, so each cell kernel writes one packed row per batch row
 * and the host splits it:
 *   forward  [rows, 6H] = activated gates (4H) | c_t (H) | h_t (H)
 *   backward [rows, 5H] = ∂preactivation (4H) | ∂c_{t−1} (H)
 * A thread computing c_t or h_t recomputes the gate activations it needs (four exponentials
 * instead of a second kernel launch). The sequence kernels are the CPU driver
 * (`lstmSequenceForward`/`Backward`) handed these cells and the GPU.js matmul, so a direction is a
 * pair of kernel launches (recurrent product + cell) per time step.
 * float64 data is left to the CPU twin (the device computes in float32).
 */
import { lstmCellBackward as cpuCellBackward, lstmCellForward as cpuCellForward } from '../cpu/lstm.ts';
import type { FloatArray } from '../cpu/types.ts';
import type { GpuContext } from './context.ts';

function cellForwardKernel(this: any, pre: number[], cPrev: number[], H: number): number {
  const G = 4 * H;
  const W = 6 * H;
  const r = Math.floor((this.thread.x + 0.5) / W);
  const q = this.thread.x - r * W;
  let result = 0;
  if (q < G) {
    const v = pre[r * G + q];
    if (q >= 2 * H && q < 3 * H) {
      result = Math.tanh(v);
    } else {
      result = 1 / (1 + Math.exp(-v));
    }
  } else {
    let j = q - G;
    if (q >= 5 * H) { j = q - 5 * H; }
    const ig = 1 / (1 + Math.exp(-pre[r * G + j]));
    const fg = 1 / (1 + Math.exp(-pre[r * G + H + j]));
    const gg = Math.tanh(pre[r * G + 2 * H + j]);
    const ct = fg * cPrev[r * H + j] + ig * gg;
    if (q < 5 * H) {
      result = ct;
    } else {
      const og = 1 / (1 + Math.exp(-pre[r * G + 3 * H + j]));
      result = og * Math.tanh(ct);
    }
  }
  return result;
}

function cellBackwardKernel(this: any, gates: number[], c: number[], cPrev: number[], dh: number[], dcNext: number[], H: number): number {
  const G = 4 * H;
  const W = 5 * H;
  const r = Math.floor((this.thread.x + 0.5) / W);
  const q = this.thread.x - r * W;
  const gate = Math.floor((q + 0.5) / H);
  const j = q - gate * H;
  const ig = gates[r * G + j];
  const fg = gates[r * G + H + j];
  const gg = gates[r * G + 2 * H + j];
  const og = gates[r * G + 3 * H + j];
  const tc = Math.tanh(c[r * H + j]);
  const dhv = dh[r * H + j];
  const dc = dcNext[r * H + j] + dhv * og * (1 - tc * tc);
  let result = 0;
  if (gate < 0.5) {
    result = dc * gg * ig * (1 - ig);
  } else if (gate < 1.5) {
    result = dc * cPrev[r * H + j] * fg * (1 - fg);
  } else if (gate < 2.5) {
    result = dc * ig * (1 - gg * gg);
  } else if (gate < 3.5) {
    result = dhv * tc * og * (1 - og);
  } else {
    result = dc * fg;
  }
  return result;
}

/** Splits packed rows of width `W` into consecutive outputs of the given widths. */
function unpackRows(packed: Float32Array, rows: number, parts: [FloatArray, number][]): void {
  const W = parts.reduce((a, [, w]) => a + w, 0);
  for (let r = 0; r < rows; r++) {
    let at = r * W;
    for (const [dst, w] of parts) {
      dst.set(packed.subarray(at, at + w), r * w);
      at += w;
    }
  }
}

/** Twin of `lstmCellForward` (kernels/cpu/lstm.ts). */
export function gpuLstmCellForward(ctx: GpuContext, pre: FloatArray, cPrev: FloatArray, H: number, rows: number, gates: FloatArray, c: FloatArray, h: FloatArray): void {
  if (pre instanceof Float64Array || cPrev instanceof Float64Array) return cpuCellForward(pre, cPrev, H, rows, gates, c, h);
  const packed = ctx.run('lstmCellForward', cellForwardKernel, rows * 6 * H, [pre, cPrev, H]);
  unpackRows(packed, rows, [[gates, 4 * H], [c, H], [h, H]]);
}

/** Twin of `lstmCellBackward` (kernels/cpu/lstm.ts). */
export function gpuLstmCellBackward(ctx: GpuContext, gates: FloatArray, c: FloatArray, cPrev: FloatArray, dh: FloatArray, dcNext: FloatArray, H: number, rows: number, dPre: FloatArray, dcPrev: FloatArray): void {
  if ([gates, c, cPrev, dh, dcNext].some((a) => a instanceof Float64Array)) return cpuCellBackward(gates, c, cPrev, dh, dcNext, H, rows, dPre, dcPrev);
  const packed = ctx.run('lstmCellBackward', cellBackwardKernel, rows * 5 * H, [gates, c, cPrev, dh, dcNext, H]);
  unpackRows(packed, rows, [[dPre, 4 * H], [dcPrev, H]]);
}
