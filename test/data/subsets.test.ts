/** Few-label subsets: order files, ceil arithmetic, nesting, file order, seeded orders. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOrderFile, fewLabelCount, fewLabelSubset, seededOrder } from '../../lib/data/index.ts';
import { Rng } from '../../lib/tensor/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';
import { throwsCorpusError } from './util.ts';

const F = 'train.order.txt';

test('parseOrderFile: one index per line, LF or CRLF, with or without a final newline', () => {
  assert.equal(parseOrderFile('2\n0\n3\n1\n', F, 4), [2, 0, 3, 1]);
  assert.equal(parseOrderFile('2\r\n0\r\n1', F, 3), [2, 0, 1]);
  assert.equal(parseOrderFile('', F, 0), []);
});

test('parseOrderFile errors name file:line (or the file for missing indices)', () => {
  throwsCorpusError(() => parseOrderFile('0\n1\n5\n', F, 3), F, 3, 'index 5 is out of range', '3 sentences (0..2)');
  throwsCorpusError(() => parseOrderFile('0\n2\n0\n', F, 3), F, 3, 'index 0 is listed twice', 'first on line 1');
  throwsCorpusError(() => parseOrderFile('0\n\n1\n', F, 3), F, 2, 'empty line');
  throwsCorpusError(() => parseOrderFile('0\n-1\n', F, 2), F, 2, 'expected a sentence index', '"-1"');
  throwsCorpusError(() => parseOrderFile('0\n 1\n', F, 2), F, 2, '" 1"');
  throwsCorpusError(() => parseOrderFile('0\n1.0\n', F, 2), F, 2, '"1.0"');
  throwsCorpusError(() => parseOrderFile('0\n1\n\n', F, 2), F, 3, 'empty line'); // only ONE final newline is allowed
  throwsCorpusError(() => parseOrderFile('3\n0\n', F, 5), F, null, 'lists 2 indices', '5 sentences', 'missing 1, 2, 4');
  throwsCorpusError(() => parseOrderFile('0\n', F, 20), F, null, 'missing 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...');
});

test('fewLabelCount is ceil(fraction * n): the README table, exact products, and float noise', () => {
  // (N, 5%, 10%, 20%) from the README's pair table.
  const table: [number, number, number, number][] = [
    [815, 41, 82, 163], [1460, 73, 146, 292], [5424, 272, 543, 1085], [2496, 125, 250, 500],
    [2499, 125, 250, 500], [5698, 285, 570, 1140], [1377, 69, 138, 276],
  ];
  for (const [n, a, b, c] of table) assert.equal([0.05, 0.1, 0.2].map((p) => fewLabelCount(n, p)), [a, b, c], `N = ${n}`);
  assert.is(fewLabelCount(100, 0.07), 7); // 0.07 * 100 = 7.000000000000001 in floating point
  assert.is(fewLabelCount(100, 0.071), 8);
  assert.is(fewLabelCount(10, 0), 0);
  assert.is(fewLabelCount(10, 1), 10);
  assert.is(fewLabelCount(1, 0.05), 1);
  // For the protocol's fractions the guard never changes the plain Math.ceil result.
  for (const p of [0.05, 0.1, 0.2]) for (let n = 0; n < 20000; n++) if (fewLabelCount(n, p) !== Math.ceil(p * n)) assert.unreachable(`n ${n}, p ${p}`);
  assert.throws(() => fewLabelCount(10, 1.5), RangeError);
  assert.throws(() => fewLabelCount(-1, 0.5), RangeError);
});

test('fewLabelSubset: the first ceil(p*N) of the order, returned in file order, nested for growing p', () => {
  const sentences = Array.from({ length: 30 }, (_, i) => `s${i}`);
  const order = seededOrder(30, new Rng(9));
  let previous: number[] = [];
  for (const p of [0.05, 0.1, 0.2, 0.5, 1]) {
    const { indices, sentences: picked } = fewLabelSubset(sentences, order, p);
    assert.is(indices.length, Math.ceil(p * 30));
    assert.equal(indices, order.slice(0, indices.length).sort((a, b) => a - b)); // same set as the order's prefix
    assert.equal(indices, [...indices].sort((a, b) => a - b)); // file order
    assert.equal(picked, indices.map((i) => sentences[i]));
    assert.ok(previous.every((i) => indices.includes(i)), `subset for ${p} contains the smaller one`);
    previous = indices;
  }
  // The order matters, not just the count.
  const reversed = [...order].reverse();
  assert.not.equal(fewLabelSubset(sentences, reversed, 0.2).indices, fewLabelSubset(sentences, order, 0.2).indices);
});

test('fewLabelSubset rejects an order that is not a permutation of 0..N-1', () => {
  assertThrowsWith(() => fewLabelSubset(['a', 'b'], [0], 0.5), 'lists 1 indices for 2 sentences');
  assertThrowsWith(() => fewLabelSubset(['a', 'b'], [0, 0], 0.5), 'not a permutation', 'repeated index 0');
  assertThrowsWith(() => fewLabelSubset(['a', 'b'], [0, 2], 0.5), 'bad or repeated index 2');
});

test('seededOrder: a permutation, the same for the same seed', () => {
  const a = seededOrder(100, new Rng(1));
  assert.equal([...a].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.equal(seededOrder(100, new Rng(1)), a);
  assert.not.equal(seededOrder(100, new Rng(2)), a);
  assert.not.equal(a, Array.from({ length: 100 }, (_, i) => i));
});

test.run();
