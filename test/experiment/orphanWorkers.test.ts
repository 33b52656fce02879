/**
 * Workers of `ladtl experiment --jobs 2` exit when their parent dies (issue 15, point 7): the parent
 * is killed with SIGKILL (no chance to clean up) in the middle of a long grid, and both workers are
 * gone within seconds, so a restart does not race them. Two things end them: the IPC channel closing
 * (experiment.ts's 'disconnect' handler) and their next write to the parent's closed pipes; with
 * either alone the test passes, so it checks the behaviour, not which of them acts first.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ladtl-orphans-'));
const { source, target } = writePairFolders(dir, 5, { source: 60, train: 30, dev: 12, test: 12 });
const out = join(dir, 'grid');

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of processes whose command line names this grid's folder and `--worker`. */
function workerPids(): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(out) && l.includes('--worker')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

test('SIGKILL of the parent: both workers exit within 15 s', async () => {
  const parent = spawn(process.execPath, [bin, 'experiment', '--source', source, '--target', target, '--target-fraction', '0.5', '--methods', 'target-only,la-dtl', '--epochs', '500', '--patience', '1000', '--hidden', '8', '--word-dim', '8', '--batch', '5', '--jobs', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  parent.stdout.on('data', (c) => { seen += c; });
  const deadline = Date.now() + 120_000;
  while (!(seen.includes('[job 1]') && seen.includes('[job 2]')) && Date.now() < deadline) await sleep(200);
  const pids = workerPids();
  assert.is(pids.length, 2, `two workers running (saw: ${seen})`);
  parent.kill('SIGKILL');
  const until = Date.now() + 15_000;
  while (pids.some(alive) && Date.now() < until) await sleep(100);
  const left = pids.filter(alive);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  assert.equal(left, [], 'workers outlived their parent');
});

test.run();
