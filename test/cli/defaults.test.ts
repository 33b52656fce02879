/**
 * Defaults that learn (issue 14): `ladtl train` with no model options at all, on real corpora of
 * the shared data (skipped with a message where they are absent), learns: zh-ccks2017/course
 * (character-level, so no char encoder) reaches dev F1 85.4 within 5 epochs (seed 1; the bar is
 * 50), and 2 epochs on the first 4,000 lines of NCBI-disease train (157 sentences) give test F1
 * 31.2 (the bar is 30; the paper's batch 15 and lr 0.002 gave 0.00). Runs are deterministic, so
 * the bars guard against defaults that stop learning, not against noise. Protocols keep the
 * paper's batch and learning rate, so the reproduction's stored runs stay valid.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main.ts';
import { dataTest, sharedPath } from '../data/util.ts';
import { TRAINING_DEFAULTS } from '../../lib/train/index.ts';
import { settingsFromArguments } from '../../lib/cli/commands/experiment.ts';
import { PAPER_OPTIMIZATION } from '../../lib/experiment/protocol.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-defaults-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function captured(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const log = console.log, error = console.error, write = process.stdout.write.bind(process.stdout), ewrite = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = () => {};
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(args), out };
  } finally {
    console.log = log; console.error = error; process.stdout.write = write; process.stderr.write = ewrite;
  }
}

test('train and experiment show the one set of defaults in --help', async () => {
  for (const command of ['train', 'experiment']) {
    const { out } = await captured([command, '--help']);
    assert.match(out, new RegExp(`--lr X +learning rate \\(default ${TRAINING_DEFAULTS.lr}\\)`), command);
    assert.match(out, new RegExp(`--batch N +sentences per batch \\(per domain\\) \\(default ${TRAINING_DEFAULTS.batch}\\)`), command);
    assert.match(out, /--char auto\|cnn\|lstm\|none .*\(default auto\)/, command);
  }
});

dataTest('ladtl train with its defaults learns zh-ccks2017/course: dev F1 > 50 within 5 epochs, no char encoder', async () => {
  const r = await captured(['train', '--train', sharedPath('zh-ccks2017/course/train.tsv'), '--dev', sharedPath('zh-ccks2017/course/dev.tsv'), '--out', join(dir, 'course.ladtl'), '--epochs', '5']);
  assert.is(r.code, 0);
  assert.match(r.out, /char encoder none/);
  const best = /best epoch \d+ \(dev F1 ([\d.]+)\)/.exec(r.out);
  assert.ok(best, r.out);
  assert.ok(Number(best[1]) > 50, `dev F1 ${best[1]}`);
});

dataTest('ladtl train with its defaults learns from 157 sentences of NCBI-disease: test F1 > 30 after 2 epochs', async () => {
  const head = readFileSync(sharedPath('biomed/ncbi-disease/train.tsv'), 'utf8').split('\n').slice(0, 4000).join('\n') + '\n';
  const train = join(dir, 'ncbi-4000.tsv');
  writeFileSync(train, head);
  const r = await captured(['train', '--train', train, '--dev', sharedPath('biomed/ncbi-disease/dev.tsv'), '--test', sharedPath('biomed/ncbi-disease/test.tsv'), '--out', join(dir, 'ncbi.ladtl'), '--epochs', '2']);
  assert.is(r.code, 0);
  const test = /\ntest [^\n]*:\n[^\n]*\n[^\n]*FB1: +([\d.]+)/.exec(r.out);
  assert.ok(test, r.out);
  assert.ok(Number(test[1]) > 30, `test F1 ${test[1]}`);
});

test('a protocol brings the paper\'s batch and learning rate; explicit options still win', () => {
  const paper = settingsFromArguments(['--protocol', 'paper']).training;
  assert.equal([paper.batchSize, paper.learningRate], [PAPER_OPTIMIZATION.batchSize, PAPER_OPTIMIZATION.learningRate]);
  assert.equal([PAPER_OPTIMIZATION.batchSize, PAPER_OPTIMIZATION.learningRate], [15, 0.002]);
  assert.equal(settingsFromArguments(['--protocol', 'paper', '--batch', '15', '--lr', '0.002']), settingsFromArguments(['--protocol', 'paper']));
  const own = settingsFromArguments(['--protocol', 'quick', '--lr', '0.05']).training;
  assert.equal([own.batchSize, own.learningRate], [15, 0.05]);
  const plain = settingsFromArguments([]).training;
  assert.equal([plain.batchSize, plain.learningRate], [TRAINING_DEFAULTS.batch, TRAINING_DEFAULTS.lr]);
});

test.run();
