/**
 * Divergence detection (issue 15, point 8): a loss that explodes (lr 1e6 on zh course: ~130 → ~1.9e8 at step 2)
 * stops the run at once naming the step and the term that grew most; a healthy run's late bumps
 * near zero (50× their minimum but far below the starting loss) never trip it; and `ladtl train
 * --lr 1e6` exits 1 with that message instead of reporting success.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DivergenceMonitor, DivergenceError } from '../../lib/train/index.ts';
import { main } from '../../lib/cli/main.ts';
import { syntheticSentences, toConll } from '../helpers/syntheticCorpus.ts';

test('an exploding loss trips at the step it explodes', () => {
  const m = new DivergenceMonitor();
  m.observe(1, 130);
  assert.throws(() => m.observe(2, 3e8), (e: Error) => e instanceof DivergenceError && e.step === 2 && /smoothed loss reached .* more than 100 times its minimum 130/.test(e.message));
});

test('a healthy run that falls to near zero and bumps by 50x its minimum does not trip', () => {
  const m = new DivergenceMonitor();
  let step = 0;
  for (let i = 0; i < 500; i++) m.observe(++step, 130 * Math.exp(-i / 30) + 0.001);
  for (let i = 0; i < 50; i++) m.observe(++step, i % 7 === 0 ? 0.5 : 0.001); // spikes of 500x one step, 50x smoothed
  for (let i = 0; i < 100; i++) m.observe(++step, 0.05);
});

test('the term that grew the most is blamed', () => {
  const m = new DivergenceMonitor();
  m.observe(1, 10, { crfSource: 5, crfTarget: 4, mmd: 1 });
  assert.throws(() => {
    for (let s = 2; s < 50; s++) m.observe(s, 10 + 1e5 * s, { crfSource: 5, crfTarget: 4, mmd: 1 + 1e5 * s });
  }, /smoothed term mmd reached/);
});

test('ladtl train --lr 1e6 stops with the step instead of reporting success', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ladtl-diverge-'));
  try {
    const train = join(dir, 'train.tsv'), dev = join(dir, 'dev.tsv');
    writeFileSync(train, toConll(syntheticSentences(60, 1)));
    writeFileSync(dev, toConll(syntheticSentences(20, 2)));
    let err = '';
    const error = console.error, log = console.log, write = process.stderr.write.bind(process.stderr);
    console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
    console.log = () => {};
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['train', '--train', train, '--dev', dev, '--out', join(dir, 'm.ladtl'), '--epochs', '3', '--lr', '1000000', '--hidden', '8', '--word-dim', '8', '--batch', '4']);
    } finally {
      console.error = error; console.log = log; process.stderr.write = write;
    }
    assert.is(code, 1);
    assert.match(err, /error: training diverged at step \d+: the smoothed (loss|term \w+) reached/);
    assert.match(err, /(no model was saved to|keeps the best epoch before it)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
