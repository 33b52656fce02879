/**
 * The configuration hash of a grid column (lib/experiment/gridColumn.ts), which decides whether a
 * stored run is reused: stable for the same pair and settings (stored records stay valid across
 * commits that do not change what runs compute), different when a setting changes, and carrying the
 * input limits (token cut, decoding windows) only for data they change.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adHocPair } from '../../lib/experiment/pairFiles.ts';
import { prepareColumn, inputLimits } from '../../lib/experiment/gridColumn.ts';
import { settingsFromArguments } from '../../lib/cli/commands/experiment.ts';
import { MAX_TOKEN_CHARS, DECODE_WINDOW } from '../../lib/data/index.ts';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const paper = settingsFromArguments(['--protocol', 'paper']);

function column(dir: string, settings = paper) {
  return prepareColumn(adHocPair(join(dir, 'source'), join(dir, 'target')), 0.5, settings);
}

test('same pair and settings, same hash; a changed setting or sentence, another', () => {
  const a = mkdtempSync(join(tmpdir(), 'ladtl-hash-')), b = mkdtempSync(join(tmpdir(), 'ladtl-hash-'));
  writePairFolders(a, 5);
  writePairFolders(b, 5);
  const h = column(a).configHash;
  // Pinned: stored records stay valid only while these do not move (computed at 909ad81, before the
  // input limits, and unchanged by them). A change that moves them must bump TRAINER_VERSION on purpose.
  assert.is(h, '35d479a6');
  assert.is(column(a, settingsFromArguments(['--protocol', 'quick'])).configHash, '71d31f86');
  assert.is(column(a, settingsFromArguments([])).configHash, '9419fc1b');
  assert.is(column(b).configHash, h, 'a second copy of the same data');
  assert.is.not(column(a, settingsFromArguments(['--protocol', 'paper', '--mu', '0.2'])).configHash, h, 'μ');
  assert.is.not(column(a, settingsFromArguments(['--protocol', 'quick'])).configHash, h, 'protocol budget');
  appendFileSync(join(b, 'target', 'test.tsv'), '\nextra\tO\n');
  assert.is.not(column(b).configHash, h, 'one more test sentence');
});

test('input limits enter the hash only where the data reaches them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ladtl-hash-'));
  writePairFolders(dir, 9);
  const plain = column(dir);
  assert.equal(inputLimits(plain.corpus, 'cnn'), {});
  // 60 astral characters: 120 UTF-16 units but 60 code points, which is what the encoder counts: not cut.
  appendFileSync(join(dir, 'target', 'dev.tsv'), `\n${'𝔸'.repeat(60)}\tO\n`);
  assert.equal(inputLimits(column(dir).corpus, 'cnn'), {});
  // A token longer than the char encoder's cut, in the target's test set.
  appendFileSync(join(dir, 'target', 'test.tsv'), `\n${'x'.repeat(MAX_TOKEN_CHARS + 1)}\tO\n`);
  const long = column(dir);
  assert.equal(inputLimits(long.corpus, 'cnn'), { tokenChars: MAX_TOKEN_CHARS });
  assert.equal(inputLimits(long.corpus, 'none'), {}, 'no char encoder: the cut changes nothing');
  // A dev sentence longer than the decoding window.
  const lines = Array.from({ length: DECODE_WINDOW + 1 }, (_, i) => `w${i % 7}\tO`).join('\n');
  appendFileSync(join(dir, 'target', 'dev.tsv'), `\n${lines}\n`);
  assert.equal(inputLimits(column(dir).corpus, 'none'), { decodeWindow: DECODE_WINDOW });
});

test.run();
