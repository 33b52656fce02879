/** parseConll: every quirk of the shared README's list, and every malformed line as a file:line error. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { parseConll, convertTags, type ConllOptions, type Sentence } from '../../lib/data/index.ts';
import { readCorpusFile } from '../../lib/data/nodeFiles.ts';
import { FIXTURES, throwsCorpusError } from './util.ts';

const F = 'in.tsv';
const parse = (text: string, options: Partial<ConllOptions> = {}): Sentence[] => parseConll(text, { file: F, ...options });
const plain = (ss: Sentence[]): [string[], string[], number][] => ss.map((s) => [s.tokens, s.tags, s.line]);

test('a normalised TAB file: tokens, tags and the 1-based line of each sentence', () => {
  const text = 'EU\tB-ORG\nrejects\tO\n\nPeter\tB-PER\nBlackburn\tI-PER\n\n';
  assert.equal(plain(parse(text)), [
    [['EU', 'rejects'], ['B-ORG', 'O'], 1],
    [['Peter', 'Blackburn'], ['B-PER', 'I-PER'], 4],
  ]);
  assert.equal(parse(''), []);
  assert.equal(parse('\n\n'), []);
});

test('token i of a sentence is on line sentence.line + i', () => {
  const text = '\n\na\tO\nb\tO\nc\tB-X\n\n\nd\tO\n';
  const lines = text.split('\n');
  for (const s of parse(text)) s.tokens.forEach((tok, i) => assert.is(lines[s.line + i - 1], `${tok}\t${s.tags[i]}`));
});

test('quirk: a UTF-8 BOM at the start is dropped and does not shift line numbers', () => {
  const s = parse('\uFEFFword\tO\n\nnext\tB-X\n');
  assert.equal(plain(s), [[['word'], ['O'], 1], [['next'], ['B-X'], 3]]);
});

test('quirk: CRLF line ends give the same sentences as LF (no CR left on tags)', () => {
  const lf = 'a\tB-X\nb\tI-X\n\nc\tO\n\n';
  assert.equal(parse(lf.replace(/\n/g, '\r\n')), parse(lf));
  assert.equal(parse('a\tO\r\nb\tO'), parse('a\tO\nb\tO')); // CRLF and no final newline
});

test('a lone CR is an error naming its line (lone-CR line ends are not supported)', () => {
  throwsCorpusError(() => parse('a\tO\nb\tO\rc\tO\n'), F, 2, 'carriage return', 'U+000D');
  throwsCorpusError(() => parse('a\tO\r\r\n'), F, 1, 'carriage return');
});

test('quirk: -DOCSTART- lines are document separators: top, middle (no blank line around) and end', () => {
  const text = [
    '-DOCSTART- -X- O O', '', 'EU NNP I-NP I-ORG', 'rejects VBZ I-VP O',
    '-DOCSTART- -X- -X- O', // testb form, directly after a token line: ends that sentence
    'Peter NNP I-NP I-PER', '',
    '-DOCSTART- -X- O O', // at the end, as in this copy of the CoNLL-2003 originals
  ].join('\n');
  const s = parse(text, { scheme: 'IOB1' });
  assert.equal(plain(s), [
    [['EU', 'rejects'], ['I-ORG', 'O'], 3],
    [['Peter'], ['I-PER'], 6],
  ]);
  assert.equal(plain(parse('-DOCSTART-\tO\n\nx\tO\n-DOCSTART-\tO')), [[['x'], ['O'], 3]]);
  assert.equal(parse('-DOCSTART-\n'), []);
});

test('docstart: "error" rejects a -DOCSTART- line at its line', () => {
  throwsCorpusError(() => parse('a\tO\n\n-DOCSTART-\tO\n', { docstart: 'error' }), F, 3, '-DOCSTART-');
});

test('a token that merely starts with -DOCSTART- is a token', () => {
  assert.equal(parse('-DOCSTART-x\tO\n')[0].tokens, ['-DOCSTART-x']);
});

test('quirk: blank lines that hold only whitespace (lone TAB, spaces), several in a row, leading ones', () => {
  const text = '\n \na\tO\n\t\nb\tO\n   \n\n\t \t\nc\tO\n\u3000\nd\tO\n';
  assert.equal(plain(parse(text)), [[['a'], ['O'], 3], [['b'], ['O'], 5], [['c'], ['O'], 9], [['d'], ['O'], 11]]);
});

test('quirk: no final blank line, and no final newline', () => {
  assert.equal(plain(parse('a\tO\nb\tB-X\n')), [[['a', 'b'], ['O', 'B-X'], 1]]);
  assert.equal(plain(parse('a\tO\n\nb\tB-X')), [[['a'], ['O'], 1], [['b'], ['B-X'], 3]]);
});

test('quirk: original CoNLL-2003 (4 space-separated columns, IOB1) with explicit scheme and tag column', () => {
  const text = 'Hapoel NNP I-NP I-ORG\nHaifa NNP I-NP I-ORG\nMaccabi NNP I-NP B-ORG\nTel NNP I-NP I-ORG\ndrew VBD I-VP O\n';
  for (const opts of [{ separator: 'space', tagColumn: 3 }, { separator: 'auto' }] as const) {
    const [s] = parse(text, { ...opts, scheme: 'IOB1' });
    assert.equal(s.tokens, ['Hapoel', 'Haifa', 'Maccabi', 'Tel', 'drew']);
    assert.equal(s.tags, ['I-ORG', 'I-ORG', 'B-ORG', 'I-ORG', 'O']); // returned unconverted
    assert.equal(convertTags(s.tags, 'IOB1', 'BIO'), ['B-ORG', 'I-ORG', 'B-ORG', 'I-ORG', 'O']);
  }
  // Any column can be the tag column: column 2 holds the IOB1 chunk tags.
  assert.equal(parse(text, { tagColumn: 2, scheme: 'IOB1' })[0].tags, ['I-NP', 'I-NP', 'I-NP', 'I-NP', 'I-VP']);
  // The scheme can't be guessed: read as strict BIO, the leading I-ORG is an error.
  throwsCorpusError(() => parse(text), F, 1, '"I-ORG"', 'B-ORG', 'scheme BIO');
});

test('space separator: runs of spaces, leading and trailing spaces ignored', () => {
  assert.equal(plain(parse('  a   NN  O  \nb NN B-X\n', { separator: 'space' })), [[['a', 'b'], ['O', 'B-X'], 1]]);
});

test('quirk: a TAB file is never split on spaces (a space inside a token is an error, not two tokens)', () => {
  throwsCorpusError(() => parse('York\tB-LOC\nNew York\tB-LOC\n'), F, 2, '"New York"', 'U+0020 (SPACE)', 'tab-separated');
  // A TAB file is TAB-separated on every line: a space-separated line in it has the wrong column count.
  throwsCorpusError(() => parse('a\tO\nb O\n'), F, 2, 'expected 2 columns', 'TAB-separated', 'found 1');
  // ...while the same lines without any TAB are a fine space-separated file.
  assert.equal(parse('a O\nb O\n')[0].tokens, ['a', 'b']);
  // An explicit space separator does not split on TABs either.
  throwsCorpusError(() => parse('a\tb O\n', { separator: 'space' }), F, 1, '"a\tb"', 'U+0009 (TAB)', 'space-separated');
  throwsCorpusError(() => parse('a\tO\n', { separator: 'space' }), F, 1, 'at least 2 columns', 'has a TAB');
});

test('quirk: tag types containing "-" split at the first "-" only', () => {
  const [s] = parse('NF\tB-Regulon-operon\nkappaB\tI-Regulon-operon\nx\tB-creative-work\n');
  assert.equal(s.tags, ['B-Regulon-operon', 'I-Regulon-operon', 'B-creative-work']);
  // An I- whose full type differs from the open entity's does not continue it.
  throwsCorpusError(() => parse('a\tB-Regulon-operon\nb\tI-Regulon\n'), F, 2, '"I-Regulon"');
});

test('quirk: U+FEFF inside a line, U+200B and private-use U+E13B are kept as token characters', () => {
  const text = 'a\tO\n\nb\uFEFFc\tO\n\uFEFFword\tO\nzero\u200Bwidth\tO\n\uE13B\tB-SIGN\n';
  const s = parse(text);
  assert.equal(s[1].tokens, ['b\uFEFFc', '\uFEFFword', 'zero\u200Bwidth', '\uE13B']);
  assert.is(Array.from(s[1].tokens[1]).length, 5); // the U+FEFF was not trimmed away
  // A line holding only U+FEFF is not blank (U+FEFF is not White_Space) and is reported.
  throwsCorpusError(() => parse('a\tO\n\uFEFF\nb\tO\n'), F, 2, 'expected 2 columns', 'found 1');
});

test('whitespace other than the separator inside a token is an error naming the character', () => {
  throwsCorpusError(() => parse('a\u3000b\tO\n'), F, 1, 'U+3000 (IDEOGRAPHIC SPACE)');
  throwsCorpusError(() => parse('ok\tO\nx\u00A0\tO\n'), F, 2, 'U+00A0 (NO-BREAK SPACE)');
  throwsCorpusError(() => parse('ok\tO\nx\tO \n'), F, 2, 'tag "O "', 'U+0020');
});

test('malformed lines: column count, column out of range, empty token/tag/column', () => {
  throwsCorpusError(() => parse('a\tNN\tO\nb\tO\n'), F, 2, 'expected 3 columns', 'as on line 1', 'found 2');
  throwsCorpusError(() => parse('a\tO\n', { tagColumn: 3 }), F, 1, 'tag column 3', 'out of range', '2 columns');
  throwsCorpusError(() => parse('a\tO\n', { tokenColumn: 2, tagColumn: 1 }), F, 1, 'token column 2', 'out of range');
  throwsCorpusError(() => parse('a\tO\n\n\tO\n'), F, 3, 'empty token');
  throwsCorpusError(() => parse('a\tO\nb\t\n'), F, 2, 'empty tag');
  throwsCorpusError(() => parse('a\t\tO\n'), F, 1, 'empty column', 'column 2 of 3');
  throwsCorpusError(() => parse('a\tO\t\n'), F, 1, 'empty tag', 'column 3 of 3'); // trailing TAB: last column is the tag
  throwsCorpusError(() => parse('a\tO\n\nlonely\n'), F, 3, 'expected 2 columns');
  throwsCorpusError(() => parse('lonely\n'), F, 1, 'token and the tag would both be column 0');
});

test('malformed tags for the scheme', () => {
  throwsCorpusError(() => parse('a\tO\nb\tX-PER\n'), F, 2, 'not valid in BIO');
  throwsCorpusError(() => parse('a\tb-PER\n'), F, 1, 'not valid in BIO');
  throwsCorpusError(() => parse('a\tE-PER\n'), F, 1, 'not valid in BIO');
  throwsCorpusError(() => parse('a\tS-PER\n', { scheme: 'IOB1' }), F, 1, 'not valid in IOB1');
  throwsCorpusError(() => parse('a\tB-\n'), F, 1, 'no entity type');
  throwsCorpusError(() => parse('a\t-PER\n'), F, 1, 'no prefix');
  throwsCorpusError(() => parse('a\tPER\n'), F, 1, 'malformed tag "PER"');
  throwsCorpusError(() => parse('a\to\n'), F, 1, 'malformed tag "o"');
});

test('invalid tag sequences are errors at the offending line, per scheme', () => {
  // strict BIO: I-X after O, after a different type, at sentence start (sentences don't carry over)
  throwsCorpusError(() => parse('a\tO\nb\tI-PER\n'), F, 2, '"I-PER" after "O"', 'B-PER');
  throwsCorpusError(() => parse('a\tB-ORG\nb\tI-PER\n'), F, 2, 'after "B-ORG"');
  throwsCorpusError(() => parse('a\tB-PER\n\nb\tI-PER\n'), F, 3, 'at the start of the sentence');
  // IOB1: B-X only right after an X entity
  throwsCorpusError(() => parse('a\tO\nb\tB-PER\n', { scheme: 'IOB1' }), F, 2, 'B-PER only separates');
  throwsCorpusError(() => parse('a\tI-ORG\nb\tB-PER\n', { scheme: 'IOB1' }), F, 2, 'after "I-ORG"');
  // BIOES: unclosed, I/E without an open entity, entity cut by O
  throwsCorpusError(() => parse('a\tS-X\nb\tB-X\nc\tI-X\n', { scheme: 'BIOES' }), F, 3, 'ends inside a X entity');
  throwsCorpusError(() => parse('a\tO\nb\tE-X\n', { scheme: 'BIOES' }), F, 2, '"E-X" after "O"');
  throwsCorpusError(() => parse('a\tB-X\nb\tO\n', { scheme: 'BIOES' }), F, 2, 'must continue with I-X or end with E-X');
  throwsCorpusError(() => parse('a\tB-X\nb\tB-X\n', { scheme: 'BIOES' }), F, 2, 'must continue');
  assert.equal(parse('a\tS-X\nb\tB-X\nc\tI-X\nd\tE-X\ne\tO\n', { scheme: 'BIOES' })[0].tags.length, 5);
});

test('invalid options are RangeErrors', () => {
  assert.throws(() => parse('a\tO\n', { tagColumn: -1 }), (e: unknown) => e instanceof RangeError && /tagColumn/.test((e as Error).message));
  assert.throws(() => parse('a\tO\n', { tokenColumn: 1.5 }), RangeError);
  assert.throws(() => parse('a\tO\n', { tokenColumn: 1, tagColumn: 1 }), RangeError);
  assert.throws(() => parse('a\tO\n', { scheme: 'IOB2' as never }), /parseTagScheme/);
  assert.throws(() => parse('a\tO\n', { separator: 'comma' as never }), RangeError);
});

test('the hand-written CoNLL-2003-style fixture file (read through readCorpusFile)', () => {
  const path = join(FIXTURES, 'conll2003-style.txt');
  const s = readCorpusFile(path, { separator: 'space', tagColumn: 3, scheme: 'IOB1' });
  assert.equal(s.map((x) => x.line), [3, 9, 15]);
  assert.equal(s.map((x) => x.tokens.length), [5, 2, 6]);
  assert.equal(s[0].tags, ['I-ORG', 'O', 'I-MISC', 'O', 'O']);
  assert.equal(convertTags(s[2].tags, 'IOB1', 'BIO'), ['B-ORG', 'I-ORG', 'B-ORG', 'I-ORG', 'I-ORG', 'O']);
  assert.equal(readCorpusFile(path, { scheme: 'IOB1' }), s); // auto: lone-TAB blank lines don't make it a TAB file
  throwsCorpusError(() => readCorpusFile(path, { tagColumn: 3 }), path, 3, '"I-ORG"'); // default BIO
  throwsCorpusError(() => readCorpusFile(path, { file: 'named.txt', scheme: 'IOB1', docstart: 'error' }), 'named.txt', 1, '-DOCSTART-');
});

test.run();
