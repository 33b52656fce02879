/**
 * Memory stays bounded whatever the input (issue 15, points 1 and 2): each case runs the `ladtl`
 * command in a child process that reports its peak resident set size on exit, and must stay under
 * 1 GiB. Before the limits, one 2,000-character token took training from 215 MB to 4.6 GB, a
 * 10,000-character token passed 16.8 GB, and one 1 MB line of 190,000 tokens took `tag` to 3.4 GB.
 *   - a 10,000-character token in a 200-sentence corpus: `train` (char CNN) and `eval` say once on
 *     stderr that the character encoder sees its first 100 characters;
 *   - a 1 MB line of 190,000 tokens: `tag` decodes it in windows and tags every token;
 *   - inputs are streamed: `eval` and `tag` on a 320 MB file peak below the file's size (reading
 *     it whole took over twice its size), and a line over the 1 MiB limit is refused at its line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { syntheticSentences, toConll } from '../helpers/syntheticCorpus.ts';

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ladtl-memory-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const GiB = 2 ** 30;
// Preloaded into the child: prints its peak RSS (bytes) on exit.
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss '+process.resourceUsage().maxRSS*1024+'\\n'))`;

function ladtl(args: string[]): { status: number | null; stdout: string; stderr: string; peak: number } {
  const r = spawnSync(process.execPath, ['--import', REPORT_RSS, bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const peak = Number(/peak-rss (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  if (process.env.LADTL_TEST_VERBOSE) console.log(`ladtl ${args[0]}: peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, peak };
}

const train = join(dir, 'train.tsv'), dev = join(dir, 'dev.tsv'), model = join(dir, 'model.ladtl');
const sentences = syntheticSentences(200, 3);
const huge = 'x'.repeat(10_000);
sentences[17] = { ...sentences[17], tokens: sentences[17].tokens.map((t, i) => (i === 1 ? huge : t)) };
writeFileSync(train, toConll(sentences));
writeFileSync(dev, toConll(syntheticSentences(30, 4)));

test('a 10,000-character token: train and eval stay under 1 GiB, the cut is said once', () => {
  const t = ladtl(['train', '--train', train, '--dev', dev, '--out', model, '--epochs', '1', '--hidden', '16', '--word-dim', '16', '--threads', '1']);
  assert.is(t.status, 0, t.stderr);
  assert.ok(t.peak < GiB, `train peaked at ${(t.peak / 2 ** 20).toFixed(0)} MiB`);
  assert.is(t.stderr.split(`${train}: 1 token is longer than 100 characters; the character encoder sees the first 100 of each`).length - 1, 1, t.stderr);
  const e = ladtl(['eval', '--model', model, '--test', train]);
  assert.is(e.status, 0, e.stderr);
  assert.ok(e.peak < GiB, `eval peaked at ${(e.peak / 2 ** 20).toFixed(0)} MiB`);
  assert.match(e.stderr, `${train}: 1 token is longer than 100 characters`);
  assert.match(e.stdout, /^processed \d+ tokens/);
});

test('a 1 MB line of 190,000 tokens: tag stays under 1 GiB and tags every token', () => {
  const words = ['the', 'patient', 'has', 'breast', 'cancer', '.'];
  const line = Array.from({ length: 190_000 }, (_, i) => words[i % words.length]).join(' ');
  assert.ok(line.length > 900_000);
  const input = join(dir, 'long.txt');
  writeFileSync(input, `${line}\n`);
  const r = ladtl(['tag', '--model', model, '--input', input]);
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.peak < GiB, `tag peaked at ${(r.peak / 2 ** 20).toFixed(0)} MiB`);
  assert.is(r.stdout.trim().split('\n').length, 190_000);
});

test('a 320 MB input is streamed: eval and tag peak below its size and find every sentence', () => {
  // Mostly lines of white space (blank, so cheap to decode), with a real sentence every 10 MB.
  const big = join(dir, 'big.tsv');
  const blank = Buffer.from(`${' '.repeat(99)}\n`.repeat(100_000)); // 10 MB of blank lines
  const fd = openSync(big, 'w');
  for (let i = 0; i < 32; i++) {
    writeSync(fd, blank);
    writeSync(fd, 'the\tO\npatient\tO\n\n');
  }
  closeSync(fd);
  const size = 32 * (blank.length + 20);
  const e = ladtl(['eval', '--model', model, '--test', big]);
  assert.is(e.status, 0, e.stderr);
  assert.ok(e.peak < size, `eval peaked at ${(e.peak / 2 ** 20).toFixed(0)} MiB on a ${(size / 2 ** 20).toFixed(0)} MiB file`);
  assert.match(e.stdout, /^processed 64 tokens with 0 phrases/);
  const t = ladtl(['tag', '--model', model, '--input', big, '--input-format', 'conll', '--format', 'json']);
  assert.is(t.status, 0, t.stderr);
  assert.ok(t.peak < size, `tag peaked at ${(t.peak / 2 ** 20).toFixed(0)} MiB`);
  const lines = t.stdout.trim().split('\n').map((l) => JSON.parse(l).line);
  assert.equal(lines, Array.from({ length: 32 }, (_, i) => (i + 1) * 100_001 + i * 2));
});

test('a sentence over 262,144 tokens is refused by tag with its line (its results would pass 1 GiB)', () => {
  const input = join(dir, 'many-tokens.txt');
  writeFileSync(input, `short line\n${'a '.repeat(300_000)}\n`);
  const r = ladtl(['tag', '--model', model, '--input', input]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, `${input}:2: sentence of 300000 tokens: over the limit of 262144 tokens per sentence`);
});

test('a sentence over 16 Mi characters (17 tokens of a million) is refused by eval at its line', () => {
  const input = join(dir, 'wide-sentence.tsv');
  const fd = openSync(input, 'w');
  writeSync(fd, 'the\tO\n\n');
  const token = Buffer.from(`${'y'.repeat(1_000_000)}\tO\n`);
  for (let i = 0; i < 17; i++) writeSync(fd, token);
  closeSync(fd);
  const r = ladtl(['eval', '--model', model, '--test', input]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, `${input}:19: sentence longer than 16777216 characters`);
});

test('a line over the 1 MiB limit is refused with its file, line and the limit', () => {
  const input = join(dir, 'overlong.txt');
  writeFileSync(input, `short line\n${'a '.repeat(600_000)}\nlast\n`);
  const r = ladtl(['tag', '--model', model, '--input', input]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, `${input}:2: line longer than 1048576 characters`);
});

test.run();
