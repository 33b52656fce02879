/**
 * Shared types of the CPU kernels. Kernels import nothing of ours but this file: they are plain
 * loops over typed arrays and are the reference every other backend is checked against.
 */

/** Storage a kernel can work on. Float64 exists so gradient checks can run the same code exactly. */
export type FloatArray = Float32Array | Float64Array;

/**
 * A strided view over flat storage, the same layout ndarray uses: element (i0, i1, ...) lives at
 * `offset + i0 * strides[0] + i1 * strides[1] + ...`. A stride of 0 repeats an element, which is how
 * broadcasting is expressed without copying. `Tensor` satisfies this interface structurally.
 */
export interface Strided {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Number of elements of a shape (1 for a scalar's empty shape). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** A new zeroed array of the same element type as `like`. */
export function allocLike(like: FloatArray, size: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}
