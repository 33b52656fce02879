/**
 * `Tensor`: an n-dimensional strided view over flat float storage, with the layout conventions of
 * ndarray (shape, strides, offset). Views (reshape of a contiguous tensor, transpose, slice,
 * broadcast) share storage and copy nothing. No gradients live here: see lib/autodiff.
 *
 * Hot loops never go through `get`/`set`: kernels read `data` with stride arithmetic. The ndarray
 * package itself is only touched in `ndarrayInterop.ts`, because it builds its view classes with
 * `new Function`, which a strict Content-Security-Policy forbids.
 */
import { type FloatArray, type Strided, shapeSize, contiguousStrides, copyStrided, isFlat } from '../../kernels/cpu/index.ts';

export type DType = 'float32' | 'float64';

/** Allocates zeroed storage of a dtype. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a result computed from several inputs: float64 if any is, so checks stay exact. */
export function resultDType(...tensors: { dtype: DType }[]): DType {
  return tensors.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
}

export class Tensor implements Strided {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;

  /**
   * Wraps storage without copying. With no strides the view is row-major contiguous from `offset`.
   * Throws if the storage is too small for the shape.
   */
  constructor(data: FloatArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`Tensor: invalid shape [${shape.join(', ')}]`);
    }
    this.data = data;
    this.shape = [...shape];
    this.strides = strides ? [...strides] : contiguousStrides(shape);
    this.offset = offset;
    if (!strides && offset + shapeSize(shape) > data.length) {
      throw new Error(`Tensor: storage of ${data.length} elements is too small for shape [${shape.join(', ')}] at offset ${offset}`);
    }
  }

  get dtype(): DType {
    return this.data instanceof Float64Array ? 'float64' : 'float32';
  }

  /** Number of elements. */
  get size(): number {
    return shapeSize(this.shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True when elements are laid out row-major without gaps from `offset`. */
  isContiguous(): boolean {
    return isFlat(this);
  }

  /**
   * The elements as one contiguous typed array of exactly `size` elements, in row-major order:
   * a zero-copy subarray when possible, else a copy. Kernels take their inputs this way.
   */
  values(): FloatArray {
    if (this.isContiguous()) {
      if (this.offset === 0 && this.data.length === this.size) return this.data;
      return this.data.subarray(this.offset, this.offset + this.size);
    }
    const out = allocate(this.dtype, this.size);
    copyStrided(this, out);
    return out;
  }

  /** A contiguous tensor with the same elements (itself when already contiguous). */
  contiguous(): Tensor {
    if (this.isContiguous()) return this;
    return new Tensor(this.values(), this.shape);
  }

  /** A contiguous copy that shares nothing with this tensor. */
  clone(): Tensor {
    const out = allocate(this.dtype, this.size);
    copyStrided(this, out);
    return new Tensor(out, this.shape);
  }

  /** Same elements in another dtype (a copy, even if the dtype is unchanged). */
  cast(dtype: DType): Tensor {
    const out = allocate(dtype, this.size);
    const v = this.values();
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return new Tensor(out, this.shape);
  }

  /**
   * Same elements in a new shape (one entry may be -1, inferred). A view when contiguous, else a copy.
   */
  reshape(shape: readonly number[]): Tensor {
    const resolved = resolveShape(shape, this.size, 'reshape', this.shape);
    if (this.isContiguous()) return new Tensor(this.data, resolved, undefined, this.offset);
    return new Tensor(this.values(), resolved);
  }

  /** A view with axes permuted (default: reversed). */
  transpose(perm?: readonly number[]): Tensor {
    const p = perm ?? this.shape.map((_, i) => this.rank - 1 - i);
    checkPermutation(p, this.rank, this.shape);
    return new Tensor(this.data, p.map((i) => this.shape[i]), p.map((i) => this.strides[i]), this.offset);
  }

  /**
   * A view of the box starting at `begin` with extent `size` (size -1 means "to the end").
   */
  slice(begin: readonly number[], size: readonly number[]): Tensor {
    if (begin.length !== this.rank || size.length !== this.rank) {
      throw new Error(`slice: begin [${begin.join(', ')}] and size [${size.join(', ')}] must both have rank ${this.rank} for shape [${this.shape.join(', ')}]`);
    }
    let offset = this.offset;
    const shape: number[] = [];
    for (let d = 0; d < this.rank; d++) {
      const len = size[d] === -1 ? this.shape[d] - begin[d] : size[d];
      if (begin[d] < 0 || len < 0 || begin[d] + len > this.shape[d]) {
        throw new Error(`slice: box begin [${begin.join(', ')}] size [${size.join(', ')}] is outside shape [${this.shape.join(', ')}]`);
      }
      offset += begin[d] * this.strides[d];
      shape.push(len);
    }
    return new Tensor(this.data, shape, this.strides, offset);
  }

  /** A view that repeats this tensor to `shape` (numpy broadcasting rules) using stride 0. */
  broadcastTo(shape: readonly number[]): Tensor {
    const lead = shape.length - this.rank;
    if (lead < 0) throw new Error(`broadcastTo: cannot broadcast [${this.shape.join(', ')}] to lower rank [${shape.join(', ')}]`);
    const strides = new Array<number>(shape.length).fill(0);
    for (let d = 0; d < this.rank; d++) {
      const have = this.shape[d], want = shape[lead + d];
      if (have === want) strides[lead + d] = this.strides[d];
      else if (have !== 1) throw new Error(`broadcastTo: cannot broadcast [${this.shape.join(', ')}] to [${shape.join(', ')}]`);
    }
    return new Tensor(this.data, shape, strides, this.offset);
  }

  /** Element at a multi-index (bounds-checked; for tests and debugging, not for loops). */
  get(...index: number[]): number {
    return this.data[this.indexOf(index)];
  }

  /** Sets the element at a multi-index (bounds-checked). */
  set(value: number, ...index: number[]): void {
    this.data[this.indexOf(index)] = value;
  }

  /** The single element of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape [${this.shape.join(', ')}] has ${this.size} elements, not 1`);
    return this.data[this.offset];
  }

  /** Elements as a plain array in row-major order. */
  toArray(): number[] {
    return Array.from(this.values());
  }

  toString(): string {
    const v = this.toArray();
    const shown = v.length > 8 ? `${v.slice(0, 8).map((x) => x.toPrecision(4)).join(', ')}, ...` : v.map((x) => x.toPrecision(4)).join(', ');
    return `Tensor(${this.dtype} [${this.shape.join(', ')}]: ${shown})`;
  }

  private indexOf(index: number[]): number {
    if (index.length !== this.rank) throw new Error(`index [${index.join(', ')}] has rank ${index.length}, tensor has shape [${this.shape.join(', ')}]`);
    let at = this.offset;
    for (let d = 0; d < this.rank; d++) {
      if (!Number.isInteger(index[d]) || index[d] < 0 || index[d] >= this.shape[d]) {
        throw new Error(`index [${index.join(', ')}] is out of bounds for shape [${this.shape.join(', ')}]`);
      }
      at += index[d] * this.strides[d];
    }
    return at;
  }
}

/** Replaces one -1 entry by the size that makes the element count match; names `op` on mismatch. */
export function resolveShape(shape: readonly number[], size: number, op: string, from: readonly number[]): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (free !== out.lastIndexOf(-1)) throw new Error(`${op}: at most one -1 allowed in [${shape.join(', ')}]`);
  if (free >= 0) {
    const known = out.reduce((p, d, i) => (i === free ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw new Error(`${op}: cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}]`);
    }
    out[free] = size / known;
  }
  if (shapeSize(out) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}]`);
  }
  return out;
}

function checkPermutation(perm: readonly number[], rank: number, shape: readonly number[]): void {
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new Error(`transpose: [${perm.join(', ')}] is not a permutation of the axes of shape [${shape.join(', ')}]`);
  }
}
