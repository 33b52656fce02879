/** Same seed, same numbers: initialisation, data order and dropout all follow one Rng. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, randNormal, tensor } from '../../lib/tensor/index.ts';
import { parameter, backward } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { Adam } from '../../lib/train/index.ts';

/** Trains a small MLP with dropout on shuffled toy data and returns every step's loss. */
function trainRun(seed: number): number[] {
  const rng = new Rng(seed);
  const W1 = parameter(randNormal([3, 8], rng, 0, 0.5), 'W1');
  const W2 = parameter(randNormal([8, 2], rng, 0, 0.5), 'W2');
  const data = Array.from({ length: 16 }, (_, i) => ({ x: [Math.sin(i), Math.cos(i), i / 16], y: i % 2 }));
  const opt = new Adam([W1, W2], 0.05);
  const losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    for (const ex of rng.shuffle([...data])) {
      const h = ops.dropout(ops.tanh(ops.matmul(tensor(ex.x, [1, 3]), W1)), 0.3, rng);
      const logp = ops.logSoftmax(ops.matmul(h, W2), -1);
      const loss = ops.neg(ops.slice(logp, [0, ex.y], [1, 1]));
      opt.zeroGrad();
      backward(loss);
      opt.step();
      losses.push(loss.value.item());
    }
  }
  return losses;
}

test('two runs with the same seed produce bit-identical losses; another seed differs', () => {
  const a = trainRun(1234), b = trainRun(1234), c = trainRun(4321);
  assert.is(a.length, 48);
  assert.equal(a, b);
  assert.not.equal(a, c);
});

test.run();
