/**
 * The autodiff core: a small MLP against gradients derived by hand, accumulation when a value is
 * used twice, noGrad, graph freeing after backward, and the NaN/Inf report.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tensor, zeros } from '../../lib/tensor/index.ts';
import { Variable, parameter, constant, backward, noGrad, buildTape, setFiniteCheck, NonFiniteError } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

test('two-layer MLP: gradients equal the hand-derived chain rule', () => {
  // x [1, 2] -> h = tanh(x W1 + b1) [1, 2] -> y = h W2 [1, 1] -> L = ½ (y − t)².
  const x = [0.5, -1.0];
  const W1 = [0.1, 0.2, -0.3, 0.4]; // [2, 2] row-major
  const b1 = [0.05, -0.05];
  const W2 = [0.7, -0.6]; // [2, 1]
  const t = 0.25;
  const pW1 = parameter(tensor(W1, [2, 2], 'float64'));
  const pb1 = parameter(tensor(b1, [2], 'float64'));
  const pW2 = parameter(tensor(W2, [2, 1], 'float64'));
  const h = ops.tanh(ops.add(ops.matmul(tensor(x, [1, 2], 'float64'), pW1), pb1));
  const y = ops.matmul(h, pW2);
  const L = ops.mul(ops.square(ops.sub(y, t)), 0.5);
  backward(L);

  // By hand.
  const z = [x[0] * W1[0] + x[1] * W1[2] + b1[0], x[0] * W1[1] + x[1] * W1[3] + b1[1]];
  const hv = z.map(Math.tanh);
  const yv = hv[0] * W2[0] + hv[1] * W2[1];
  const dy = yv - t;
  const dW2 = [dy * hv[0], dy * hv[1]];
  const dz = [dy * W2[0] * (1 - hv[0] ** 2), dy * W2[1] * (1 - hv[1] ** 2)];
  const dW1 = [x[0] * dz[0], x[0] * dz[1], x[1] * dz[0], x[1] * dz[1]];
  assertClose(L.value.toArray(), [0.5 * dy * dy], 1e-12, 1e-12, 'loss');
  assertClose(pW2.grad!.toArray(), dW2, 1e-12, 1e-12, 'dW2');
  assertClose(pW1.grad!.toArray(), dW1, 1e-12, 1e-12, 'dW1');
  assertClose(pb1.grad!.toArray(), dz, 1e-12, 1e-12, 'db1');
});

test('a value used twice receives the sum of both paths', () => {
  const a = parameter(tensor([3], [1], 'float64'));
  const b = ops.mul(a, 2);
  // L = b·b + b  →  dL/da = (2b + 1)·2 = (12 + 1)·2 = 26
  const L = ops.sum(ops.add(ops.mul(b, b), b));
  backward(L);
  assert.is(a.grad!.item(), 26);
});

test('gradients accumulate across backward calls until zeroGrad', () => {
  const a = parameter(tensor([1, 2], [2], 'float64'));
  backward(ops.sum(ops.mul(a, 3)));
  backward(ops.sum(ops.mul(a, 3)));
  assert.equal(a.grad!.toArray(), [6, 6]);
  a.zeroGrad();
  assert.is(a.grad, null);
});

test('constants and noGrad build no graph', () => {
  const p = parameter(tensor([1, 2]));
  const c = constant(tensor([3, 4]));
  const k = ops.mul(c, c);
  assert.not.ok(k.requiresGrad);
  assert.equal(k.parents, []);
  const inside = noGrad(() => ops.mul(p, c));
  assert.not.ok(inside.requiresGrad);
  assert.is(inside.backwardFn, null);
  assert.ok(ops.mul(p, c).requiresGrad, 'grad mode restored after noGrad');
  assertThrowsWith(() => backward(inside), 'does not depend on any parameter');
});

test('backward frees the graph: intermediates drop parents, closures and gradients', () => {
  const p = parameter(tensor([0.5, -0.5]));
  const mid = ops.tanh(p);
  const loss = ops.sum(ops.mul(mid, mid));
  backward(loss);
  assert.equal(mid.parents, []);
  assert.is(mid.backwardFn, null);
  assert.is(mid.grad, null);
  assert.ok(p.grad !== null, 'leaf gradients are kept');
  const p2 = parameter(tensor([0.5]));
  const mid2 = ops.tanh(p2);
  backward(ops.sum(mid2), { retainGraph: true });
  assert.is(mid2.parents.length, 1);
});

test('the tape orders every node after all of its consumers', () => {
  const p = parameter(tensor([1]));
  const a = ops.exp(p), b = ops.tanh(a), c = ops.add(a, b);
  const tape = buildTape(c);
  const pos = (v: Variable): number => tape.indexOf(v);
  assert.ok(pos(c) < pos(b) && pos(b) < pos(a) && pos(a) < pos(p));
  assert.is(tape.length, 4);
});

test('the finite check names the op where NaN/Inf first appears, forward and backward', () => {
  setFiniteCheck(true);
  try {
    const p = parameter(zeros([2]));
    assertThrowsWith(() => ops.log(p), "op 'log'", 'forward', 'Infinity');
    // sqrt(0) is finite forward but its derivative 1/(2·0) is not.
    const q = parameter(zeros([1]));
    const err = (() => { try { backward(ops.sum(ops.sqrt(q))); } catch (e) { return e; } return null; })();
    assert.ok(err instanceof NonFiniteError);
    assert.is((err as NonFiniteError).phase, 'backward');
    assert.ok((err as NonFiniteError).message.includes("op 'sqrt'"));
    assert.ok((err as NonFiniteError).atStep(12).message.endsWith('at step 12'));
  } finally {
    setFiniteCheck(false);
  }
  // Off by default: the same computation runs through.
  assert.is(ops.log(parameter(zeros([1]))).value.item(), -Infinity);
});

test('gradient shape mismatch is reported with the variable', () => {
  const p = parameter(tensor([1, 2]), 'w');
  assertThrowsWith(() => p.addGrad(tensor([1, 2, 3])), '[3]', "parameter 'w'", '[2]');
});

test.run();
