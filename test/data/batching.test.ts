/** Encoding and batching: ids, padding, masks, lengths, char layout, nothing lost, determinism. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  encodeSentence, makeBatches, collate, LabelSet, wordVocabularyFrom, charVocabularyFrom, UNK_ID, MAX_TOKEN_CHARS, longTokenCount,
  type Batch, type EncodedSentence, type Sentence,
} from '../../lib/data/index.ts';
import { Rng } from '../../lib/tensor/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

const labels = new LabelSet(['PER', 'LOC']);

/** `n` sentences with varied lengths 1..maxLen and varied token lengths (including an astral character). */
function corpus(n: number, maxLen = 12): Sentence[] {
  const out: Sentence[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + ((i * 7) % maxLen);
    const tokens = Array.from({ length: len }, (_, t) => (t % 5 === 4 ? '😀' : 'w'.repeat(1 + ((i + t) % 4)) + String(i % 3)));
    const tags = tokens.map((_, t) => (t === 0 ? 'B-PER' : t === 1 ? 'I-PER' : t % 3 === 0 ? 'B-LOC' : 'O'));
    out.push({ tokens, tags, line: 1 + i * 20 });
  }
  return out;
}

const sentences = corpus(53);
const words = wordVocabularyFrom(sentences);
const chars = charVocabularyFrom(sentences);
const encoded = sentences.map((s) => encodeSentence(s, words, chars, labels));

test('encodeSentence: word, tag and char ids (chars by code point)', () => {
  const s: Sentence = { tokens: ['w0', '😀', 'new'], tags: ['B-PER', 'O', 'B-LOC'], line: 3 };
  const e = encodeSentence(s, words, chars, labels);
  assert.is(e.length, 3);
  assert.equal(Array.from(e.wordIds), [words.id('w0'), words.id('😀'), UNK_ID]);
  assert.equal(Array.from(e.tagIds), [1, 0, 3]);
  assert.equal(e.charIds.map((c) => c.length), [2, 1, 3]);
  assert.equal(Array.from(e.charIds[1]), [chars.id('😀')]);
  assert.equal(Array.from(e.charIds[2]), [chars.id('n'), chars.id('e'), chars.id('w')]);
  const noChars = encodeSentence(s, words, null, labels);
  assert.equal(noChars.charIds, []);
});

test('encodeSentence errors: unknown tag (with its line), empty sentence, length mismatch, wrong vocabulary kind', () => {
  const s: Sentence = { tokens: ['a', 'b'], tags: ['O', 'B-ORG'], line: 40 };
  assertThrowsWith(() => encodeSentence(s, words, chars, labels), 'line 41', 'unknown label "B-ORG"', 'O, B-PER, I-PER, B-LOC, I-LOC');
  assertThrowsWith(() => encodeSentence({ tokens: [], tags: [], line: 2 }, words, null, labels), 'line 2 is empty');
  assertThrowsWith(() => encodeSentence({ tokens: ['a'], tags: [], line: 2 }, words, null, labels), '1 tokens but 0 tags');
  assertThrowsWith(() => encodeSentence({ tokens: [''], tags: ['O'], line: 2 }, words, null, labels), 'token 0 is empty');
  assertThrowsWith(() => encodeSentence({ tokens: ['a'], tags: ['O'], line: 2 }, chars, null, labels), "kind 'char'");
  assertThrowsWith(() => encodeSentence({ tokens: ['a'], tags: ['O'], line: 2 }, words, words, labels), "kind 'word'");
});

/** Checks every cell of a batch against the encoded sentences it claims to hold. */
function checkBatch(b: Batch, all: readonly EncodedSentence[]): void {
  assert.is(b.size, b.indices.length);
  assert.is(b.lengths.length, b.size);
  assert.is(b.maxLen, Math.max(...b.indices.map((i) => all[i].length)));
  const withChars = all[b.indices[0]].charIds.length > 0;
  const maxChars = withChars ? Math.max(...b.indices.flatMap((i) => all[i].charIds.map((c) => c.length))) : 0;
  assert.is(b.maxChars, maxChars);
  for (const arr of [b.wordIds, b.tagIds, b.mask, b.charLengths]) assert.is(arr.length, b.size * b.maxLen);
  assert.is(b.charIds.length, b.size * b.maxLen * b.maxChars);
  b.indices.forEach((idx, r) => {
    const e = all[idx];
    assert.is(b.lengths[r], e.length);
    for (let t = 0; t < b.maxLen; t++) {
      const k = r * b.maxLen + t; // row-major [b, t]
      const real = t < e.length;
      assert.is(b.mask[k], real ? 1 : 0);
      assert.is(b.wordIds[k], real ? e.wordIds[t] : 0);
      assert.is(b.tagIds[k], real ? e.tagIds[t] : -1);
      const c = real && withChars ? e.charIds[t] : new Int32Array(0);
      assert.is(b.charLengths[k], c.length);
      for (let j = 0; j < b.maxChars; j++) assert.is(b.charIds[k * b.maxChars + j], j < c.length ? c[j] : 0);
    }
  });
}

/** Every input position appears in exactly one batch. */
function checkPartition(batches: Batch[], n: number, batchSize: number): void {
  const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
  assert.equal(seen, Array.from({ length: n }, (_, i) => i));
  assert.ok(batches.every((b) => b.size <= batchSize && b.size > 0));
  // Chunks are whole multiples of batchSize, so only the very last batch can be short.
  assert.ok(batches.filter((b) => b.size < batchSize).length <= 1, 'at most one short batch');
}

