/**
 * `ladtl experiment` killed with SIGKILL in the middle of a run (right after a checkpoint reached the
 * disk, through the LADTL_TEST_KILL_AFTER_CHECKPOINT hook) and started again resumes inside the run
 * and stores exactly the record of an uninterrupted run: same scores, selected epoch, steps and
 * per-epoch history (wall-clock times aside).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ladtl-kill-'));
const { source, target } = writePairFolders(dir, 21, { source: 60, train: 30, dev: 12, test: 12 });

const args = (out: string, method: string) => ['experiment', '--source', source, '--target', target, '--target-fraction', '0.5', '--methods', method, '--epochs', '6', '--eval-every', '1', '--pretrain-epochs', '2', '--patience', '100', '--hidden', '8', '--word-dim', '8', '--batch', '5', '--out', out];

function ladtl(argv: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', env: { ...process.env, LADTL_CHECKPOINT_INTERVAL: '0', ...env } });
}

/** A record without its wall-clock fields. */
function stable(path: string): unknown {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  delete r.seconds;
  r.history = r.history.map((h: Record<string, unknown>) => ({ ...h, seconds: 0, evalSeconds: 0 }));
  return r;
}

for (const [method, killAt] of [['la-dtl', 3], ['init', 3]] as const) {
  test(`${method}: SIGKILL after checkpoint ${killAt}, restart: the stored record equals the uninterrupted run's`, () => {
    const whole = ladtl(args(join(dir, `whole-${method}`), method));
    assert.is(whole.status, 0, whole.stderr);
    const outDir = join(dir, `killed-${method}`);
    const killed = ladtl(args(outDir, method), { LADTL_TEST_KILL_AFTER_CHECKPOINT: String(killAt) });
    assert.is(killed.signal, 'SIGKILL', `the run was not killed: ${killed.stdout}${killed.stderr}`);
    const record = join(outDir, 'runs', 'source-to-target', '0.5', method, 'seed-1.json');
    assert.not.ok(existsSync(record), 'no record before the run finished');
    assert.ok(existsSync(record.replace(/\.json$/, '.ckpt')), 'the checkpoint survived the kill');
    const resumed = ladtl(args(outDir, method));
    assert.is(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /resuming/);
    assert.not.ok(existsSync(record.replace(/\.json$/, '.ckpt')), 'the checkpoint is removed once the record is stored');
    const uninterrupted = stable(join(dir, `whole-${method}`, 'runs', 'source-to-target', '0.5', method, 'seed-1.json')) as { testByType: Record<string, { gold: number }>; history: { dev: { f1ByType: object } | null }[] };
    assert.equal(stable(record), uninterrupted);
    // The record keeps per-type scores: the test's gold chunks per type, each dev evaluation's F1 per type.
    assert.ok(Object.values(uninterrupted.testByType).some((t) => t.gold > 0), 'testByType counts the test set\'s entities');
    assert.ok(uninterrupted.history.some((h) => h.dev && Object.keys(h.dev.f1ByType).length > 0), 'dev F1 per type in the history');
  });
}

test.run();
