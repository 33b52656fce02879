import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor, tensor, zeros } from '../../lib/tensor/index.ts';
import { Linear } from '../../lib/nn/linear.ts';
import { Module } from '../../lib/nn/module.ts';
import { collectParameters, restoreParameters, assertSameLabels, encodeModelFile, decodeModelFile } from '../../lib/io/index.ts';
import { refused } from './refused.ts';

/** Two layers, so parameter names are dotted paths like the real tagger's. */
class Tiny extends Module {
  readonly first: Linear;
  readonly second: Linear;
  constructor(seed: number) {
    super();
    const rng = new Rng(seed);
    this.first = this.child('first', new Linear(3, 4, rng));
    this.second = this.child('second', new Linear(4, 2, rng));
  }
}


const snapshot = (m: Module) => [...m.namedParameters()].map(([n, v]) => [n, v.value.toArray()] as const);

test('collectParameters lists every parameter by dotted name, in registration order, without copying', () => {
  const model = new Tiny(1);
  const tensors = collectParameters(model.namedParameters());
  assert.equal([...tensors.keys()], ['first.W', 'first.b', 'second.W', 'second.b']);
  assert.ok(tensors.get('first.W') === model.first.W.value, 'the live tensor');
});

test('save then restore into a differently initialised model gives identical parameters, in place', () => {
  const trained = new Tiny(1);
  const fresh = new Tiny(2);
  assert.not.equal(snapshot(fresh), snapshot(trained), 'different seeds start different');
  const heldTensor = fresh.first.W.value;
  const bytes = encodeModelFile({ kind: 'tiny', config: null, metadata: {}, tensors: collectParameters(trained.namedParameters()) });
  restoreParameters(fresh.namedParameters(), decodeModelFile(bytes, 'tiny.ladtl').tensors, 'tiny.ladtl');
  assert.equal(snapshot(fresh), snapshot(trained));
  assert.ok(fresh.first.W.value === heldTensor, 'the same tensor object was filled, not replaced');
});

test('restore converts to the parameter dtype and fills strided parameter views', () => {
  const p64 = { value: zeros([2, 2], 'float64') };
  const storage = zeros([3, 2]);
  const view = { value: new Tensor(storage.data, [2, 3], [1, 2]) }; // transposed view of a [3, 2] buffer
  restoreParameters(new Map([['a', p64], ['v', view]]), new Map([['a', tensor([0.5, 1, 2, 3], [2, 2])], ['v', tensor([1, 2, 3, 4, 5, 6], [2, 3])]]), 'f');
  assert.is(p64.value.dtype, 'float64');
  assert.equal(p64.value.toArray(), [0.5, 1, 2, 3]);
  assert.equal(view.value.toArray(), [1, 2, 3, 4, 5, 6]);
  assert.equal(Array.from(storage.data), [1, 4, 2, 5, 3, 6], 'written through the strides');
});

test('restore errors name the source and every missing, unexpected and mis-shaped tensor, and change nothing', () => {
  const model = new Tiny(1);
  const before = snapshot(model);
  const good = collectParameters(new Tiny(5).namedParameters());

  const missing = new Map(good);
  missing.delete('second.b');
  refused(() => restoreParameters(model.namedParameters(), missing, 'a.ladtl'), 'mismatch', 'a.ladtl: ', "missing tensor 'second.b'");

  const extra = new Map(good);
  extra.set('third.W', zeros([2, 2]));
  refused(() => restoreParameters(model.namedParameters(), extra, 'b.ladtl'), 'mismatch', 'b.ladtl: ', "unexpected tensor 'third.W'");

  const misShaped = new Map(good);
  misShaped.set('first.W', zeros([4, 3]));
  refused(() => restoreParameters(model.namedParameters(), misShaped, 'c.ladtl'), 'mismatch', 'c.ladtl: ', "'first.W'", 'shape [4, 3] in the file but [3, 4] in the model');

  const rank = new Map(good);
  rank.set('first.b', zeros([1, 4]));
  refused(() => restoreParameters(model.namedParameters(), rank, 'd'), 'mismatch', "'first.b'", '[1, 4]', '[4]');

  const all = new Map(good);
  all.delete('first.b');
  all.set('second.W', zeros([2, 4]));
  all.set('bogus', zeros([1]));
  refused(() => restoreParameters(model.namedParameters(), all, 'e'), 'mismatch', '3 problems', "'first.b'", "'second.W'", "'bogus'");

  assert.equal(snapshot(model), before, 'no refused restore touched the model');
});

test('assertSameLabels accepts an identical list', () => {
  assertSameLabels(['O', 'B-疾病', 'I-疾病'], ['O', 'B-疾病', 'I-疾病'], 'x');
  assertSameLabels([], [], 'x');
});

test('assertSameLabels lists labels missing on each side', () => {
  refused(() => assertSameLabels(['O', 'B-DIS', 'I-DIS', 'B-SYM'], ['O', 'B-DIS', 'I-DIS', 'B-DRUG'], 'lab.ladtl'),
    'mismatch', 'lab.ladtl: ', "missing from the file: 'B-SYM'", "in the file but not expected: 'B-DRUG'");
  const onlyMissing = refused(() => assertSameLabels(['O', 'B-DIS'], ['O'], 'f'), 'mismatch', "missing from the file: 'B-DIS'");
  assert.not.ok(onlyMissing.message.includes('not expected:'), onlyMissing.message);
  refused(() => assertSameLabels(['O'], ['O', 'S-DIS'], 'f'), 'mismatch', "in the file but not expected: 'S-DIS'");
});

test('assertSameLabels reports the same labels in a different order', () => {
  const err = refused(() => assertSameLabels(['O', 'B-DIS', 'I-DIS'], ['O', 'I-DIS', 'B-DIS'], 'ord'), 'mismatch', 'ord: ', 'different order', "'I-DIS' where 'B-DIS' was expected");
  assert.not.ok(err.message.includes('missing from the file'), err.message);
  // Order of the shared labels is checked even when labels are also missing.
  refused(() => assertSameLabels(['O', 'B-A', 'B-B', 'B-C'], ['B-B', 'O', 'B-A'], 'f'), 'mismatch', "missing from the file: 'B-C'", 'labels both sides have are in a different order');
});

test('assertSameLabels reports repeated labels', () => {
  refused(() => assertSameLabels(['O', 'B-DIS'], ['O', 'B-DIS', 'O'], 'rep'), 'mismatch', "repeated in the file: 'O'");
});

test.run();
