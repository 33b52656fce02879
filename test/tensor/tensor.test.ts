/** Tensor views: reshape, transpose, slice and broadcast share storage and index correctly. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, tensor, zeros, arange, resolveShape } from '../../lib/tensor/index.ts';
import { toNdarray, fromNdarray } from '../../lib/tensor/ndarrayInterop.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('float32 by default, float64 on request', () => {
  assert.is(zeros([2]).dtype, 'float32');
  assert.ok(zeros([2]).data instanceof Float32Array);
  assert.is(zeros([2], 'float64').dtype, 'float64');
});

test('transpose and slice are views: writes show through, nothing is copied', () => {
  const t = arange(12).reshape([3, 4]);
  const tt = t.transpose();
  assert.equal(tt.shape, [4, 3]);
  assert.is(tt.data, t.data);
  assert.is(tt.get(3, 1), 7);
  const s = t.slice([1, 1], [2, 2]);
  assert.is(s.data, t.data);
  assert.equal(s.toArray(), [5, 6, 9, 10]);
  s.set(100, 0, 0);
  assert.is(t.get(1, 1), 100);
  assert.not.ok(s.isContiguous());
  assert.equal(tt.slice([1, 0], [2, -1]).toArray(), [1, 100, 9, 2, 6, 10]);
});

test('reshape of a contiguous tensor is a view; of a strided one, a copy with the right order', () => {
  const t = arange(6).reshape([2, 3]);
  const r = t.reshape([3, -1]);
  assert.is(r.data, t.data);
  assert.equal(r.shape, [3, 2]);
  const tr = t.transpose().reshape([6]);
  assert.equal(tr.toArray(), [0, 3, 1, 4, 2, 5]);
  assert.is.not(tr.data, t.data);
});

test('broadcastTo repeats with stride 0', () => {
  const b = tensor([1, 2, 3]).broadcastTo([2, 3]);
  assert.equal(b.strides, [0, 1]);
  assert.equal(b.toArray(), [1, 2, 3, 1, 2, 3]);
  assert.equal(tensor([5], [1, 1]).broadcastTo([2, 1, 3]).toArray(), [5, 5, 5, 5, 5, 5]);
});

test('ndarray interop shares storage both ways', () => {
  const t = arange(6).reshape([2, 3]).transpose();
  const nd = toNdarray(t);
  assert.is(nd.get(2, 1), 5);
  nd.set(0, 0, 42);
  assert.is(t.get(0, 0), 42);
  const back = fromNdarray(nd.hi(2, 2));
  assert.equal(back.toArray(), [42, 3, 1, 4]);
});

test('errors name the operation and the shapes', () => {
  assertThrowsWith(() => arange(6).reshape([4, -1]), 'reshape', '[6]', '[4, -1]');
  assertThrowsWith(() => arange(6).reshape([2, 3]).transpose([0, 0]), 'transpose', '[0, 0]');
  assertThrowsWith(() => arange(6).reshape([2, 3]).slice([1, 2], [2, 1]), 'slice', '[2, 3]');
  assertThrowsWith(() => tensor([1, 2]).broadcastTo([3]), 'broadcastTo', '[2]', '[3]');
  assertThrowsWith(() => tensor([1, 2, 3], [2, 2]), 'tensor', '3 values', '[2, 2]');
  assertThrowsWith(() => arange(4).get(4), 'out of bounds', '[4]');
  assertThrowsWith(() => arange(4).item(), 'item', '4 elements');
  assertThrowsWith(() => new Tensor(new Float32Array(3), [2, 2]), 'too small', '[2, 2]');
  assertThrowsWith(() => resolveShape([-1, -1], 4, 'reshape', [4]), 'at most one -1');
});

test.run();
