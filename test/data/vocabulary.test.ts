/** Vocabulary: reserved ids, min count, deterministic order, normalisation, code points, JSON. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Vocabulary, wordVocabularyFrom, charVocabularyFrom, compareCodePoints, PAD_ID, UNK_ID, type Sentence,
} from '../../lib/data/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

const entries = (v: Vocabulary): string[] => Array.from({ length: v.size }, (_, i) => v.token(i));

test('<pad> = 0, <unk> = 1; unknown tokens get <unk>; the reserved spellings are never looked up as text', () => {
  const v = Vocabulary.fromTokens(['b', 'a', 'b']);
  assert.is(PAD_ID, 0);
  assert.is(UNK_ID, 1);
  assert.equal(entries(v), ['<pad>', '<unk>', 'b', 'a']);
  assert.is(v.id('b'), 2);
  assert.is(v.id('zzz'), UNK_ID);
  assert.is(v.id('<pad>'), UNK_ID);
  assert.is(v.id('<unk>'), UNK_ID);
  assert.is(Vocabulary.fromTokens(['<pad>', '<pad>', 'x']).size, 3); // not a duplicate entry
  assert.throws(() => v.token(4), RangeError);
});

test('order: count descending, then code point order (not UTF-16 order)', () => {
  const v = Vocabulary.fromCounts([['b', 2], ['a', 2], ['c', 5], ['\u{1F600}', 1], ['\uE13B', 1], ['B', 1]]);
  // '\uE13B' (U+E13B) < '\u{1F600}' by code point, though its UTF-16 unit E13B > D83D.
  assert.equal(entries(v).slice(2), ['c', 'a', 'b', 'B', '\uE13B', '\u{1F600}']);
  assert.ok('\uE13B' > '\u{1F600}'); // what a plain JS comparison would say
  assert.ok(compareCodePoints('\uE13B', '\u{1F600}') < 0);
  assert.ok(compareCodePoints('ab', 'a') > 0);
  assert.is(compareCodePoints('x', 'x'), 0);
  // The input order does not matter.
  const w = Vocabulary.fromCounts([['B', 1], ['\u{1F600}', 1], ['c', 5], ['a', 2], ['\uE13B', 1], ['b', 2]]);
  assert.equal(entries(w), entries(v));
});

test('minCount keeps entries seen at least that often, counted after normalisation', () => {
  const tokens = ['the', 'the', 'cat', 'The', 'Cat', 'dog'];
  assert.equal(entries(Vocabulary.fromTokens(tokens, { minCount: 2 })).slice(2), ['the']);
  assert.equal(entries(Vocabulary.fromTokens(tokens, { minCount: 2, lowercase: true })).slice(2), ['the', 'cat']);
  assert.equal(entries(Vocabulary.fromTokens(tokens, { minCount: 4 })).slice(2), []);
  assertThrowsWith(() => Vocabulary.fromTokens(tokens, { minCount: 0 }), 'minCount');
  assertThrowsWith(() => Vocabulary.fromCounts([['a', -1]]), 'count of "a"');
});

test('lowercase and normalizeDigits apply to lookups too; every Unicode decimal digit becomes 0', () => {
  const v = Vocabulary.fromTokens(['Aspirin', '2017', '１２', '٣٤'], { lowercase: true, normalizeDigits: true });
  assert.equal(entries(v).slice(2), ['00', '0000', 'aspirin']); // '１２' and '٣٤' both became '00'
  assert.is(v.id('ASPIRIN'), v.id('aspirin'));
  assert.is(v.id('1999'), v.id('0000'));
  assert.is(v.id('９９'), v.id('00')); // full-width digits (kept as-is in the CCKS files)
  assert.is(v.id('४२'), v.id('00')); // Devanagari
  assert.is(v.normalize('x\u{1D7CE}y'), 'x0y'); // MATHEMATICAL BOLD DIGIT ZERO, outside the BMP: one '0'
  assert.is(v.normalize('二½Ⅻ'), '二½ⅻ'); // not decimal digits (Ⅻ only lowercased)
  const plain = Vocabulary.fromTokens(['2017']);
  assert.is(plain.id('2018'), UNK_ID);
  assert.is(plain.normalize('A1'), 'A1');
});

test('characters are code points: an emoji outside the BMP is one character', () => {
  const sentences: Sentence[] = [{ tokens: ['a😀', '😀'], tags: ['O', 'O'], line: 1 }];
  const chars = charVocabularyFrom(sentences);
  assert.is(chars.kind, 'char');
  assert.equal(entries(chars).slice(2), ['😀', 'a']);
  const ids = chars.charIds('😀a😀');
  assert.is(ids.length, 3);
  assert.equal(Array.from(ids), [2, 3, 2]);
  assert.equal(Array.from(chars.charIds('\uD83D')), [UNK_ID]); // a lone surrogate is unknown, not half an emoji
  const lower = charVocabularyFrom([{ tokens: ['AbC1', '２'], tags: ['O', 'O'], line: 1 }], { lowercase: true, normalizeDigits: true });
  assert.equal(entries(lower).slice(2), ['0', 'a', 'b', 'c']);
  assert.equal(Array.from(lower.charIds('CA9')), [5, 3, 2]);
  // fromCounts with word counts builds the same char vocabulary.
  assert.equal(entries(Vocabulary.fromCounts([['a😀', 1], ['😀', 1]], { kind: 'char' })), entries(chars));
});

test('wordVocabularyFrom counts the tokens of all sentences', () => {
  const v = wordVocabularyFrom([
    { tokens: ['a', 'b'], tags: ['O', 'O'], line: 1 },
    { tokens: ['b'], tags: ['O'], line: 4 },
  ]);
  assert.is(v.kind, 'word');
  assert.equal(entries(v).slice(2), ['b', 'a']);
});

test('JSON round trip keeps ids and options; malformed JSON is rejected', () => {
  const v = Vocabulary.fromTokens(['X1', 'x2', 'y', 'y'], { lowercase: true, normalizeDigits: true, minCount: 1 });
  const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
  assert.equal(entries(back), entries(v));
  assert.equal(back.toJSON(), v.toJSON());
  assert.is(back.id('X7'), v.id('x0'));
  assertThrowsWith(() => Vocabulary.fromJSON({ tokens: ['a', 'b'] }), 'must start with');
  assertThrowsWith(() => Vocabulary.fromJSON({ tokens: ['<pad>', '<unk>', 'a', 'a'] }), '"a" is repeated');
  assertThrowsWith(() => Vocabulary.fromJSON({ kind: 'byte', tokens: ['<pad>', '<unk>'] }), "kind must be 'word' or 'char'");
  assertThrowsWith(() => Vocabulary.fromJSON(42), 'expected');
});

test.run();
