/**
 * Node helper: a grid split over `jobs` child processes of `ladtl experiment`, each running its share
 * (`--worker K/N`, balanced by grid.ts's `assignRuns`), with their output passed through line by line
 * under a `[job K]` prefix. Every worker gets the same picture of the runs stored before they started,
 * so that they split the *pending* runs evenly.
 */
import { spawn } from 'node:child_process';

/** The environment variable that carries the stored-runs snapshot to the workers. */
export const SNAPSHOT_ENV = 'LADTL_EXPERIMENT_SNAPSHOT';

/**
 * Runs `node <cli...> experiment <argv without --jobs> --worker K/N` for K < jobs, where `cli` are
 * the Node arguments that start ladtl's CLI; resolves to the first non-zero exit code, or 0.
 */
export function runLocalWorkers(cli: readonly string[], argv: readonly string[], jobs: number, snapshot: Record<string, string>): Promise<number> {
  const rest = argv.filter((a, i) => a !== '--jobs' && argv[i - 1] !== '--jobs' && !a.startsWith('--jobs='));
  const env = { ...process.env, [SNAPSHOT_ENV]: JSON.stringify(snapshot) };
  return Promise.all(Array.from({ length: jobs }, (_, k) => new Promise<number>((done) => {
    const child = spawn(process.execPath, [...cli, 'experiment', ...rest, '--worker', `${k}/${jobs}`], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const relay = (stream: NodeJS.ReadableStream, to: NodeJS.WriteStream): void => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) to.write(`[job ${k + 1}] ${line}\n`);
      });
      stream.on('end', () => { if (buffered) to.write(`[job ${k + 1}] ${buffered}\n`); });
    };
    relay(child.stdout!, process.stdout);
    relay(child.stderr!, process.stderr);
    child.on('close', (code) => done(code ?? 1));
  }))).then((codes) => codes.find((c) => c !== 0) ?? 0);
}

/** The snapshot a worker was started with (empty outside a worker). */
export function workerSnapshot(): Record<string, string> {
  return JSON.parse(process.env[SNAPSHOT_ENV] ?? '{}') as Record<string, string>;
}
