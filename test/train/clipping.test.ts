import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clipGradNorm } from '../../lib/train/index.ts';
import { param64, setGrad, assertClose } from './util.ts';

test('large gradients are scaled to exactly maxNorm, preserving direction', () => {
  const a = param64([0, 0]), b = param64([0]), none = param64([0]);
  setGrad(a, [3, 4]);
  setGrad(b, [12]); // global norm √(9 + 16 + 144) = 13
  const before = clipGradNorm([a, b, none], 6.5);
  assert.is(before, 13);
  assertClose(a.grad!.values(), [1.5, 2]);
  assertClose(b.grad!.values(), [6]);
  assert.is(none.grad, null);
  const after = Math.hypot(...a.grad!.values(), ...b.grad!.values());
  assertClose([after], [6.5], 1e-14);
});

test('gradients within maxNorm are left untouched', () => {
  const a = param64([0, 0]);
  setGrad(a, [3, 4]);
  assert.is(clipGradNorm([a], 5.5), 5);
  assert.equal(Array.from(a.grad!.values()), [3, 4]);
});

test('a non-finite norm throws naming the parameter', () => {
  const a = param64([0]), b = param64([0, 0], 'crf.transitions');
  setGrad(a, [1]);
  setGrad(b, [1, NaN]);
  assert.throws(() => clipGradNorm([a, b], 1), (e: Error) => /NaN/.test(e.message) && /parameter 'crf\.transitions'/.test(e.message));
  assert.throws(() => clipGradNorm([a], 0), /maxNorm/);
});

test.run();
