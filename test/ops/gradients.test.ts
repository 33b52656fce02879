/**
 * A finite-difference gradient check for every op in lib/ops, in float64, on random shapes that
 * include broadcasting and size-1 axes. Tolerances are those of test/helpers/gradcheck.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { recordOp, type Variable } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { gradCheck, randomInput, randomShape } from '../helpers/gradcheck.ts';

const rng = new Rng(2024);

/** Drops leading axes and sets some axes to 1: a shape that broadcasts against `shape`. */
function broadcastableTo(shape: number[]): number[] {
  const keep = rng.int(shape.length + 1);
  return shape.slice(shape.length - keep).map((d) => (rng.bernoulli(0.4) ? 1 : d));
}

for (const name of ['add', 'sub', 'mul', 'div'] as const) {
  test(`${name}: same shapes and broadcasting in both directions`, () => {
    for (let trial = 0; trial < 6; trial++) {
      const shape = randomShape(rng, 1 + rng.int(3));
      const other = broadcastableTo(shape);
      const a = randomInput(rng, shape);
      // Keep divisors away from zero so the finite differences are well conditioned.
      const b = name === 'div' ? randomInput(rng, other, 0.3, 2) : randomInput(rng, other);
      const pair = trial % 2 === 0 ? [a, b] : [b, a];
      if (name === 'div' && trial % 2 === 1) { pair[0] = randomInput(rng, other); pair[1] = randomInput(rng, shape, 0.3, 2); }
      gradCheck((x, y) => ops[name](x, y), pair);
    }
  });
}

test('add/mul with a plain number operand', () => {
  gradCheck((x) => ops.mul(ops.add(x, 3), -2), [randomInput(rng, [2, 3])]);
  gradCheck((x) => ops.div(1, ops.add(ops.square(x), 1)), [randomInput(rng, [4])]);
});

test('neg', () => {
  gradCheck((x) => ops.neg(x), [randomInput(rng, randomShape(rng, 3))]);
});

for (const name of ['exp', 'tanh', 'sigmoid', 'square'] as const) {
  test(`${name}`, () => {
    gradCheck((x) => ops[name](x), [randomInput(rng, randomShape(rng, 3), 2)]);
  });
}

test('log and sqrt on positive inputs', () => {
  const x = randomInput(rng, [3, 4], 0.2, 1.5);
  gradCheck((v) => ops.log(v), [x]);
  gradCheck((v) => ops.sqrt(v), [x]);
});

test('relu away from the kink', () => {
  const x = randomInput(rng, [5, 3]);
  for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] = 0.5;
  gradCheck((v) => ops.relu(v), [x]);
});

test('matmul 2-D, batched, and batched with a shared right operand', () => {
  gradCheck((a, b) => ops.matmul(a, b), [randomInput(rng, [3, 5]), randomInput(rng, [5, 2])]);
  gradCheck((a, b) => ops.matmul(a, b), [randomInput(rng, [1, 7]), randomInput(rng, [7, 1])]);
  gradCheck((a, b) => ops.matmul(a, b), [randomInput(rng, [2, 3, 4]), randomInput(rng, [2, 4, 5])]);
  gradCheck((a, b) => ops.matmul(a, b), [randomInput(rng, [3, 2, 4]), randomInput(rng, [4, 6])]);
  // Sizes past the 4×4 register tile and its leftovers.
  gradCheck((a, b) => ops.matmul(a, b), [randomInput(rng, [9, 6]), randomInput(rng, [6, 7])]);
});

test('matmul of transposed views', () => {
  gradCheck((a, b) => ops.matmul(ops.transpose(a), b), [randomInput(rng, [5, 3]), randomInput(rng, [5, 6])]);
});

test('transpose and reshape', () => {
  gradCheck((x) => ops.transpose(x, [2, 0, 1]), [randomInput(rng, [2, 3, 4])]);
  gradCheck((x) => ops.transpose(x), [randomInput(rng, [1, 5])]);
  gradCheck((x) => ops.reshape(x, [4, -1]), [randomInput(rng, [2, 3, 2, 2])]);
  gradCheck((x) => ops.reshape(ops.transpose(x), [-1]), [randomInput(rng, [3, 4])]);
});

test('slice, including views of views', () => {
  gradCheck((x) => ops.slice(x, [1, 0, 2], [2, -1, 1]), [randomInput(rng, [4, 3, 5])]);
  gradCheck((x) => ops.slice(ops.transpose(x), [1, 1], [2, 2]), [randomInput(rng, [4, 3])]);
});

