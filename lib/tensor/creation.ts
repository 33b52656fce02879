/** Creation helpers. Random tensors take an explicit `Rng`: there is no hidden global seed. */
import { Tensor, type DType, allocate } from './tensor.ts';
import type { Rng } from './rng.ts';
import { shapeSize } from '../../kernels/cpu/index.ts';

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(allocate(dtype, shapeSize(shape)), shape);
}

/** A tensor filled with one value. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const t = zeros(shape, dtype);
  t.data.fill(value);
  return t;
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** A scalar (rank-0) tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return full([], value, dtype);
}

/**
 * A tensor from row-major values. The shape defaults to [values.length]; a size mismatch throws.
 */
export function tensor(values: ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  const s = shape ?? [values.length];
  if (shapeSize(s) !== values.length) {
    throw new Error(`tensor: ${values.length} values do not fill shape [${s.join(', ')}] (${shapeSize(s)} elements)`);
  }
  const data = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i];
  return new Tensor(data, s);
}

/** 0, 1, ..., n-1. */
export function arange(n: number, dtype: DType = 'float32'): Tensor {
  return tensor(Array.from({ length: n }, (_, i) => i), [n], dtype);
}

/** I.i.d. uniform values in [low, high). */
export function randUniform(shape: readonly number[], rng: Rng, low = 0, high = 1, dtype: DType = 'float32'): Tensor {
  const t = zeros(shape, dtype);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniformRange(low, high);
  return t;
}

/** I.i.d. normal values N(mean, std²). */
export function randNormal(shape: readonly number[], rng: Rng, mean = 0, std = 1, dtype: DType = 'float32'): Tensor {
  const t = zeros(shape, dtype);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal(mean, std);
  return t;
}
