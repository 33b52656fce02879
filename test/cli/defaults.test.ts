/**
 * Defaults that learn (issue 14): `ladtl train` with no model options at all, on a real corpus of
 * the shared data (skipped with a message where it is absent), learns. zh-ccks2017/course is
 * character-level, so the default char encoder is none there; 5 epochs reach dev F1 78.7 on an
 * idle machine (seed 1), the bar is 50. The run is deterministic, so the bar guards against a
 * default that stops learning, not against noise.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main.ts';
import { dataTest, sharedPath } from '../data/util.ts';
import { TRAINING_DEFAULTS } from '../../lib/train/index.ts';

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

test.run();
