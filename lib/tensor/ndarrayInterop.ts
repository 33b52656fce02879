/**
 * The one place ladtl touches the `ndarray` package: conversion between `Tensor` and ndarray views,
 * for users who work with the scijs ecosystem (ndarray-ops, ndarray-gemm, ...). Both use the same
 * (data, shape, strides, offset) layout, so conversion shares storage and copies nothing.
 *
 * Kept apart because ndarray compiles its view classes with `new Function`, which fails under a
 * Content-Security-Policy without 'unsafe-eval'. Nothing else in lib/ imports this file, so the
 * browser path never needs it.
 */
import ndarray from 'ndarray';
import { Tensor } from './tensor.ts';

/** An ndarray view over a tensor's storage (no copy). */
export function toNdarray(t: Tensor): ndarray.NdArray<Float32Array | Float64Array> {
  return ndarray(t.data, [...t.shape], [...t.strides], t.offset);
}

/** A tensor view over an ndarray's storage (no copy). Only float32/float64 storage is accepted. */
export function fromNdarray(nd: ndarray.NdArray): Tensor {
  const data = nd.data as unknown;
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new Error(`fromNdarray: storage must be a Float32Array or Float64Array, got ${nd.dtype}`);
  }
  return new Tensor(data, nd.shape, nd.stride, nd.offset);
}
