/**
 * Streaming input (lib/data/nodeLineStream.ts, nodeFiles.ts `streamCorpusFile`): the same lines and
 * sentences as reading the whole file, across chunk boundaries that cut multi-byte characters;
 * errors at the right line and absolute byte offset.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseConll } from '../../lib/data/index.ts';
import { readLines } from '../../lib/data/nodeLineStream.ts';
import { streamCorpusFile } from '../../lib/data/nodeFiles.ts';
import { throwsCorpusError } from './util.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-lines-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const CHUNK = 1 << 20;

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test('readLines: the lines of text.split, with 2-, 3- and 4-byte characters cut by every chunk boundary', () => {
  // Lines of mixed widths whose bytes do not line up with 1 MiB: boundaries fall inside characters.
  const pieces = ['é中𠀀x', 'abc', '', 'ü', '患者诉头痛 𝔘'];
  const lines: string[] = [];
  for (let i = 0, chars = 0; chars < 1.75 * CHUNK; i++) {
    lines.push(pieces[i % pieces.length].repeat(1 + (i % 7)));
    chars += lines[i].length + 1;
  }
  const text = `\uFEFF${lines.join('\n')}\n`;
  const path = file('mixed.txt', text);
  assert.ok(readFileSync(path).length > 3 * CHUNK, 'spans several chunks');
  const read = [...readLines(path, path)];
  assert.equal(read.map((l) => l.text), text.split('\n'));
  assert.equal(read.map((l) => l.line), read.map((_, i) => i + 1));
});

test('readLines: invalid UTF-8 and NUL bytes past the first chunk name their line and file offset', () => {
  const head = 'a\n'.repeat(CHUNK); // 2 MiB: two chunks of lines 1..1048576
  const bad = new Uint8Array([...Buffer.from(`${head}ok\nx`), 0xff, ...Buffer.from('y\n')]);
  throwsCorpusError(() => [...readLines(file('bad.txt', bad), 'bad.txt')], 'bad.txt', CHUNK + 2, 'invalid UTF-8', `byte offset ${2 * CHUNK + 4}`);
  const nul = new Uint8Array([...Buffer.from(`${head}ok\n`), 0, ...Buffer.from('\n')]);
  throwsCorpusError(() => [...readLines(file('nul.txt', nul), 'nul.txt')], 'nul.txt', CHUNK + 2, 'NUL byte', `byte offset ${2 * CHUNK + 3}`);
});

test('readLines: a line over the limit is refused at its line, within or across chunks', () => {
  const path = file('long.txt', `short\n${'x'.repeat(5000)}\nend\n`);
  throwsCorpusError(() => [...readLines(path, path, 4096)], path, 2, 'line longer than 4096 characters');
  assert.is([...readLines(path, path, 5000)].length, 4);
  const across = file('across.txt', `a\n${'y'.repeat(CHUNK + 10)}\n`);
  throwsCorpusError(() => [...readLines(across, across, CHUNK)], across, 2, `line longer than ${CHUNK} characters`);
});

test('streamCorpusFile: the sentences of parseConll; auto separator decided over the whole file', () => {
  // The first TAB line comes after a space-only line: parseConll reads the file as TAB-separated.
  const quirks = '\uFEFF-DOCSTART- -X- O\n\nJohn\tB-PER\nsmith\tI-PER\n\n\nin\tO\r\nParis\tB-LOC\n';
  for (const [name, text] of [['quirks.tsv', quirks], ['spaces.txt', 'a B-X\nb I-X\n\nc O\n'], ['last.tsv', 'a\tO\n\nb\tB-X']]) {
    const path = file(name, text);
    assert.equal([...streamCorpusFile(path, { file: path })], parseConll(text, { file: path }), name);
  }
  const mixed = file('mixed.tsv', 'a b\tO\n\nc\tO\n');
  throwsCorpusError(() => [...streamCorpusFile(mixed, { file: mixed })], mixed, 1, 'contains whitespace');
  throwsCorpusError(() => parseConll('a b\tO\n\nc\tO\n', { file: mixed }), mixed, 1, 'contains whitespace');
});

test('streamCorpusFile: a pipe is read once (auto separator from its first token line), not lost to a first pass', async () => {
  const text = '-DOCSTART-\n\nJohn\tB-PER\nsmith\tI-PER\n\nin\tO\n';
  const fifo = join(dir, 'pipe');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return console.log('  (skipped: no mkfifo)');
  const writer = spawn('sh', ['-c', 'printf "%s" "$1" > "$2"', 'sh', text, fifo]);
  const sentences = [...streamCorpusFile(fifo, { file: fifo })];
  await new Promise((done) => writer.on('exit', done));
  assert.equal(sentences, parseConll(text, { file: fifo }));
});

test.run();
