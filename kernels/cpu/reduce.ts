/**
 * Reductions. `sumToShape` folds a tensor onto a smaller (broadcast-compatible) shape, which is both
 * `sum` over axes and the backward of broadcasting. The axis kernels view a contiguous tensor as
 * [outer, n, inner] and reduce the middle axis: that covers any single axis without transposing.
 */
import { type FloatArray, type Strided, shapeSize } from './types.ts';

/**
 * out[j] = Σ x[i] over every i that maps to j, where `keptShape` has x's rank and is 1 on each
 * reduced axis. `out` is contiguous with `keptShape`'s size and is overwritten.
 */
export function sumToShape(x: Strided, keptShape: readonly number[], out: FloatArray): void {
  const nd = x.shape.length;
  out.fill(0);
  const size = shapeSize(x.shape);
  if (size === 0) return;
  if (nd === 0) { out[0] = x.data[x.offset]; return; }
  // Output strides: contiguous over keptShape, 0 on reduced axes.
  const os = new Array<number>(nd);
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    os[d] = keptShape[d] === 1 && x.shape[d] !== 1 ? 0 : s;
    s *= keptShape[d];
  }
  const idx = new Array<number>(nd).fill(0);
  const last = x.shape[nd - 1];
  const xs = x.strides[nd - 1], ls = os[nd - 1];
  const xd = x.data;
  let xi = x.offset, oi = 0;
  for (let c = 0; c < size; c += last) {
    if (ls === 0) {
      let acc = 0;
      for (let j = 0; j < last; j++) acc += xd[xi + j * xs];
      out[oi] += acc;
    } else {
      for (let j = 0; j < last; j++) out[oi + j] += xd[xi + j * xs];
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      xi += x.strides[d];
      oi += os[d];
      if (idx[d] < x.shape[d]) break;
      xi -= x.strides[d] * x.shape[d];
      oi -= os[d] * x.shape[d];
      idx[d] = 0;
    }
  }
}

/** out[o, i] = log Σ_j exp x[o, j, i], computed stably by factoring out the maximum. */
export function logSumExpAxis(x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) { const v = x[base + j * inner + i]; if (v > max) max = v; }
      if (max === -Infinity) { out[o * inner + i] = -Infinity; continue; }
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Math.exp(x[base + j * inner + i] - max);
      out[o * inner + i] = max + Math.log(acc);
    }
  }
}

/** y = softmax along the middle axis (or logSoftmax when `log`), stable via the row maximum. */
export function softmaxAxis(x: FloatArray, outer: number, n: number, inner: number, out: FloatArray, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) { const v = x[base + j * inner + i]; if (v > max) max = v; }
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Math.exp(x[base + j * inner + i] - max);
      if (log) {
        const lse = max + Math.log(acc);
        for (let j = 0; j < n; j++) out[base + j * inner + i] = x[base + j * inner + i] - lse;
      } else {
        for (let j = 0; j < n; j++) out[base + j * inner + i] = Math.exp(x[base + j * inner + i] - max) / acc;
      }
    }
  }
}

/**
 * Backward of softmax/logSoftmax along the middle axis, from the forward output y.
 * softmax:    dx_j = y_j (dy_j − Σ_k dy_k y_k)
 * logSoftmax: dx_j = dy_j − exp(y_j) Σ_k dy_k
 */
export function softmaxAxisBackward(y: FloatArray, dy: FloatArray, outer: number, n: number, inner: number, dx: FloatArray, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      if (log) {
        for (let j = 0; j < n; j++) acc += dy[base + j * inner + i];
        for (let j = 0; j < n; j++) { const p = base + j * inner + i; dx[p] = dy[p] - Math.exp(y[p]) * acc; }
      } else {
        for (let j = 0; j < n; j++) { const p = base + j * inner + i; acc += dy[p] * y[p]; }
        for (let j = 0; j < n; j++) { const p = base + j * inner + i; dx[p] = y[p] * (dy[p] - acc); }
      }
    }
  }
}

/** out[o, i] = max_j x[o, j, i]; argmax records the winning j (first on ties) for the backward. */
export function maxAxis(x: FloatArray, outer: number, n: number, inner: number, out: FloatArray, argmax: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let best = -Infinity, arg = 0;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner + i];
        if (v > best || (j === 0)) { best = v; arg = j; }
      }
      out[o * inner + i] = best;
      argmax[o * inner + i] = arg;
    }
  }
}
