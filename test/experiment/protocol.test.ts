/**
 * Training protocols (lib/experiment/protocol.ts): the budget in source passes becomes the same number
 * of steps for every method, evaluations fall at the stated rate, and a smaller budget is exactly the
 * start of a larger one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METHODS, METHOD_NAMES } from '../../lib/transfer/index.ts';
import { methodSchedule, lookupProtocol, PROTOCOLS, stepsPerPass, type Protocol } from '../../lib/experiment/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

const P: Protocol = { name: 't', summary: '', sourcePasses: 6, pretrainPasses: 2, evalsPerPass: 10, patience: null, batchSize: 15, learningRate: 0.002 };

test('every method gets the budget of sourcePasses passes over the source batches (to within one target epoch)', () => {
  for (const [source, target] of [[3063, 82], [4560, 543], [12574, 130], [300, 2000]]) {
    const sourceSteps = stepsPerPass(source, 15), targetSteps = stepsPerPass(target, 15);
    for (const name of METHOD_NAMES) {
      const s = methodSchedule(P, METHODS[name], source, target, 15);
      const budget = 6 * sourceSteps;
      assert.ok(s.steps >= budget && s.steps < budget + targetSteps, `${name} ${source}/${target}: ${s.steps} steps for a budget of ${budget}`);
      assert.is(s.patience, undefined);
      if (name === 'init') assert.is(s.pretrainEpochs, 2);
      if (name === 'source-only') assert.equal([s.epochs, s.evalEvery], [6, 1]);
    }
  }
});

test('dev is evaluated about evalsPerPass times per source pass, and at least every epoch', () => {
  // zh-history-to-course at 10%: 205 source and 6 target batches: every 3 target epochs (68 evaluations in 6 passes).
  const s = methodSchedule(P, METHODS['la-dtl'], 3063, 82, 15);
  assert.equal([s.epochs, s.evalEvery], [205, 3]);
  // A target larger than a tenth of the source: every epoch.
  assert.is(methodSchedule(P, METHODS.mult, 4560, 543, 15).evalEvery, 1);
});

test('a smaller budget is a prefix of a larger one: same evaluation epochs, fewer of them', () => {
  const small = methodSchedule(P, METHODS.mult, 3063, 82, 15), large = methodSchedule({ ...P, sourcePasses: 10 }, METHODS.mult, 3063, 82, 15);
  assert.is(small.evalEvery, large.evalEvery);
  assert.ok(small.epochs < large.epochs);
});

test('lookupProtocol names the known presets when asked for an unknown one', () => {
  assert.is(lookupProtocol('curves'), PROTOCOLS.curves);
  assertThrowsWith(() => lookupProtocol('fast'), 'unknown protocol "fast"', 'curves');
});

test.run();
