import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SGD } from '../../lib/train/index.ts';
import { param64, setGrad, assertClose } from './util.ts';

const grads = [[0.5, -1], [-0.3, 0.4], [2, 0.1]];

test('plain SGD: p -= lr*g, checked against literal numbers', () => {
  const p = param64([1, -2]);
  const opt = new SGD([p], 0.1);
  setGrad(p, grads[0]);
  opt.step();
  assertClose(p.value.data, [0.95, -1.9]);
  setGrad(p, grads[1]);
  opt.step();
  assertClose(p.value.data, [0.98, -1.94]);
});

test('heavy-ball momentum: v = mu*v + g; p -= lr*v for 3 steps', () => {
  const lr = 0.1, mu = 0.9;
  const p = param64([1, -2]);
  const opt = new SGD([p], lr, { momentum: mu });
  const want = [1, -2], v = [0, 0];
  for (const g of grads) {
    for (let j = 0; j < 2; j++) {
      v[j] = mu * v[j] + g[j];
      want[j] -= lr * v[j];
    }
    setGrad(p, g);
    opt.step();
    assertClose(p.value.data, want);
  }
  // Step 2 by hand for element 0: v1 = 0.5, v2 = 0.9*0.5 - 0.3 = 0.15; p = 1 - 0.05 - 0.015 = 0.935.
  // After step 3: v3 = 0.9*0.15 + 2 = 2.135; p = 0.935 - 0.2135 = 0.7215.
  assertClose([p.value.data[0]], [0.7215]);
});

test('nesterov: p -= lr*(g + mu*v) with v = mu*v + g', () => {
  const lr = 0.05, mu = 0.8;
  const p = param64([1, -2]);
  const opt = new SGD([p], lr, { momentum: mu, nesterov: true });
  const want = [1, -2], v = [0, 0];
  for (const g of grads) {
    for (let j = 0; j < 2; j++) {
      v[j] = mu * v[j] + g[j];
      want[j] -= lr * (g[j] + mu * v[j]);
    }
    setGrad(p, g);
    opt.step();
    assertClose(p.value.data, want);
  }
});

test('options are validated', () => {
  const p = param64([1]);
  assert.throws(() => new SGD([p], 0.1, { momentum: 1 }), /momentum/);
  assert.throws(() => new SGD([p], 0.1, { nesterov: true }), /nesterov/);
  assert.throws(() => new SGD([p], -1), /learning rate/);
});

test.run();
