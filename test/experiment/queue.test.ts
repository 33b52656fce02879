/**
 * A grid over a real Redis queue (issue 16): a redis-server on a free loopback port without
 * persistence, two `ladtl worker` processes and a submitter (`ladtl experiment --queue`) on a tiny
 * grid. One worker is killed with SIGKILL in the middle of a run (after the run's first checkpoint);
 * BullMQ's stalled-job check hands its job to the other worker, which resumes it from the shared
 * store. The grid completes with every run finished once, and its table equals a local `--jobs 2`
 * run's. Skipped, with a message, where `redis-server` is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));
const hasRedis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ladtl-queue-'));
const started: ChildProcess[] = [];
test.after(() => {
  for (const p of started) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** A child process whose output is collected; `waitFor` resolves when the output matches. */
function start(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; output(): string; waitFor(re: RegExp, ms?: number): Promise<void>; exited: Promise<number | null> } {
  const proc = spawn(args[0], args.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  const waitFor = (re: RegExp, ms = 60_000): Promise<void> => new Promise((done, fail) => {
    const t0 = Date.now();
    const poll = (): void => {
      if (re.test(out)) return done();
      if (Date.now() - t0 > ms || proc.exitCode !== null) return fail(new Error(`no ${re} in:\n${out}`));
      setTimeout(poll, 50);
    };
    poll();
  });
  return { proc, output: () => out, waitFor, exited };
}

/** The table of a results folder (results.md without its timing lines). */
const table = (out: string): string => readFileSync(join(out, 'results.md'), 'utf8').split('\n').filter((l) => l.startsWith('|')).join('\n');

test('a grid on a Redis queue: a worker killed mid-run, every run done once, the table of a local run', async () => {
  if (!hasRedis) return console.log('  (skipped: redis-server is not installed; apt-get install redis-server)');
  const port = await freePort();
  const redis = start(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.waitFor(/Ready to accept connections/);
  const url = `redis://127.0.0.1:${port}`;

  const data = join(dir, 'data');
  writePairFolders(data, 21, { source: 80, train: 60, dev: 20, test: 20 });
  const labelMap = { Disease: 'Disease', Drug: 'Drug' };
  writeFileSync(join(data, 'pairs.json'), JSON.stringify({ fewLabelFractions: [1], pairs: [{ id: 'syn', group: null, source: { corpus: 'source', labelMap }, target: { corpus: 'target', labelMap }, sharedLabels: ['Disease', 'Drug'], notes: null }] }));
  const gridOf = (methods: string, seeds: string): string[] => ['--data', data, '--pair', 'syn', '--target-fraction', '1', '--methods', methods, '--seeds', seeds, '--epochs', '12', '--eval-every', '1', '--pretrain-epochs', '3', '--hidden', '16', '--word-dim', '16', '--batch', '5', '--lr', '0.01', '--char', 'none'];
  const grid = gridOf('target-only,init,mult', '2');
  const env = { LADTL_CHECKPOINT_INTERVAL: '0' }; // a checkpoint after every epoch

  const local = spawnSync(process.execPath, [bin, 'experiment', ...grid, '--jobs', '2', '--out', join(dir, 'local')], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.is(local.status, 0, local.stderr);

  const store = join(dir, 'store');
  const worker = (): ReturnType<typeof start> => start([process.execPath, bin, 'worker', '--queue', url, '--data', data, '--store', store, '--lock-seconds', '2'], env);
  const w1 = worker(), w2 = worker();
  await Promise.all([w1.waitFor(/serving/), w2.waitFor(/serving/)]);
  const submitter = start([process.execPath, bin, 'experiment', ...grid, '--queue', url, '--out', join(dir, 'queued')], env);

  // Kill worker 1 once its first run has a checkpoint on disk.
  await w1.waitFor(/started \(job/);
  const [, method, seed] = /syn @1 (\S+) seed (\d+): started/.exec(w1.output())!;
  const checkpoint = join(store, 'runs', 'syn', '1', method, `seed-${seed}.ckpt`);
  for (let t = 0; !existsSync(checkpoint) && t < 600; t++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(checkpoint), `${checkpoint} never appeared:\n${w1.output()}`);
  w1.proc.kill('SIGKILL');

  const code = await submitter.exited;
  assert.is(code, 0, submitter.output());
  const both = w1.output() + w2.output();
  const runs = ['target-only', 'init', 'mult'].flatMap((m) => [1, 2].map((s) => `syn @1 ${m} seed ${s}`));
  for (const run of runs) {
    const finished = both.split('\n').filter((l) => l.includes(`${run}: test F1`)).length;
    assert.is(finished, 1, `${run} finished ${finished} times:\n${both}`);
  }
  assert.not.ok(w1.output().includes(`syn @1 ${method} seed ${seed}: test F1`), 'the killed worker did not finish its run');
  assert.match(w2.output(), `syn @1 ${method} seed ${seed}: resuming`);
  assert.is(table(join(dir, 'queued')), table(join(dir, 'local')));
  assert.ok(/\d\d\.\d\d/.test(table(join(dir, 'local'))), 'the grid learns something (a table of zeros would prove little)');

  // The queue's status, then clean.
  const status = spawnSync(process.execPath, [bin, 'queue', 'status', '--queue', url], { encoding: 'utf8' });
  assert.match(status.stdout, /0 waiting, 0 active, 6 completed, 0 failed/);
  const clean = spawnSync(process.execPath, [bin, 'queue', 'clean', '--queue', url], { encoding: 'utf8' });
  assert.is(clean.status, 0, clean.stderr);
  assert.match(spawnSync(process.execPath, [bin, 'queue', 'status', '--queue', url], { encoding: 'utf8' }).stdout, /0 waiting, 0 active, 0 completed/);

  // SIGTERM stops a worker cleanly.
  w2.proc.kill('SIGTERM');
  assert.is(await w2.exited, 0, w2.output());

  // A worker whose corpora differ refuses the job, naming both checksums.
  const other = join(dir, 'other');
  writePairFolders(other, 99, { source: 80, train: 60, dev: 20, test: 20 });
  writeFileSync(join(other, 'pairs.json'), readFileSync(join(data, 'pairs.json')));
  const w3 = start([process.execPath, bin, 'worker', '--queue', url, '--data', other, '--store', join(dir, 'store3')]);
  await w3.waitFor(/serving/);
  const refused = start([process.execPath, bin, 'experiment', ...gridOf('target-only', '1'), '--queue', url, '--out', join(dir, 'refused')], env);
  assert.is(await refused.exited, 1, refused.output());
  assert.match(refused.output(), /data checksum mismatch for syn @1: the job's corpora hash to [0-9a-f]{8}, this worker's/);
  w3.proc.kill('SIGTERM');
  redis.proc.kill('SIGTERM');
});

test.run();
