import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backward, isFiniteCheckEnabled, setFiniteCheck, NonFiniteError } from '../../lib/autodiff/index.ts';
import { zeros } from '../../lib/tensor/index.ts';
import { parameter } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { guardStep, assertFiniteParameters, NonFiniteParameterError } from '../../lib/train/index.ts';
import { param64 } from './util.ts';

test('log of zero inside guardStep names the op and the step', () => {
  setFiniteCheck(false);
  const p = parameter(zeros([3], 'float64'), 'x');
  let caught: unknown = null;
  try {
    guardStep(7, () => {
      const loss = ops.sum(ops.log(p));
      backward(loss);
    });
  } catch (e) {
    caught = e;
  }
  assert.instance(caught, NonFiniteError);
  const message = (caught as Error).message;
  assert.ok(message.includes("op 'log'"), message);
  assert.ok(message.includes('step 7'), message);
  assert.is((caught as NonFiniteError).step, 7);
  // The check was only on for the step: outside it, the same computation runs silently.
  assert.is(isFiniteCheckEnabled(), false);
  assert.is(ops.sum(ops.log(p)).value.item(), -Infinity);
});

test('guardStep returns the result, restores a previous "on" setting, and passes other errors through', () => {
  setFiniteCheck(true);
  assert.is(guardStep(1, () => 42), 42);
  assert.is(isFiniteCheckEnabled(), true);
  setFiniteCheck(false);
  assert.throws(() => guardStep(3, () => { throw new RangeError('boom'); }), (e: Error) => e instanceof RangeError && e.message === 'boom');
  assert.is(isFiniteCheckEnabled(), false);
});

test('assertFiniteParameters names the parameter and step', () => {
  const ok = param64([1, 2], 'ok'), bad = param64([1, Infinity], 'lstm.W');
  assertFiniteParameters([ok], 3);
  assert.throws(() => assertFiniteParameters([ok, bad], 12), (e: Error) =>
    e instanceof NonFiniteParameterError && e.message === "non-finite value (Infinity) in parameter 'lstm.W' after the update at step 12");
  const unnamed = param64([NaN]);
  assert.throws(() => assertFiniteParameters([ok, unnamed], 5), /\(NaN\) in parameter #1 .*step 5/);
});

test.run();
