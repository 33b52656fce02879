import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Adam } from '../../lib/train/index.ts';
import { param64, setGrad, assertClose } from './util.ts';

/** Reference Adam (paper, Algorithm 1) on plain arrays. */
function referenceAdam(p: number[], gs: number[][], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[][] {
  const m = p.map(() => 0), v = p.map(() => 0), out: number[][] = [];
  gs.forEach((g, k) => {
    const t = k + 1;
    for (let j = 0; j < p.length; j++) {
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
      const mHat = m[j] / (1 - b1 ** t), vHat = v[j] / (1 - b2 ** t);
      p[j] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    out.push([...p]);
  });
  return out;
}

test('Adam with bias correction matches the formula for 3 steps', () => {
  const grads = [[0.5, -1], [-0.3, 0.4], [2, 0.1]];
  const want = referenceAdam([1, -2], grads, 0.01);
  const p = param64([1, -2]);
  const opt = new Adam([p], 0.01);
  grads.forEach((g, k) => {
    setGrad(p, g);
    opt.step();
    assertClose(p.value.data, want[k], 1e-12, `step ${k + 1}`);
  });
});

test('first Adam step moves each element by ~lr against the sign of its gradient', () => {
  // m̂ = g and v̂ = g² after one step, so the step is lr·g/(|g| + ε): bias correction at work.
  const p = param64([1, -2]);
  const opt = new Adam([p], 0.01);
  setGrad(p, [0.5, -1e-3]);
  opt.step();
  assertClose(p.value.data, [0.99, -1.99], 1e-6);
});

test('bias correction counts each parameter\'s own updates', () => {
  const a = param64([1]), b = param64([5]);
  const opt = new Adam([a, b], 0.01);
  setGrad(a, [1]);
  opt.step(); // b has no gradient: skipped, untouched
  assert.equal(Array.from(b.value.data), [5]);
  setGrad(a, [1]);
  setGrad(b, [2]);
  opt.step();
  // b's first update is a t = 1 update: 5 − 0.01·2/(2 + 1e-8).
  assertClose(b.value.data, referenceAdam([5], [[2]], 0.01)[0]);
  assertClose(a.value.data, referenceAdam([1], [[1], [1]], 0.01)[1]);
});

test.run();
