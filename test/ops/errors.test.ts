/** Every op refuses bad shapes with an error that names the op and the shapes involved. */
import { test } from 'uvu';
import { tensor, zeros } from '../../lib/tensor/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { Rng } from '../../lib/tensor/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('broadcasting mismatches name the op and both shapes', () => {
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    assertThrowsWith(() => ops[op](zeros([2, 3]), zeros([4])), op, '[2, 3]', '[4]');
  }
});

test('matmul mismatches name both shapes', () => {
  assertThrowsWith(() => ops.matmul(zeros([2, 3]), zeros([4, 5])), 'matmul', '[2, 3]', '[4, 5]');
  assertThrowsWith(() => ops.matmul(zeros([2, 2, 3]), zeros([3, 3, 5])), 'matmul', '[2, 2, 3]', '[3, 3, 5]');
  assertThrowsWith(() => ops.matmul(zeros([3]), zeros([3])), 'matmul', '[3]');
});

test('axis, concat, stack, gather, conv1d, dropout and reshape errors', () => {
  assertThrowsWith(() => ops.sum(zeros([2, 3]), 2), 'sum', 'axis 2', '[2, 3]');
  assertThrowsWith(() => ops.logSumExp(zeros([2]), -2), 'logSumExp', 'axis -2', '[2]');
  assertThrowsWith(() => ops.softmax(zeros([2, 2]), 5), 'softmax', 'axis 5');
  assertThrowsWith(() => ops.max(zeros([2, 0]), 1), 'max', 'empty');
  assertThrowsWith(() => ops.concat([zeros([2, 3]), zeros([3, 3])], 1), 'concat', '[2, 3]', '[3, 3]');
  assertThrowsWith(() => ops.concat([], 0), 'concat', 'at least one');
  assertThrowsWith(() => ops.stack([zeros([2]), zeros([3])]), 'stack', '[2]', '[3]');
  assertThrowsWith(() => ops.gather(zeros([4, 2]), [1, 4]), 'gather', 'id 4', '4 rows');
  assertThrowsWith(() => ops.gather(zeros([4]), [1]), 'gather', '[4]');
  assertThrowsWith(() => ops.conv1d(zeros([1, 5, 3]), zeros([3, 2, 4])), 'conv1d', '[1, 5, 3]', '[3, 2, 4]');
  assertThrowsWith(() => ops.conv1d(zeros([1, 2, 3]), zeros([5, 3, 4])), 'conv1d', 'too short');
  assertThrowsWith(() => ops.dropout(zeros([2]), 1, new Rng(1)), 'dropout', 'rate');
  assertThrowsWith(() => ops.reshape(tensor([1, 2, 3]), [2, 2]), 'reshape', '[3]', '[2, 2]');
  assertThrowsWith(() => ops.slice(zeros([2, 2]), [0, 1], [1, 2]), 'slice', '[2, 2]');
});

test.run();
