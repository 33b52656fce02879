import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backward } from '../../lib/autodiff/index.ts';
import { tensor } from '../../lib/tensor/index.ts';
import { parameter } from '../../lib/autodiff/index.ts';
import { l2Penalty } from '../../lib/train/index.ts';
import { param64, assertClose } from './util.ts';

test('l2Penalty = coefficient * Σ ½||θ||² and its gradient is coefficient * θ', () => {
  const a = param64([1, -2]);
  const b = parameter(tensor([3, 0.5, -1, 2], [2, 2], 'float64'));
  const lambda = 0.01;
  const penalty = l2Penalty([a, b], lambda);
  // ½·(1 + 4) + ½·(9 + 0.25 + 1 + 4) = 2.5 + 7.125 = 9.625
  assertClose([penalty.value.item()], [lambda * 9.625]);
  backward(penalty);
  assertClose(a.grad!.values(), [0.01, -0.02]);
  assertClose(b.grad!.values(), [0.03, 0.005, -0.01, 0.02]);
});

test('l2Penalty of no parameters is 0; a negative coefficient is rejected', () => {
  assert.is(l2Penalty([], 0.5).value.item(), 0);
  assert.throws(() => l2Penalty([param64([1])], -0.1), /coefficient/);
});

test.run();
