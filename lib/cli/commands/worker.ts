/**
 * `ladtl worker --queue URL`: trains the runs of grids submitted with `ladtl experiment --queue URL`,
 * on any machine that has the corpora (docs/distributed.md).
 *
 * Each job runs in a child process (the training loop is synchronous: in this process it would
 * stop BullMQ from renewing the job's lock), through the same run-execution path as a local
 * `experiment` (`runOrReuse`): the run's record and checkpoint live under `--store`, so a run
 * resumes from its last checkpoint wherever that folder is reachable (the same machine, or a shared
 * disk for every worker), and starts over otherwise. The child checks the job against its own data
 * first: a corpus that differs from the submitter's (data checksum) or settings that give another
 * configuration are refused, naming both hashes.
 *
 * SIGTERM (or SIGINT) stops gracefully: running children are stopped and their jobs go back to the
 * queue for any worker to take (resuming from the checkpoint). A worker killed outright is found
 * by BullMQ's stalled-job check once its lock expires (`--lock-seconds`), and its job is handed to
 * another worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { parseMethods } from '../../transfer/index.ts';
import { prepareColumn, pairDataHash, runFile, type RunRecord } from '../../experiment/index.ts';
import { loadPairs, defaultDataDir } from '../../experiment/pairFiles.ts';
import { runOrReuse, runLabel, type RunProgress } from '../../experiment/runOrReuse.ts';
import { loadBullmq } from '../../experiment/queue/bullmqLoader.ts';
import { redisUrlForDisplay } from '../../experiment/queue/redisUrl.ts';
import { queueConnection } from '../queueOption.ts';
import { checkRunJob, RUN_QUEUE, type RunJobData } from '../../experiment/queue/runJob.ts';
import { isUsageError, type OptionSpec, type ParsedOptions } from '../args.ts';
import { defineCommand } from '../command.ts';
import { cliNodeArguments } from '../entry.ts';
import { resultLine } from '../gridProgress.ts';
import { settingsFromArguments } from './experiment.ts';

const SPECS: Record<string, OptionSpec> = {
  queue: { type: 'string', required: true, value: 'URL', help: 'the Redis queue (redis://HOST:PORT[/DB], rediss:// for TLS; user and password in the URL)' },
  concurrency: { type: 'string', value: 'N', help: 'runs at once (one process each; one per core pays)', default: '1' },
  data: { type: 'string', value: 'DIR', help: 'folder of the corpora (default: $LADTL_DATA or ../shared/data)' },
  pairs: { type: 'string', value: 'FILE', help: 'pairs file (default: DATA/pairs.json)' },
  store: { type: 'string', value: 'DIR', help: 'where runs keep their checkpoints and records (shared by all workers: runs resume on any of them)', default: 'runs/worker' },
  'lock-seconds': { type: 'string', value: 'S', help: 'a job whose worker is silent this long is given to another worker', default: '30' },
  'run-job': { type: 'boolean', help: '(internal) run the one job sent by the parent worker' },
};

/** Messages from a job's child process. */
type ChildMessage = { kind: 'progress'; progress: RunProgress } | { kind: 'record'; record: RunRecord } | { kind: 'error'; message: string };

/** Seconds between a job's progress updates on the queue. */
const PROGRESS_EVERY_MS = 2000;

export const workerCommand = defineCommand('worker', SPECS, async (o) => {
  const dataDir = resolve(o.optionalString('data') ?? defaultDataDir());
  const pairsPath = resolve(o.optionalString('pairs') ?? join(dataDir, 'pairs.json'));
  const store = resolve(o.string('store'));
  if (o.boolean('run-job')) return runJobInChild(pairsPath, store);
  return serve(o, dataDir, pairsPath, store);
});

