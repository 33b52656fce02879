/**
 * Empty or entity-less training data is refused with the file named (issue 15, point 4), by
 * `ladtl train` and by the experiment's pair preparation; an empty train file is not blamed on dev.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireEntities, requireSentences, CorpusError } from '../../lib/data/index.ts';
import { syntheticSentences, toConll } from '../helpers/syntheticCorpus.ts';

test('requireEntities / requireSentences name the file and the problem', () => {
  const none = syntheticSentences(3, 1).map((s) => ({ ...s, tags: s.tags.map(() => 'O') }));
  assert.throws(() => requireEntities([], 'a/train.tsv', 'training'), (e: unknown) => e instanceof CorpusError && e.message === 'a/train.tsv: the training set has no sentences');
  assert.throws(() => requireEntities(none, 'a/train.tsv', 'training'), (e: unknown) => e instanceof CorpusError && /^a\/train\.tsv: the training set has no entity \(all \d+ tags are O\)/.test((e as Error).message));
  assert.throws(() => requireSentences([], 'a/dev.tsv', 'dev'), /a\/dev\.tsv: the dev set has no sentences/);
  requireEntities(syntheticSentences(3, 1), 'a/train.tsv', 'training');
});

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ladtl-empty-'));
const good = join(dir, 'good.tsv'), empty = join(dir, 'empty.tsv'), allO = join(dir, 'o.tsv');
writeFileSync(good, toConll(syntheticSentences(10, 2)));
writeFileSync(empty, '');
writeFileSync(allO, toConll(syntheticSentences(10, 3).map((s) => ({ ...s, tags: s.tags.map(() => 'O') }))));
const train = (t: string, d: string) => spawnSync(process.execPath, [bin, 'train', '--train', t, '--dev', d, '--out', join(dir, 'm.ladtl'), '--epochs', '1'], { encoding: 'utf8' });

test('ladtl train refuses an empty or entity-less train file, and an empty dev file, naming each', () => {
  for (const [t, d, want] of [[empty, good, `${empty}: the training set has no sentences`], [allO, good, `${allO}: the training set has no entity`], [good, empty, `${empty}: the dev set has no sentences`], [empty, empty, `${empty}: the training set`]]) {
    const r = train(t, d);
    assert.is(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, want);
    assert.not.match(r.stderr, 'unknown label');
  }
});

test.run();