test('no rng, no sorting: batches follow the input order; the last batch is smaller; layout is exact', () => {
  const batches = makeBatches(encoded, 10, null);
  assert.equal(batches.map((b) => b.size), [10, 10, 10, 10, 10, 3]);
  assert.equal(batches.flatMap((b) => b.indices), Array.from({ length: 53 }, (_, i) => i));
  for (const b of batches) checkBatch(b, encoded);
});

test('with rng and sortByLength: every sentence exactly once, cells exact, less padding than unsorted', () => {
  for (const batchSize of [1, 4, 7, 53, 100]) {
    const sorted = makeBatches(encoded, batchSize, new Rng(3), { sortByLength: true, chunkFactor: 2 });
    checkPartition(sorted, encoded.length, batchSize);
    for (const b of sorted) checkBatch(b, encoded);
  }
  const padding = (bs: Batch[]): number => bs.reduce((s, b) => s + b.size * b.maxLen - b.lengths.reduce((x, y) => x + y, 0), 0);
  const sorted = makeBatches(encoded, 8, new Rng(5), { sortByLength: true });
  const unsorted = makeBatches(encoded, 8, new Rng(5));
  checkPartition(unsorted, encoded.length, 8);
  assert.ok(padding(sorted) < padding(unsorted) / 2, `padding ${padding(sorted)} vs ${padding(unsorted)}`);
  // Within one chunk (here all 53 < 50 * 8) batches hold length-sorted runs.
  const lens = sorted.map((b) => Array.from(b.lengths));
  for (const l of lens) assert.equal(l, [...l].sort((a, b) => a - b));
});

test('same seed, same batches; another seed, another order', () => {
  const run = (seed: number, sort: boolean): number[][] => makeBatches(encoded, 6, new Rng(seed), { sortByLength: sort }).map((b) => b.indices);
  assert.equal(run(11, true), run(11, true));
  assert.equal(run(11, false), run(11, false));
  assert.not.equal(run(11, false), run(12, false));
  assert.not.equal(run(11, true), run(12, true));
  assert.not.equal(run(11, false), makeBatches(encoded, 6, null).map((b) => b.indices));
});

test('only rng.shuffle is used, and never on the caller\'s array', () => {
  const calls: number[] = [];
  const reverse = { shuffle<T>(a: T[]): T[] { calls.push(a.length); return a.reverse(); } };
  const input = encoded.slice(0, 5);
  const batches = makeBatches(input, 2, reverse);
  assert.equal(batches.map((b) => b.indices), [[4, 3], [2, 1], [0]]);
  assert.equal(calls, [5]);
  assert.is(input.length, 5);
  const sorted = makeBatches(input, 2, reverse, { sortByLength: true });
  assert.equal(calls, [5, 5, 3]); // sentence order, then batch order
  checkPartition(sorted, 5, 2);
});

test('without char ids: charIds is empty and maxChars 0; mixing with and without is an error', () => {
  const plain = sentences.slice(0, 4).map((s) => encodeSentence(s, words, null, labels));
  const b = collate(plain, [3, 1]);
  assert.is(b.maxChars, 0);
  assert.is(b.charIds.length, 0);
  assert.equal(Array.from(b.charLengths), new Array(b.size * b.maxLen).fill(0));
  checkBatch(b, plain);
  assertThrowsWith(() => collate([plain[0], encoded[1]], [0, 1]), 'same char vocabulary or none');
  assertThrowsWith(() => collate(plain, []), 'no sentences');
  assert.throws(() => collate(plain, [9]), RangeError);
  assert.throws(() => makeBatches(plain, 0, null), RangeError);
});

test('a token longer than MAX_TOKEN_CHARS: its first characters only go to the char encoder; the batch stays narrow', () => {
  const huge = '😀' + 'ab'.repeat(5000); // 10,001 code points, an astral one first
  const s: Sentence = { tokens: ['x', huge, 'y'], tags: ['O', 'B-PER', 'O'], line: 7 };
  const e = encodeSentence(s, words, chars, labels);
  assert.is(e.charIds[1].length, MAX_TOKEN_CHARS);
  assert.equal(Array.from(e.charIds[1]), Array.from(chars.charIds(Array.from(huge).slice(0, MAX_TOKEN_CHARS).join(''))));
  assert.is(e.wordIds[1], words.id(huge), 'the word id is of the whole token');
  const b = collate([e, encoded[0]], [0, 1]);
  assert.is(b.maxChars, MAX_TOKEN_CHARS);
  assert.is(b.charIds.length, 2 * b.maxLen * MAX_TOKEN_CHARS);
  assert.is(longTokenCount([s.tokens, sentences[0].tokens]), 1);
  assert.is(longTokenCount([['😀'.repeat(MAX_TOKEN_CHARS)]]), 0, 'counted in code points, not UTF-16 units');
});

test('quirk: a very long sentence (324 tokens, as in linnaeus) batches like any other', () => {
  const long: Sentence = { tokens: Array.from({ length: 324 }, (_, i) => `t${i}`), tags: new Array(324).fill('O'), line: 1 };
  const e = [encodeSentence(long, words, chars, labels), encoded[0]];
  const [b] = makeBatches(e, 2, null);
  assert.is(b.maxLen, 324);
  assert.equal(Array.from(b.lengths), [324, encoded[0].length]);
  checkBatch(b, e);
});

test.run();
