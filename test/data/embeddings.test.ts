/** Pretrained vectors: word2vec/GloVe text parsing, errors with file:line, coverage and dimension checks on load. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEmbeddings } from '../../lib/data/index.ts';
import { Embedding } from '../../lib/nn/index.ts';
import { Rng } from '../../lib/tensor/index.ts';
import { throwsCorpusError } from './util.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('GloVe (no header) and word2vec (count dim header) text', () => {
  const g = parseEmbeddings('the 0.1 0.2 0.3\ncancer -1 2.5 3e-2\n', 'g.txt');
  assert.is(g.dim, 3);
  assert.equal(Array.from(g.vectors.get('cancer')!), [-1, 2.5, Math.fround(3e-2)]);
  const w = parseEmbeddings('2 2\r\nfoo 1 2\r\nbar 3 4\r\n', 'w.txt');
  assert.is(w.dim, 2);
  assert.equal([...w.vectors.keys()], ['foo', 'bar']);
});

test('malformed lines are errors with file:line', () => {
  throwsCorpusError(() => parseEmbeddings('a 1 2\nb 1\n', 'e.txt'), 'e.txt', 2, 'has 1 values, expected 2');
  throwsCorpusError(() => parseEmbeddings('a 1 x\n', 'e.txt'), 'e.txt', 1, 'not a finite number');
  // Finite in float64 but Infinity in float32: named here, not later as a non-finite parameter.
  throwsCorpusError(() => parseEmbeddings('a 1 2\nb 3 -1e39\n', 'e.txt'), 'e.txt', 2, 'value 2 of "b"', 'too large for float32', '-1e39');
  assert.equal(Array.from(parseEmbeddings('a 3.4028234e38 -3.4028234e38\n', 'e.txt').vectors.get('a')!).map(Number.isFinite), [true, true]);
  throwsCorpusError(() => parseEmbeddings('a 1 2\na 3 4\n', 'e.txt'), 'e.txt', 2, 'second vector');
  throwsCorpusError(() => parseEmbeddings('\n\n', 'e.txt'), 'e.txt', null, 'no vectors');
});

test('loading reports coverage (exact and lower-cased) and refuses a dimension mismatch', () => {
  const emb = new Embedding(5, 2, new Rng(1));
  const { vectors } = parseEmbeddings('cancer 1 2\naspirin 3 4\n', 'v.txt');
  const before = emb.table.value.toArray();
  const cov = emb.loadPretrained(vectors, ['<pad>', '<unk>', 'cancer', 'Aspirin', 'zzz'], new Set([0, 1]), 'v.txt');
  assert.equal(cov, { found: 2, foundLowercased: 1, total: 3 });
  const after = emb.table.value.toArray();
  assert.equal(after.slice(4, 8), [1, 2, 3, 4]);
  assert.equal(after.slice(0, 4), before.slice(0, 4), 'reserved rows untouched');
  assert.equal(after.slice(8), before.slice(8), 'rows without a vector untouched');
  assertThrowsWith(() => new Embedding(3, 4, new Rng(1)).loadPretrained(vectors, ['<pad>', '<unk>', 'cancer'], new Set([0, 1]), 'v.txt'), 'v.txt', 'dimension 2', 'has 4');
});

test.run();
