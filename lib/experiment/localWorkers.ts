/**
 * Node helper: a grid split over `jobs` child processes of `ladtl experiment`, each running its share
 * (`--worker K/N`, balanced by grid.ts's `assignRuns`). Their output comes back line by line, and
 * their progress as messages on Node's IPC channel, both handed to the caller with the job's index.
 * Every worker gets the same picture of the runs stored before they started, so that they split the
 * *pending* runs evenly. Workers exit when the parent dies (the IPC channel closes; see
 * `exitWithParent`).
 */
import { spawn } from 'node:child_process';

/** The environment variable that carries the stored-runs snapshot to the workers. */
export const SNAPSHOT_ENV = 'LADTL_EXPERIMENT_SNAPSHOT';

/**
 * Runs `node <cli...> experiment <argv without --jobs> --worker K/N` for K < jobs, where `cli` are
 * the Node arguments that start ladtl's CLI; resolves to the first non-zero exit code, or 0.
 */
export interface WorkerOutput {
  /** A line the worker printed on `stream`. */
  line(job: number, text: string, stream: 'stdout' | 'stderr'): void;
  /** A message the worker sent (its progress events). */
  message(job: number, message: unknown): void;
}

export function runLocalWorkers(cli: readonly string[], argv: readonly string[], jobs: number, snapshot: Record<string, string>, output: WorkerOutput): Promise<number> {
  const rest = argv.filter((a, i) => a !== '--jobs' && argv[i - 1] !== '--jobs' && !a.startsWith('--jobs='));
  const env = { ...process.env, [SNAPSHOT_ENV]: JSON.stringify(snapshot) };
  return Promise.all(Array.from({ length: jobs }, (_, k) => new Promise<number>((done) => {
    const child = spawn(process.execPath, [...cli, 'experiment', ...rest, '--worker', `${k}/${jobs}`], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env });
    const relay = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) output.line(k, line, name);
      });
      stream.on('end', () => { if (buffered) output.line(k, buffered, name); });
    };
    relay(child.stdout!, 'stdout');
    relay(child.stderr!, 'stderr');
    child.on('message', (m) => output.message(k, m));
    child.on('close', (code) => done(code ?? 1));
  }))).then((codes) => codes.find((c) => c !== 0) ?? 0);
}

/** The snapshot a worker was started with (empty outside a worker). */
export function workerSnapshot(): Record<string, string> {
  return JSON.parse(process.env[SNAPSHOT_ENV] ?? '{}') as Record<string, string>;
}
