import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backward, type Variable } from '../../lib/autodiff/index.ts';
import { tensor } from '../../lib/tensor/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { SGD, Adam, type Optimizer } from '../../lib/train/index.ts';
import { param64 } from './util.ts';

// An ill-conditioned quadratic Σ w·(θ − target)², minimum 0 at θ = target (condition number 20).
const target = tensor([1, -2, 0.5], [3], 'float64');
const weights = tensor([0.5, 10, 2], [3], 'float64');
const quadratic = (theta: Variable): Variable => ops.sum(ops.mul(ops.square(ops.sub(theta, target)), weights));

function train(make: (p: Variable) => Optimizer, steps: number): { first: number; last: number } {
  const theta = param64([4, 3, -3]);
  const opt = make(theta);
  let first = NaN, last = NaN;
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = quadratic(theta);
    if (i === 0) first = loss.value.item();
    backward(loss);
    opt.step();
  }
  last = quadratic(theta).value.item();
  return { first, last };
}

test('SGD with momentum converges on a quadratic', () => {
  const { first, last } = train((p) => new SGD([p], 0.01, { momentum: 0.9 }), 300);
  assert.ok(first > 100, `initial loss ${first}`);
  assert.ok(last < 1e-8, `final loss ${last}`);
});

test('Adam converges on a quadratic', () => {
  const { first, last } = train((p) => new Adam([p], 0.05), 600);
  assert.ok(first > 100, `initial loss ${first}`);
  assert.ok(last < 1e-8, `final loss ${last}`);
});

test.run();
