import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConllevalParseError, evaluateSentences, formatConllevalReport, parseConllevalInput } from '../../lib/eval/index.ts';

function errorOf(fn: () => unknown): ConllevalParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConllevalParseError) return e;
    throw e;
  }
  throw new Error('expected a ConllevalParseError');
}

test('blank lines split sentences; last two columns are gold and guess; extra blanks ignored', () => {
  const s = parseConllevalInput('\n\na NN B-X I-X\nb NN I-X I-X\n\n\n\nc NN O B-Y\n', 'in.txt');
  assert.equal(s, [
    { words: ['a', 'b'], gold: ['B-X', 'I-X'], guess: ['I-X', 'I-X'], line: 3 },
    { words: ['c'], gold: ['O'], guess: ['B-Y'], line: 8 },
  ]);
});

test('two columns: gold and guess only; a final line without newline is read', () => {
  assert.equal(parseConllevalInput('B-X B-X\nO O', 'two.txt'), [{ words: ['', ''], gold: ['B-X', 'O'], guess: ['B-X', 'O'], line: 1 }]);
});

test('empty text: no sentences', () => {
  assert.equal(parseConllevalInput('', 'e.txt'), []);
  assert.equal(parseConllevalInput('\n \n\t\n', 'e.txt'), []);
});

test('"-X-" in the first column is a sentence break, as in conlleval', () => {
  const s = parseConllevalInput('a B-X B-X\n-X- O O\nb I-X I-X\n', 'x.txt');
  assert.equal(s.map((x) => x.gold), [['B-X'], ['I-X']]);
  // So I-X after it starts a new chunk: 2 + 2 chunks, 2 correct.
  const r = evaluateSentences(s);
  assert.equal([r.tokens, r.goldChunks, r.guessedChunks, r.correctChunks], [2, 2, 2, 2]);
});

test('-DOCSTART-: a token by default (conlleval), a break with docstart "boundary"', () => {
  const text = '-DOCSTART- -X- O O\n\nEU NNP B-ORG B-ORG\nrejects VBZ O O\n';
  // conlleval only treats "-X-" in the first column as a break, so -DOCSTART- is one more O/O token.
  const asToken = parseConllevalInput(text, 'd.txt');
  assert.is(asToken.length, 2);
  assert.is(
    formatConllevalReport(evaluateSentences(asToken)),
    [
      'processed 3 tokens with 1 phrases; found: 1 phrases; correct: 1.',
      'accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00',
      '              ORG: precision: 100.00%; recall: 100.00%; FB1: 100.00  1',
      '',
    ].join('\n'),
  );
  const asBreak = parseConllevalInput(text, 'd.txt', { docstart: 'boundary' });
  assert.equal(asBreak.map((x) => x.line), [3]);
  assert.is(evaluateSentences(asBreak).tokens, 2);
  // In boundary mode its column count is not checked.
  assert.is(parseConllevalInput('-DOCSTART- -X- -X- O\na B-X B-X\n', 'd.txt', { docstart: 'boundary' }).length, 1);
});

test('errors name file:line: column count differs from the first token line', () => {
  const e = errorOf(() => parseConllevalInput('a B-X B-X\nb O O\n\nc O\n', 'data/dev.txt'));
  assert.is(e.message, 'data/dev.txt:4: unexpected number of features: 2 (expected 3)');
  assert.equal([e.file, e.line], ['data/dev.txt', 4]);
  // The first non-blank line fixes the count, even after leading blank lines.
  const e2 = errorOf(() => parseConllevalInput('\n\na O\nb O O\n', 'f.txt'));
  assert.is(e2.message, 'f.txt:4: unexpected number of features: 3 (expected 2)');
  // A "-X-" break line is a line like any other for the count.
  const e4 = errorOf(() => parseConllevalInput('-X- O O\na O\n', 'h.txt'));
  assert.is(e4.message, 'h.txt:2: unexpected number of features: 2 (expected 3)');
  // conlleval counts columns of -DOCSTART- lines too (default mode).
  const e3 = errorOf(() => parseConllevalInput('-DOCSTART- -X- -X- O\n\na B-X B-X\n', 'g.txt'));
  assert.ok(e3.message.startsWith('g.txt:3: unexpected number of features: 3 (expected 4)'), e3.message);
});

test('errors name file:line: fewer than two columns', () => {
  const e = errorOf(() => parseConllevalInput('\nlonely\n', 'one.txt'));
  assert.ok(e.message.startsWith('one.txt:2: unexpected number of features: 1'), e.message);
  assert.is(e.name, 'ConllevalParseError');
});

test('rejects an unknown docstart mode', () => {
  assert.throws(() => parseConllevalInput('', 'x', { docstart: 'skip' as 'token' }), /docstart/);
});

test.run();
