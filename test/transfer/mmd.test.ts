/** `subsampleRows` and `mmd` (lib/transfer/mmd.ts): the seeded cap on rows and the null cases. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/tensor/index.ts';
import { constant } from '../../lib/autodiff/index.ts';
import { gather, gaussianMmd } from '../../lib/ops/index.ts';
import { mmd, subsampleRows } from '../../lib/transfer/index.ts';
import { randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rows = [3, 5, 8, 9, 12, 20, 21, 30, 31, 44];

test('subsampleRows: at or under the cap (or no cap) every row is kept, in order, and no Rng is needed', () => {
  for (const max of [undefined, rows.length, rows.length + 5]) {
    const r = subsampleRows(rows, max, undefined);
    assert.equal(r.rows, rows);
    assert.is(r.subsampled, false);
    assert.is.not(r.rows, rows, 'a copy, not the caller\'s array');
  }
  assert.equal(subsampleRows([], 3, undefined), { rows: [], subsampled: false });
});

test('subsampleRows: over the cap, exactly `max` distinct input rows in increasing order', () => {
  const rng = new Rng(11);
  const seen = new Set<number>();
  for (let trial = 0; trial < 50; trial++) {
    for (const max of [1, 3, 7, 9]) {
      const r = subsampleRows(rows, max, rng);
      assert.is(r.subsampled, true);
      assert.is(r.rows.length, max);
      assert.is(new Set(r.rows).size, max, 'distinct');
      for (const x of r.rows) assert.ok(rows.includes(x), `row ${x} is one of the input rows`);
      for (let i = 1; i < r.rows.length; i++) assert.ok(r.rows[i - 1] < r.rows[i], `sorted: ${r.rows}`);
      r.rows.forEach((x) => seen.add(x));
    }
  }
  // A sample, not always the first rows: over many draws every row turns up.
  assert.is(seen.size, rows.length);
  // The input is left alone.
  assert.equal(rows, [3, 5, 8, 9, 12, 20, 21, 30, 31, 44]);
});

test('subsampleRows: same seed, same sample; another seed, (here) another sample; no Rng is an error', () => {
  const a = subsampleRows(rows, 4, new Rng(5)), b = subsampleRows(rows, 4, new Rng(5));
  assert.equal(a, b);
  const draws = new Set([5, 6, 7, 8, 9].map((s) => subsampleRows(rows, 4, new Rng(s)).rows.join(',')));
  assert.ok(draws.size > 1, 'different seeds give different samples');
  assertThrowsWith(() => subsampleRows(rows, 4, undefined), 'Rng');
});

test('mmd: equals gaussianMmd on the selected rows, counts them, and is null when a side has too few', () => {
  const rng = new Rng(3);
  const S = constant(randomInput(rng, [6, 3])), T = constant(randomInput(rng, [5, 3], 1, 0.4));
  const bandwidths = [0.5, 1, 5];
  const r = mmd(S, [0, 2, 5], T, [1, 4], { bandwidths })!;
  assert.ok(r);
  assert.is(r.sourceCount, 3);
  assert.is(r.targetCount, 2);
  assert.is(r.subsampled, false);
  const expected = gaussianMmd(gather(S, [0, 2, 5]), gather(T, [1, 4]), { bandwidths }).value.item();
  assertClose([r.value.value.item()], [expected], 1e-12, 1e-12);

  assert.is(mmd(S, [], T, [1, 4]), null);
  assert.is(mmd(S, [0, 1], T, []), null);
  assert.is(mmd(S, [], T, []), null);
  // One row per side is enough for the biased estimate, not for the unbiased one.
  assert.ok(mmd(S, [0], T, [1]));
  assert.is(mmd(S, [0], T, [1, 2], { unbiased: true }), null);
  assert.is(mmd(S, [0, 1], T, [2], { unbiased: true }), null);
  assert.ok(mmd(S, [0, 1], T, [2, 3], { unbiased: true }));
});

test('mmd: maxSamples caps each side, reports it, and follows the Rng (same seed, same value)', () => {
  const rng = new Rng(4);
  const S = constant(randomInput(rng, [12, 2])), T = constant(randomInput(rng, [9, 2], 1, 0.3));
  const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const a = mmd(S, all(12), T, all(9), { maxSamples: 4, rng: new Rng(8) })!;
  const b = mmd(S, all(12), T, all(9), { maxSamples: 4, rng: new Rng(8) })!;
  assert.is(a.sourceCount, 4);
  assert.is(a.targetCount, 4);
  assert.is(a.subsampled, true);
  assert.is(a.value.value.item(), b.value.value.item());
  // The value is gaussianMmd on the rows subsampleRows draws from the same stream (source, then target).
  const r = new Rng(8);
  const ps = subsampleRows(all(12), 4, r).rows, pt = subsampleRows(all(9), 4, r).rows;
  assertClose([a.value.value.item()], [gaussianMmd(gather(S, ps), gather(T, pt)).value.item()], 1e-7, 1e-6);
  // Only the side over the cap is sampled.
  const c = mmd(S, all(12), T, [0, 1, 2], { maxSamples: 4, rng: new Rng(8) })!;
  assert.is(c.sourceCount, 4);
  assert.is(c.targetCount, 3);
  assert.is(c.subsampled, true);
  const d = mmd(S, all(4), T, [0, 1, 2], { maxSamples: 4 })!;
  assert.is(d.subsampled, false);
});

test.run();
