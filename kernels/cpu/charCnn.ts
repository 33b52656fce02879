/**
 * The char CNN of a token encoder as one kernel: convolution over each token's characters (zero
 * padding (K−1)/2 at both ends of the *word*, not of the padded row), bias, max-pool over the
 * word's characters. The same function as masking the padded characters to zero, `conv1d` over the
 * padded row, adding the bias, pushing padded positions to −∞ and taking the max (the composition
 * lib/nn/charEncoder.ts used before, and the reference of test/ops/charCnn.test.ts), but only the
 * Σ lengths real positions are convolved: for words of 6 characters in rows padded to 12, half the
 * products, and no mask arithmetic over the padded tensor.
 *
 * Layout: e [N, C, D] char embeddings of N tokens padded to C characters; lengths[n] in [1, C];
 * w [K, D, F] (K odd), bias [F]; out [N, F]. Internally the receptive fields of all real positions
 * are unrolled into cols [R, K·D] (R = Σ lengths, im2col), so the convolution is one matmul.
 */
import { type FloatArray, allocLike } from './types.ts';
import { matmul as jsMatmul, type MatmulFn } from './matmul.ts';

export interface CharCnnDims {
  N: number;
  C: number;
  D: number;
  F: number;
  K: number;
  lengths: Int32Array;
}

/** What the forward pass keeps for the backward pass. */
export interface CharCnnSaved {
  /** Unrolled receptive fields [R, K·D]. */
  cols: FloatArray;
  /** For each (token, filter), the packed row that won the max-pool. */
  argmax: Int32Array;
  /** First packed row of each token [N + 1]. */
  rowStart: Int32Array;
}

function unroll(e: FloatArray, d: CharCnnDims): { cols: FloatArray; rowStart: Int32Array } {
  const { N, C, D, K, lengths } = d;
  const pad = (K - 1) / 2;
  const rowStart = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) rowStart[n + 1] = rowStart[n] + lengths[n];
  const width = K * D;
  const cols = allocLike(e, rowStart[N] * width);
  for (let n = 0; n < N; n++) {
    const L = lengths[n];
    for (let c = 0; c < L; c++) {
      const row = (rowStart[n] + c) * width;
      for (let k = 0; k < K; k++) {
        const src = c + k - pad;
        if (src < 0 || src >= L) continue;
        // A plain loop: D is small (30), where subarray + set costs more than the copy.
        const from = (n * C + src) * D, to = row + k * D;
        for (let j = 0; j < D; j++) cols[to + j] = e[from + j];
      }
    }
  }
  return { cols, rowStart };
}

export function charCnnForward(e: FloatArray, w: FloatArray, bias: FloatArray, d: CharCnnDims, out: FloatArray, matmul: MatmulFn = jsMatmul): CharCnnSaved {
  const { N, C, F, K, D, lengths } = d;
  if (K % 2 !== 1) throw new Error(`charCnn: filter width must be odd, got ${K}`);
  for (let n = 0; n < N; n++) {
    if (!(lengths[n] >= 1 && lengths[n] <= C)) throw new Error(`charCnn: token ${n} has ${lengths[n]} characters, must lie in [1, ${C}]`);
  }
  const { cols, rowStart } = unroll(e, d);
  const R = rowStart[N];
  const conv = allocLike(e, R * F);
  matmul(cols, w, conv, { m: R, k: K * D, n: F });
  const argmax = new Int32Array(N * F);
  for (let n = 0; n < N; n++) {
    for (let f = 0; f < F; f++) {
      let best = rowStart[n], v = conv[best * F + f];
      for (let r = best + 1; r < rowStart[n + 1]; r++) {
        const x = conv[r * F + f];
        if (x > v) { v = x; best = r; }
      }
      out[n * F + f] = v + bias[f];
      argmax[n * F + f] = best;
    }
  }
  return { cols, argmax, rowStart };
}

/** Accumulates ∂L/∂e [N, C, D] (when given), ∂L/∂w [K, D, F] and ∂L/∂bias [F] from ∂L/∂out [N, F]. */
export function charCnnBackward(dOut: FloatArray, w: FloatArray, saved: CharCnnSaved, d: CharCnnDims, de: FloatArray | null, dw: FloatArray, dBias: FloatArray, matmul: MatmulFn = jsMatmul): void {
  const { N, C, D, F, K, lengths } = d;
  const pad = (K - 1) / 2, width = K * D;
  const R = saved.rowStart[N];
  // Only the winning position of each (token, filter) receives the gradient.
  const dConv = allocLike(dOut, R * F);
  for (let n = 0; n < N; n++) {
    for (let f = 0; f < F; f++) {
      const g = dOut[n * F + f];
      dConv[saved.argmax[n * F + f] * F + f] += g;
      dBias[f] += g;
    }
  }
  matmul(saved.cols, dConv, dw, { m: width, k: R, n: F, transA: true, accumulate: true });
  if (!de) return;
  const dCols = allocLike(dOut, R * width);
  matmul(dConv, w, dCols, { m: R, k: F, n: width, transB: true });
  for (let n = 0; n < N; n++) {
    const L = lengths[n];
    for (let c = 0; c < L; c++) {
      const row = (saved.rowStart[n] + c) * width;
      for (let k = 0; k < K; k++) {
        const src = c + k - pad;
        if (src < 0 || src >= L) continue;
        const to = (n * C + src) * D, from = row + k * D;
        for (let j = 0; j < D; j++) de[to + j] += dCols[from + j];
      }
    }
  }
}
