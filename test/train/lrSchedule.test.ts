import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exponentialDecay, ExponentialDecaySchedule, SGD } from '../../lib/train/index.ts';
import { param64, assertClose } from './util.ts';

const options = { initialLearningRate: 0.1, decayRate: 0.5, decaySteps: 10 };

test('continuous exponential decay: lr0 * rate^(step/decaySteps)', () => {
  assertClose([exponentialDecay(0, options)], [0.1]);
  assertClose([exponentialDecay(10, options)], [0.05]);
  assertClose([exponentialDecay(15, options)], [0.1 * Math.SQRT1_2 * 0.5]);
  assertClose([exponentialDecay(30, options)], [0.0125]);
});

test('staircase decays in whole intervals', () => {
  const s = { ...options, staircase: true };
  assertClose([exponentialDecay(9, s)], [0.1]);
  assertClose([exponentialDecay(10, s)], [0.05]);
  assertClose([exponentialDecay(19, s)], [0.05]);
  assertClose([exponentialDecay(25, s)], [0.025]);
});

test('ExponentialDecaySchedule sets the optimizer learning rate for a step', () => {
  const opt = new SGD([param64([1])], 1);
  const schedule = new ExponentialDecaySchedule(opt, { ...options, staircase: true });
  assertClose([schedule.apply(20)], [0.025]);
  assertClose([opt.learningRate], [0.025]);
  schedule.apply(0);
  assertClose([opt.learningRate], [0.1]);
  assert.throws(() => exponentialDecay(1, { ...options, decaySteps: 0 }), /decaySteps/);
});

test.run();
