/**
 * Element-wise kernels: unary maps, their derivatives, and binary ops with broadcasting.
 * Each op gets its own tight loop (the switch sits outside the loop) so V8 can keep them fast.
 */
import { type FloatArray, type Strided, shapeSize } from './types.ts';

export type UnaryOp = 'neg' | 'exp' | 'log' | 'tanh' | 'sigmoid' | 'relu' | 'square' | 'sqrt';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** out[i] = f(x[i]) over contiguous arrays of equal length. */
export function unary(op: UnaryOp, x: FloatArray, out: FloatArray): void {
  const n = x.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); break;
    case 'sigmoid':
      // Written so that exp never overflows: for large |v| one branch saturates to 0 or 1 cleanly.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); out[i] = e / (1 + e); }
      }
      break;
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0; break;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); break;
  }
}

/**
 * dx[i] = dy[i] · f'(x[i]), given both the input x and the output y = f(x) (whichever the
 * derivative is cheaper from: exp, tanh and sigmoid reuse y).
 */
export function unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
  const n = dy.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) dx[i] = -dy[i]; break;
    case 'exp': for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i]; break;
    case 'log': for (let i = 0; i < n; i++) dx[i] = dy[i] / x[i]; break;
    case 'tanh': for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); break;
    case 'sigmoid': for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); break;
    case 'relu': for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0; break;
    case 'square': for (let i = 0; i < n; i++) dx[i] = 2 * x[i] * dy[i]; break;
    case 'sqrt': for (let i = 0; i < n; i++) dx[i] = dy[i] * 0.5 / y[i]; break;
  }
}

function applyBinary(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case 'add': return x + y;
    case 'sub': return x - y;
    case 'mul': return x * y;
    case 'div': return x / y;
  }
}

/**
 * out = a ∘ b for strided views that already share the output's shape (broadcast axes carry
 * stride 0). `out` is contiguous. The common case of two contiguous same-shape operands takes a
 * flat loop; otherwise an N-d counter walks the output.
 */
export function binary(op: BinaryOp, a: Strided, b: Strided, out: FloatArray): void {
  const shape = a.shape;
  const size = shapeSize(shape);
  const nd = shape.length;
  const ad = a.data, bd = b.data;
  if (isFlat(a) && isFlat(b)) {
    const ao = a.offset, bo = b.offset;
    switch (op) {
      case 'add': for (let i = 0; i < size; i++) out[i] = ad[ao + i] + bd[bo + i]; break;
      case 'sub': for (let i = 0; i < size; i++) out[i] = ad[ao + i] - bd[bo + i]; break;
      case 'mul': for (let i = 0; i < size; i++) out[i] = ad[ao + i] * bd[bo + i]; break;
      case 'div': for (let i = 0; i < size; i++) out[i] = ad[ao + i] / bd[bo + i]; break;
    }
    return;
  }
  if (nd === 0) { out[0] = applyBinary(op, ad[a.offset], bd[b.offset]); return; }
  // Walk rows of the last axis with an N-d counter over the leading axes.
  const last = shape[nd - 1];
  const as = a.strides[nd - 1], bs = b.strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let ai = a.offset, bi = b.offset;
  for (let o = 0; o < size; o += last) {
    switch (op) {
      case 'add': for (let j = 0; j < last; j++) out[o + j] = ad[ai + j * as] + bd[bi + j * bs]; break;
      case 'sub': for (let j = 0; j < last; j++) out[o + j] = ad[ai + j * as] - bd[bi + j * bs]; break;
      case 'mul': for (let j = 0; j < last; j++) out[o + j] = ad[ai + j * as] * bd[bi + j * bs]; break;
      case 'div': for (let j = 0; j < last; j++) out[o + j] = ad[ai + j * as] / bd[bi + j * bs]; break;
    }
    // Advance the counter over axes nd-2 .. 0.
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ai += a.strides[d];
      bi += b.strides[d];
      if (idx[d] < shape[d]) break;
      ai -= a.strides[d] * shape[d];
      bi -= b.strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** True when a view is contiguous row-major (so element i sits at offset + i). */
export function isFlat(x: Strided): boolean {
  let expected = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    if (x.shape[d] !== 1 && x.strides[d] !== expected) return false;
    expected *= x.shape[d];
  }
  return true;
}

/** out (contiguous) = a copy of the strided view x. */
export function copyStrided(x: Strided, out: FloatArray): void {
  const size = shapeSize(x.shape);
  if (isFlat(x)) {
    out.set(x.data.subarray(x.offset, x.offset + size));
    return;
  }
  const nd = x.shape.length;
  const last = x.shape[nd - 1];
  const ls = x.strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  const d0 = x.data;
  let xi = x.offset;
  for (let o = 0; o < size; o += last) {
    for (let j = 0; j < last; j++) out[o + j] = d0[xi + j * ls];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      xi += x.strides[d];
      if (idx[d] < x.shape[d]) break;
      xi -= x.strides[d] * x.shape[d];
      idx[d] = 0;
    }
  }
}

/** dst[i] += src[i] (gradient accumulation). */
export function addInto(dst: FloatArray, src: FloatArray): void {
  const n = dst.length;
  for (let i = 0; i < n; i++) dst[i] += src[i];
}

/** dst[i] *= s. */
export function scaleInPlace(dst: FloatArray, s: number): void {
  const n = dst.length;
  for (let i = 0; i < n; i++) dst[i] *= s;
}

/** Writes contiguous `src` into the strided view `dst` (the adjoint of reading a view). */
export function assignStrided(dst: Strided, src: FloatArray): void {
  const size = shapeSize(dst.shape);
  const nd = dst.shape.length;
  const out = dst.data;
  if (isFlat(dst)) {
    out.set(src.subarray(0, size), dst.offset);
    return;
  }
  const last = dst.shape[nd - 1];
  const ls = dst.strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let di = dst.offset;
  for (let o = 0; o < size; o += last) {
    for (let j = 0; j < last; j++) out[di + j * ls] = src[o + j];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      di += dst.strides[d];
      if (idx[d] < dst.shape[d]) break;
      di -= dst.strides[d] * dst.shape[d];
      idx[d] = 0;
    }
  }
}
