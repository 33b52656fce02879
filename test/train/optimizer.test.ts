import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parameter, constant } from '../../lib/autodiff/index.ts';
import { tensor } from '../../lib/tensor/index.ts';
import { SGD, Adam, Adagrad, type Optimizer } from '../../lib/train/index.ts';
import { param64, setGrad, assertClose } from './util.ts';

test('zeroGrad clears every gradient', () => {
  const a = param64([1]), b = param64([2]);
  const opt = new SGD([a, b], 0.1);
  setGrad(a, [1]);
  setGrad(b, [1]);
  opt.zeroGrad();
  assert.is(a.grad, null);
  assert.is(b.grad, null);
});

test('parameters without a gradient are skipped', () => {
  const a = param64([1]), b = param64([2]);
  const opt = new SGD([a, b], 0.5);
  setGrad(a, [1]);
  opt.step();
  assert.equal(Array.from(a.value.data), [0.5]);
  assert.equal(Array.from(b.value.data), [2]);
});

test('updates are written into the parameter storage, honouring its offset', () => {
  // A contiguous view at offset 2 of a larger buffer: only elements 2..3 may change.
  const storage = tensor([9, 9, 1, 2, 9], [5], 'float64');
  const p = parameter(storage.slice([2], [2]), 'w');
  const opt = new SGD([p], 1);
  setGrad(p, [0.5, 1]);
  opt.step();
  assert.equal(Array.from(storage.data), [9, 9, 0.5, 1, 9]);
});

test('non-contiguous, constant and duplicate parameters are rejected with their name', () => {
  const t = parameter(tensor([1, 2, 3, 4], [2, 2], 'float64').transpose(), 'enc.W');
  assert.throws(() => new SGD([t], 0.1), /parameter 'enc\.W'.*not contiguous/);
  const c = constant(tensor([1], [1], 'float64'), 'frozen');
  assert.throws(() => new Adam([c], 0.1), /parameter 'frozen' does not require a gradient/);
  const p = param64([1]);
  assert.throws(() => new SGD([p, p], 0.1), /listed twice/);
  // A value replaced by a strided view after construction is caught at step time.
  const q = param64([1, 2, 3, 4], 'dec.W');
  const opt = new SGD([q], 0.1);
  q.value = tensor([1, 2, 3, 4], [2, 2], 'float64').transpose();
  q.grad = tensor([1, 1, 1, 1], [2, 2], 'float64');
  assert.throws(() => opt.step(), /parameter 'dec\.W'/);
});

function roundTrip(make: (ps: ReturnType<typeof param64>[]) => Optimizer, name: string): void {
  const grads = [[0.5, -1], [-0.3, 0.4], [2, 0.1], [0.7, -0.2]];
  const a = param64([1, -2]), extra = param64([3]);
  const optA = make([a, extra]);
  for (const g of grads.slice(0, 2)) {
    setGrad(a, g);
    optA.step();
  }
  const saved = optA.state();
  // A fresh optimizer over a copy of the parameters continues exactly like the original.
  const b = param64(Array.from(a.value.data)), extraB = param64([3]);
  const optB = make([b, extraB]);
  optB.loadState(saved);
  for (const g of grads.slice(2)) {
    setGrad(a, g);
    setGrad(b, g);
    optA.step();
    optB.step();
    assert.equal(Array.from(b.value.data), Array.from(a.value.data), `${name}: identical after restore`);
  }
  // Without the state, the continuation would differ (so the assertion above can fail).
  const c = param64([1, -2]);
  const optC = make([c, param64([3])]);
  for (const g of grads.slice(0, 2)) {
    setGrad(c, g);
    optC.step();
  }
  const snapshot = optC.state();
  const d = param64(Array.from(c.value.data));
  const optD = make([d, param64([3])]);
  for (const g of grads.slice(2)) {
    setGrad(c, g);
    setGrad(d, g);
    optC.step();
    optD.step();
  }
  assert.not.equal(Array.from(d.value.data), Array.from(c.value.data), `${name}: fresh state differs`);
  // state() is a copy: later steps did not change the snapshot.
  assert.equal(snapshot.steps, [2, 0]);
}

test('state()/loadState() round trip reproduces subsequent updates', () => {
  roundTrip((ps) => new SGD(ps, 0.1, { momentum: 0.9 }), 'sgd');
  roundTrip((ps) => new Adagrad(ps, 0.1), 'adagrad');
  roundTrip((ps) => new Adam(ps, 0.1), 'adam');
});

test('loadState restores the learning rate and rejects mismatched checkpoints', () => {
  const p = param64([1, 2]);
  const adam = new Adam([p], 0.1);
  adam.learningRate = 0.02;
  const s = adam.state();
  const other = new Adam([param64([0, 0])], 0.5);
  other.loadState(s);
  assert.is(other.learningRate, 0.02);
  assert.throws(() => new SGD([param64([1, 2])], 0.1).loadState(s), /'adam'.*'sgd'/);
  assert.throws(() => new Adam([param64([1, 2]), param64([3])], 0.1).loadState(s), /1 parameters/);
  setGrad(p, [1, 1]);
  adam.step();
  assert.throws(() => new Adam([param64([1, 2, 3])], 0.1).loadState(adam.state()), /does not match/);
});

test('loadState copies buffers: mutating the checkpoint afterwards changes nothing', () => {
  const p = param64([1]);
  const opt = new SGD([p], 0.1, { momentum: 0.5 });
  setGrad(p, [1]);
  opt.step();
  const s = opt.state();
  opt.loadState(s);
  s.slots.velocity[0]![0] = 1000;
  assertClose(opt.state().slots.velocity[0]!, [1]);
});

test('state() is a snapshot: further steps do not change it', () => {
  const p = param64([1]);
  const opt = new SGD([p], 0.1, { momentum: 0.5 });
  setGrad(p, [1]);
  opt.step();
  const s = opt.state();
  opt.step(); // velocity becomes 0.5·1 + 1 = 1.5
  assertClose(opt.state().slots.velocity[0]!, [1.5]);
  assertClose(s.slots.velocity[0]!, [1]);
});

test.run();
