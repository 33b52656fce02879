/**
 * Forward values of the ops against direct computation (the gradient checks cover backward), plus
 * stability and dropout's statistics and determinism.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tensor, Rng, ones } from '../../lib/tensor/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { assertClose } from '../helpers/assert.ts';

test('broadcast arithmetic values', () => {
  const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  assert.equal(ops.add(a, tensor([10, 20, 30])).value.toArray(), [11, 22, 33, 14, 25, 36]);
  assert.equal(ops.mul(tensor([2, 3], [2, 1]), a).value.toArray(), [2, 4, 6, 12, 15, 18]);
  assert.equal(ops.sub(1, a).value.toArray(), [0, -1, -2, -3, -4, -5]);
  assert.equal(ops.div(a, 2).value.toArray(), [0.5, 1, 1.5, 2, 2.5, 3]);
});

test('reductions, max, logSumExp and softmax values', () => {
  const a = tensor([1, 5, 3, 4, 2, 6], [2, 3]);
  assert.equal(ops.sum(a, 0).value.toArray(), [5, 7, 9]);
  assert.equal(ops.mean(a, 1, true).value.shape, [2, 1]);
  assert.equal(ops.mean(a, 1).value.toArray(), [3, 4]);
  assert.equal(ops.max(a, 1).value.toArray(), [5, 6]);
  assertClose(ops.logSumExp(a, 1).value.toArray(), [Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3)), Math.log(Math.exp(4) + Math.exp(2) + Math.exp(6))], 1e-5, 1e-6);
  const s = ops.softmax(a, 1).value.toArray();
  assertClose([s[0] + s[1] + s[2], s[3] + s[4] + s[5]], [1, 1], 1e-6);
});

test('logSumExp, softmax and sigmoid stay finite at extreme magnitudes', () => {
  const big = tensor([1000, 1000, -1000], [1, 3]);
  assertClose(ops.logSumExp(big, 1).value.toArray(), [1000 + Math.log(2)], 1e-3);
  assertClose(ops.logSoftmax(big, 1).value.toArray().slice(0, 2), [-Math.log(2), -Math.log(2)], 1e-5);
  assert.equal(ops.sigmoid(tensor([-1000, 1000])).value.toArray(), [0, 1]);
  assert.is(ops.logSumExp(tensor([-Infinity, -Infinity], [1, 2]), 1).value.item(), -Infinity);
});

test('dropout: inverted scaling, rate, same seed same mask, identity when not training', () => {
  const x = ones([100, 100]);
  const y = ops.dropout(x, 0.25, new Rng(3)).value.toArray();
  const kept = y.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
  assert.ok(Math.abs(kept.length / 10000 - 0.75) < 0.02, `kept ${kept.length}`);
  assert.equal(ops.dropout(x, 0.25, new Rng(3)).value.toArray(), y);
  assert.not.equal(ops.dropout(x, 0.25, new Rng(4)).value.toArray(), y);
  const same = ops.dropout(x, 0.5, new Rng(3), false);
  assert.equal(same.value.toArray(), x.toArray());
});

test('conv1d equals a direct sum; gather picks rows', () => {
  const x = tensor([1, 2, 3, 4], [1, 4, 1]);
  const w = tensor([1, 10, 100], [3, 1, 1]);
  // pad 1: out[t] = x[t-1]·1 + x[t]·10 + x[t+1]·100
  assert.equal(ops.conv1d(x, w, 1).value.toArray(), [210, 321, 432, 43]);
  assert.equal(ops.gather(tensor([0, 1, 10, 11, 20, 21], [3, 2]), [2, 0]).value.toArray(), [20, 21, 0, 1]);
});

test.run();
