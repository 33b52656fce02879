/** The seeded random source: reproducible streams and sane distributions. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, randNormal } from '../../lib/tensor/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('same seed, same stream; different seeds, different streams', () => {
  const draw = (seed: number): number[] => { const r = new Rng(seed); return [r.nextUint32(), r.uniform(), r.normal(), r.int(1000), ...r.permutation(6)]; };
  assert.equal(draw(42), draw(42));
  assert.not.equal(draw(42), draw(43));
  assert.equal(randNormal([5], new Rng(1)).toArray(), randNormal([5], new Rng(1)).toArray());
});

test('uniform lies in [0, 1) with mean about 1/2; normal has mean 0 and variance 1', () => {
  const r = new Rng(3);
  const n = 20000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z; sn2 += z * z;
  }
  // Tolerances are about 5 standard errors.
  assert.ok(Math.abs(su / n - 0.5) < 0.011, `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 0.036, `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 0.05, `normal variance ${sn2 / n}`);
});

test('int is uniform over its range; bernoulli hits its rate; shuffle is a permutation', () => {
  const r = new Rng(11);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 10000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 250, `counts ${counts}`);
  let hits = 0;
  for (let i = 0; i < 10000; i++) if (r.bernoulli(0.3)) hits++;
  assert.ok(Math.abs(hits - 3000) < 250, `bernoulli hits ${hits}`);
  const p = r.permutation(50);
  assert.equal([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.not.equal(p, Array.from({ length: 50 }, (_, i) => i));
});

test('state round trip and fork are deterministic', () => {
  const a = new Rng(9);
  a.uniform();
  const state = a.getState();
  const next = [a.uniform(), a.uniform()];
  const b = new Rng(0);
  b.setState(state);
  assert.equal([b.uniform(), b.uniform()], next);
  assert.equal(new Rng(5).fork().uniform(), new Rng(5).fork().uniform());
});

test('bad arguments are refused', () => {
  assertThrowsWith(() => new Rng(NaN), 'seed');
  assertThrowsWith(() => new Rng(1).int(0), 'Rng.int');
  assertThrowsWith(() => new Rng(1).bernoulli(1.5), 'bernoulli', '1.5');
});

test.run();
