/** Strict UTF-8 decoding and the Node file helpers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8, findInvalidUtf8 } from '../../lib/data/index.ts';
import { readCorpusFile, readOrderFile, readPairsFile, readTextFile } from '../../lib/data/nodeFiles.ts';
import { throwsCorpusError } from './util.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('valid UTF-8 decodes, astral characters included; a leading BOM is kept for the parser', () => {
  assert.is(decodeUtf8(utf8('a\u00e9\u4e2d\u{1F600}\n'), 'f'), 'a\u00e9\u4e2d\u{1F600}\n');
  assert.is(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x61), 'f'), '\uFEFFa');
  assert.is(findInvalidUtf8(utf8('\uE13B\u{10FFFF}')), -1);
});

test('a NUL byte is a file:line error (binary data or UTF-16), wherever it is', () => {
  throwsCorpusError(() => decodeUtf8(utf8('a\tO\n\nb\u0000c\tO\n'), 'x.tsv'), 'x.tsv', 3, 'NUL byte', 'byte offset 6', 'UTF-16');
  // UTF-16LE "a\n": 61 00 0a 00
  throwsCorpusError(() => decodeUtf8(bytes(0x61, 0x00, 0x0a, 0x00), 'u16.txt'), 'u16.txt', 1, 'NUL byte', 'byte offset 1');
});

test('invalid UTF-8 is a file:line error, not a silent U+FFFD', () => {
  const data = utf8('a\tO\nb\tO\n\nc');
  const bad = new Uint8Array([...data.slice(0, 10), 0xff, ...data.slice(10)]);
  throwsCorpusError(() => decodeUtf8(bad, 'x.tsv'), 'x.tsv', 4, 'invalid UTF-8', 'byte offset 10', 'ff');
  assert.is(findInvalidUtf8(bytes(0xc0, 0x80)), 0); // overlong
  assert.is(findInvalidUtf8(bytes(0x61, 0xed, 0xa0, 0x80)), 1); // encoded surrogate
  assert.is(findInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80)), 0); // above U+10FFFF
  assert.is(findInvalidUtf8(bytes(0x61, 0x62, 0xe4, 0xb8)), 2); // truncated
  assert.is(findInvalidUtf8(bytes(0x80)), 0); // lone continuation byte
});

test('readCorpusFile / readOrderFile / readPairsFile read real files and name the path in errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ladtl-data-'));
  try {
    const corpus = join(dir, 'c.tsv');
    writeFileSync(corpus, '\uFEFFa\tB-X\r\nb\tI-X\r\n\r\nc\tO');
    assert.equal(readCorpusFile(corpus), [{ tokens: ['a', 'b'], tags: ['B-X', 'I-X'], line: 1 }, { tokens: ['c'], tags: ['O'], line: 4 }]);
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'a\tO\nb\tI-X\n');
    throwsCorpusError(() => readCorpusFile(bad), bad, 2, '"I-X"');
    writeFileSync(bad, Uint8Array.from([0x61, 0x09, 0x4f, 0x0a, 0xc3, 0x09, 0x4f]));
    throwsCorpusError(() => readTextFile(bad), bad, 2, 'invalid UTF-8');
    const order = join(dir, 'train.order.txt');
    writeFileSync(order, '1\n0\n');
    assert.equal(readOrderFile(order, 2), [1, 0]);
    throwsCorpusError(() => readOrderFile(order, 3), order, null, 'missing 2');
    const pairs = join(dir, 'pairs.json');
    writeFileSync(pairs, '{"fewLabelFractions": [0.1], "pairs": [{"id": "p"}]}');
    throwsCorpusError(() => readPairsFile(pairs), pairs, null, 'pair "p": sharedLabels');
    assert.throws(() => readCorpusFile(join(dir, 'missing.tsv')), /missing\.tsv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