test('concat along each axis and stack', () => {
  for (const axis of [0, 1, -1]) {
    const base = [2, 3, 2];
    const s1 = [...base], s2 = [...base];
    const ax = axis < 0 ? axis + 3 : axis;
    s1[ax] = 1; s2[ax] = 3;
    gradCheck((a, b, c) => ops.concat([a, b, c], axis), [randomInput(rng, base), randomInput(rng, s1), randomInput(rng, s2)]);
  }
  gradCheck((a, b) => ops.stack([a, b], 1), [randomInput(rng, [2, 3]), randomInput(rng, [2, 3])]);
  gradCheck((a, b) => ops.stack([a, b], -1), [randomInput(rng, [3]), randomInput(rng, [3])]);
});

test('the same variable used twice accumulates both gradients', () => {
  gradCheck((x) => ops.mul(x, x), [randomInput(rng, [3, 2])]);
  gradCheck((x) => ops.concat([x, ops.tanh(x), x], 0), [randomInput(rng, [2, 2])]);
});

test('gather with repeated ids (scatter-add backward)', () => {
  gradCheck((t) => ops.gather(t, [2, 0, 2, 1, 2], [5]), [randomInput(rng, [4, 3])]);
  gradCheck((t) => ops.gather(t, [1, 1, 0, 3, 3, 3], [2, 3]), [randomInput(rng, [4, 2])]);
});

test('sum and mean over all, one and several axes, with and without keepDims', () => {
  const x = randomInput(rng, [3, 1, 4, 2]);
  for (const op of [ops.sum, ops.mean]) {
    gradCheck((v) => op(v), [x]);
    gradCheck((v) => op(v, 2), [x]);
    gradCheck((v) => op(v, [0, 3], true), [x]);
    gradCheck((v) => op(v, -1, false), [x]);
    gradCheck((v) => op(v, [1]), [x]);
  }
});

test('max over an axis (distinct values, so the winner is unique)', () => {
  const x = randomInput(rng, [3, 4, 2]);
  for (const axis of [0, 1, 2]) gradCheck((v) => ops.max(v, axis), [x]);
  gradCheck((v) => ops.max(v, 1, true), [x]);
});

test('logSumExp over each axis, including large magnitudes', () => {
  const x = randomInput(rng, [3, 4, 2], 3);
  for (const axis of [0, 1, -1]) gradCheck((v) => ops.logSumExp(v, axis), [x]);
  gradCheck((v) => ops.logSumExp(v, 1, true), [randomInput(rng, [2, 3], 1, 400)]);
});

test('softmax and logSoftmax over each axis', () => {
  const x = randomInput(rng, [2, 3, 4], 2);
  for (const axis of [0, 1, 2]) {
    gradCheck((v) => ops.softmax(v, axis), [x]);
    gradCheck((v) => ops.logSoftmax(v, axis), [x]);
  }
});

test('dropout: gradient through the drawn mask', () => {
  const x = randomInput(rng, [4, 5]);
  // The same seed inside fn redraws the same mask for every evaluation of the finite differences.
  gradCheck((v) => ops.dropout(v, 0.3, new Rng(5)), [x]);
});

test('squaredNorm', () => {
  gradCheck((v) => ops.squaredNorm(v), [randomInput(rng, randomShape(rng, 3))]);
});

test('conv1d with and without padding, odd sizes', () => {
  gradCheck((x, w) => ops.conv1d(x, w, 1), [randomInput(rng, [2, 5, 3]), randomInput(rng, [3, 3, 4])]);
  gradCheck((x, w) => ops.conv1d(x, w, 0), [randomInput(rng, [1, 4, 2]), randomInput(rng, [2, 2, 3])]);
  gradCheck((x, w) => ops.conv1d(x, w, 2), [randomInput(rng, [1, 1, 3]), randomInput(rng, [5, 3, 2])]);
});

test('a composite expression (MLP layer with bias broadcast, loss via logSoftmax)', () => {
  const r = gradCheck(
    (x, w, b) => ops.logSoftmax(ops.add(ops.matmul(ops.tanh(x), w), b), -1),
    [randomInput(rng, [4, 3]), randomInput(rng, [3, 5]), randomInput(rng, [5])],
  );
  assert.ok(r.checked === 12 + 15 + 5);
});

test('gradCheck itself detects a wrong gradient', () => {
  // A deliberately broken op: forward x², backward claims x (missing the factor 2).
  assert.throws(() => gradCheck((x) => brokenSquare(x), [randomInput(rng, [3])]), /gradient mismatch/);
});

function brokenSquare(x: Variable): Variable {
  const v = x.value.values();
  const out = Float64Array.from(v, (a) => a * a);
  return recordOp('brokenSquare', new Tensor(out, x.shape), [x], (g) => {
    const gv = g.values();
    x.addGrad(new Tensor(Float64Array.from(v, (a, i) => a * gv[i]), x.shape));
  });
}

test.run();
