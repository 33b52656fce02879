/**
 * A damaged or foreign run record (issue 15, point 3): `ladtl experiment` names it and the reason,
 * moves it aside and redoes only that run; `ladtl report` names it and leaves it out; the other
 * records are untouched.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ladtl-damaged-'));
const { source, target } = writePairFolders(dir, 31, { source: 30, train: 20, dev: 10, test: 10 });
const out = join(dir, 'out');
const argv = ['experiment', '--source', source, '--target', target, '--target-fraction', '0.5', '--methods', 'target-only,mult', '--epochs', '2', '--hidden', '8', '--word-dim', '8', '--batch', '5', '--out', out];
const ladtl = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const runDir = (method: string) => join(out, 'runs', 'source-to-target', '0.5', method);

test('a truncated record is named, moved aside and redone; the others are untouched', () => {
  assert.is(ladtl(argv).status, 0);
  const damaged = join(runDir('mult'), 'seed-1.json'), intact = join(runDir('target-only'), 'seed-1.json');
  const good = readFileSync(damaged, 'utf8'), intactBefore = statSync(intact).mtimeMs;
  writeFileSync(damaged, good.slice(0, 100));

  const report = ladtl(['report', '--out', out, '--no-write']);
  assert.is(report.status, 0, report.stderr);
  assert.match(report.stderr, `${damaged}: damaged run record`);
  assert.match(report.stdout, /Target only/);

  const again = ladtl(argv);
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stderr, `${damaged}: damaged run record (`);
  assert.match(again.stderr, 'moved to');
  assert.match(again.stdout, /target-only seed 1: done before/);
  assert.equal(JSON.parse(readFileSync(damaged, 'utf8')).testF1, JSON.parse(good).testF1, 'redone, same seed, same result');
  assert.is(statSync(intact).mtimeMs, intactBefore, 'the other record is untouched');
  assert.ok(readdirSync(runDir('mult')).some((f) => f.startsWith('seed-1.json.damaged-')), 'the damaged file is kept aside');
});

test('a foreign JSON file where a record belongs is named with the missing field', () => {
  const foreign = join(runDir('target-only'), 'seed-1.json');
  writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
  const again = ladtl(argv);
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stderr, `${foreign}: damaged run record (field "pair" is missing or not a string)`);
});

test.run();
