export { Tensor, type DType, allocate, resultDType, resolveShape } from './tensor.ts';
export { Rng } from './rng.ts';
export { zeros, ones, full, scalar, tensor, arange, randUniform, randNormal } from './creation.ts';