async function serve(o: ParsedOptions, dataDir: string, pairsPath: string, store: string): Promise<number> {
  const url = o.string('queue');
  const connection = queueConnection('worker', url);
  const concurrency = o.integer('concurrency', 1);
  const lockMs = 1000 * o.number('lock-seconds', (v) => v >= 1, 'at least 1');
  const { Worker, WaitingError } = await loadBullmq();
  const me = `${hostname()}:${process.pid}`;
  let stopping = false;
  const children = new Set<ChildProcess>();
  const worker = new Worker(RUN_QUEUE, async (job, token) => {
    const data = checkRunJob(job.data);
    console.log(`${me}: ${job.name}: started (job ${job.id}, attempt ${job.attemptsMade + 1})`);
    // Back to the queue for any worker; the run resumes from its last checkpoint where --store is shared.
    const giveBack = async (): Promise<never> => {
      await job.moveToWait(token);
      throw new WaitingError();
    };
    if (stopping) return giveBack();
    // The child never connects to Redis: it gets the URL masked. Its own process group keeps a
    // Ctrl-C in the terminal for this process, which gives the job back to the queue.
    const child = spawn(process.execPath, [...cliNodeArguments(), 'worker', '--run-job', '--queue', redisUrlForDisplay(url), '--data', dataDir, '--pairs', pairsPath, '--store', store], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    children.add(child);
    let spawnError: Error | null = null;
    child.on('error', (e) => { spawnError = e; });
    let record: RunRecord | null = null, failure: string | null = null, lastProgress = 0;
    child.on('message', (m: ChildMessage) => {
      if (m.kind === 'record') record = m.record;
      else if (m.kind === 'error') failure = m.message;
      else if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        job.updateProgress(m.progress).catch(() => {});
      }
    });
    child.send(data, (e) => { if (e) spawnError ??= e; });
    const exit = await new Promise<string>((done) => {
      child.on('exit', (code, signal) => done(signal ?? `exit code ${code}`));
      child.on('error', (e) => { if (child.pid === undefined) done(`not started: ${e.message}`); });
    });
    children.delete(child);
    if (record) {
      console.log(`${me}: ${resultLine(job.name, record)}`);
      return record;
    }
    if (stopping) return giveBack();
    throw new Error(`${me}: ${failure ?? `the run's process ended (${exit}) without a result${spawnError ? ` (${(spawnError as Error).message})` : ''}`}`);
  }, { connection, concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 3, autorun: false });
  worker.on('error', (e) => console.error(`${me}: queue: ${e.message}`));
  worker.on('failed', (job, e) => { if (job && !stopping) console.error(`${me}: ${job.name}: failed: ${e.message}`); });
  const stop = (signal: string): void => {
    if (stopping) {
      // A second signal: do not wait for the queue any longer.
      process.exit(1);
    }
    stopping = true;
    // Giving jobs back needs Redis: when it cannot be reached, stop anyway (their locks expire and
    // a live worker's stalled-job check hands them on).
    setTimeout(() => {
      console.error(`${me}: the queue did not answer within 15 s; exiting (running jobs are handed on once their locks expire)`);
      process.exit(1);
    }, 15_000).unref();
    console.error(`${me}: ${signal}: stopping; ${children.size} running run${children.size === 1 ? '' : 's'} go${children.size === 1 ? 'es' : ''} back to the queue`);
    for (const child of children) child.kill('SIGTERM');
    worker.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  console.log(`${me}: serving ${redisUrlForDisplay(url)} (${concurrency} at once); corpora ${pairsPath}; store ${store}`);
  await worker.run();
  return 0;
}

/** Child mode: receive one job from the parent worker, run it, send its record (or the reason it cannot run). */
function runJobInChild(pairsPath: string, store: string): Promise<number> {
  // Stop with the parent: its job is back on the queue by then (or will be, once its lock expires).
  // Training is synchronous, so 'disconnect' is only seen between runs: every step also checks that
  // the parent is still this process's parent (an orphan is adopted by another process).
  process.on('disconnect', () => process.exit(1));
  const parent = process.ppid;
  const checkParent = (): void => {
    if (process.ppid === parent) return;
    console.error('the worker that started this run is gone: stopping (the run resumes from its last checkpoint)');
    process.exit(1);
  };
  return new Promise((done) => {
    process.once('message', (raw: unknown) => {
      const send = (m: ChildMessage): Promise<void> => new Promise((sent) => process.send!(m, () => sent()));
      let outcome: ChildMessage;
      try {
        const record = runJob(checkRunJob(raw), pairsPath, store, (progress) => {
          checkParent();
          process.send!({ kind: 'progress', progress } satisfies ChildMessage);
        });
        outcome = { kind: 'record', record };
      } catch (e) {
        outcome = { kind: 'error', message: isUsageError(e) ? `the job's options are not valid here: ${(e as Error).message}` : (e as Error).message };
      }
      // Exit once the result is sent: the IPC channel would keep this process alive.
      send(outcome).then(() => process.exit(outcome.kind === 'record' ? 0 : 1), () => done(1));
    });
  });
}

/** Loads the job's pair from this machine's corpora, checks it against the job, and runs it. */
function runJob(data: RunJobData, pairsPath: string, store: string, onProgress: (p: RunProgress) => void): RunRecord {
  const settings = settingsFromArguments(data.options);
  const [pair] = loadPairs(pairsPath, [data.pair]);
  const dataHash = pairDataHash(pair, data.fraction);
  if (dataHash !== data.dataHash) {
    throw new Error(`data checksum mismatch for ${data.pair} @${data.fraction}: the job's corpora hash to ${data.dataHash}, this worker's (${pairsPath}) to ${dataHash}; give --data the submitter's corpora`);
  }
  const column = prepareColumn(pair, data.fraction, settings);
  if (column.configHash !== data.configHash) {
    throw new Error(`configuration mismatch for ${data.pair} @${data.fraction}: the job's is ${data.configHash}, this worker computes ${column.configHash} from the same data (another ladtl version?)`);
  }
  const [method] = parseMethods(data.method);
  const run = { pair: data.pair, fraction: data.fraction, method, seed: data.seed, file: runFile(store, data.pair, data.fraction, method.name, data.seed), weight: 1 };
  const { record, before } = runOrReuse(column, run, settings, { say: (line) => console.log(line), warn: (line) => console.error(line), onProgress });
  if (before) console.log(`${runLabel(run)}: stored before in ${store}`);
  return record;
}
