import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Adagrad } from '../../lib/train/index.ts';
import { param64, setGrad, assertClose } from './util.ts';

test('Adagrad: acc = 0.1 + Σg²; p -= lr*g/sqrt(acc + 1e-10) for 3 steps', () => {
  const lr = 0.5, eps = 1e-10;
  const p = param64([1, -2]);
  const opt = new Adagrad([p], lr);
  const want = [1, -2], acc = [0.1, 0.1];
  for (const g of [[0.5, -1], [-0.3, 0.4], [2, 0.1]]) {
    for (let j = 0; j < 2; j++) {
      acc[j] += g[j] * g[j];
      want[j] -= (lr * g[j]) / Math.sqrt(acc[j] + eps);
    }
    setGrad(p, g);
    opt.step();
    assertClose(p.value.data, want);
  }
  // First step by hand, element 0: 1 - 0.5*0.5/sqrt(0.35) = 0.577...; guards the default 0.1.
  const fresh = param64([1]);
  const o2 = new Adagrad([fresh], 0.5);
  setGrad(fresh, [0.5]);
  o2.step();
  assertClose(fresh.value.data, [1 - 0.25 / Math.sqrt(0.35)], 1e-9);
});

test('initialAccumulatorValue 0 stays finite where the gradient is 0 (epsilon inside the sqrt)', () => {
  const p = param64([1, 2]);
  const opt = new Adagrad([p], 0.1, { initialAccumulatorValue: 0 });
  setGrad(p, [0, 3]);
  opt.step();
  // Element 1: acc = 9, step = 0.1*3/3 = 0.1.
  assertClose(p.value.data, [1, 1.9], 1e-9);
  assert.throws(() => new Adagrad([p], 0.1, { initialAccumulatorValue: -1 }), /initialAccumulatorValue/);
});

test.run();
