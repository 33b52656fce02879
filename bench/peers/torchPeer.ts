/**
 * PyTorch as a peer of the `peers` suite: the tagger of ./torch_tagger.py in a long-lived Python
 * process, driven synchronously from this one so that it can take part in alternating rounds
 * (`timeRounds` calls synchronous functions).
 *
 * Hand-over: ladtl's initial parameter values (by ladtl's names) and the benchmark's batches are
 * written to a temporary directory as raw little-endian float32 / int32 files with a JSON manifest;
 * the Python process reads them, so it starts from exactly ladtl's weights on exactly the same batches.
 *
 * Channel: the process's stdin and stdout are two named pipes (FIFOs) in that directory, which this
 * process opens with blocking file descriptors, so a request is a `writeSync` and its reply a
 * blocking `readSync`: nothing spins while the other side computes, and no event loop is needed
 * between the two. (Node's own child-process pipes are non-blocking and answer only through the
 * event loop.) If the Python process dies, its end of the reply pipe closes and the read returns
 * end-of-file, which is reported with the tail of its stderr.
 *
 * Environment of the Python process: one thread (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS,
 * MKL_NUM_THREADS = 1, and torch.set_num_threads(1) in the script); OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE, which this machine's environment may set, are removed so that OpenBLAS picks its
 * kernels for the CPU it detects. The core it picked is in the `ready` line (meta).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaggerBatch } from '../../lib/nn/index.ts';
import type { CrfConstraints } from '../../lib/ops/index.ts';
import type { PaperSetup, TaggerImpl } from './impls.ts';
import { LEARNING_RATE } from './impls.ts';
import { LABELS, PAPER_SIZES, paperTaggerConfig } from './syntheticBatch.ts';

/** Debian's interpreter, where `python3-torch` is installed (not a pyenv shim on PATH). */
export const PYTHON = process.env.LADTL_BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_tagger.py', import.meta.url));

/** What the Python process says about itself when it is ready. */
export interface TorchInfo {
  torch: string;
  python: string;
  threads: number;
  interopThreads: number;
  env: Record<string, string | null>;
  blas: { libraries: string[]; library: string; openblasCore?: string; openblasConfig?: string; openblasThreads?: number };
  /** A 15×100·100×400 addmm in µs (reference BLAS ≈ 400, OpenBLAS ≈ 10–30 on this kind of machine). */
  addmm15x100x400us: number;
  trainableParameters: number;
  setupRssMiB: number;
  /** What each LSTM layout runs (see TORCH_LAYOUTS). */
  layouts: Record<string, string>;
}

/** Whether `import torch` works with `PYTHON`; the reason when it does not. */
export function torchAvailability(): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000, env: childEnv() });
  if (r.status === 0) return { ok: true };
  const why = (r.stderr ?? '').trim().split('\n').pop() || r.error?.message || `exit status ${r.status}`;
  return { ok: false, reason: `${PYTHON} cannot import torch (${why}); install it with: apt-get install -y python3-torch libopenblas0` };
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Writes the manifest, the weights and the batches for torch_tagger.py into `dir`. */
function writeHandOver(dir: string, initial: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, batches: TaggerBatch[], constraints: CrfConstraints | undefined): void {
  const raw = (name: string, a: Float32Array | Int32Array): string => {
    writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return name;
  };
  const params: Record<string, { file: string; shape: readonly number[] }> = {};
  let i = 0;
  for (const [name, v] of initial) {
    const shape = shapes.get(name);
    if (!shape) throw new Error(`torch peer: no shape for parameter '${name}'`);
    params[name] = { file: raw(`p${i++}.f32`, v), shape };
  }
  const c = paperTaggerConfig('none');
  const manifest = {
    sizes: { vocab: PAPER_SIZES.vocab, wordDim: c.encoder.wordDim, hidden: c.encoder.hidden, numTags: LABELS.length, dropout: c.encoder.dropout, learningRate: LEARNING_RATE },
    params,
    constraints: constraints && { transitions: [...constraints.transitions], start: [...constraints.start], end: [...constraints.end] },
    batches: batches.map((b, k) => ({
      B: b.size, T: b.maxLen,
      wordIds: raw(`b${k}.words.i32`, b.wordIds), tagIds: raw(`b${k}.tags.i32`, b.tagIds), lengths: raw(`b${k}.lengths.i32`, b.lengths),
    })),
    seed: 1,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
}

/** Calls of one kind: the Python process's own time for them and the time this side waited. */
export interface SelfTimed {
  calls: number;
  /** Sum of the times Python measured around the work, in seconds. */
  seconds: number;
  /** Sum of request-to-reply times seen here, in milliseconds. */
  wallMs: number;
}

const noCalls = (): SelfTimed => ({ calls: 0, seconds: 0, wallMs: 0 });

function tally(t: SelfTimed, calls: number, seconds: number, wallMs: number): void {
  t.calls += calls;
  t.seconds += seconds;
  t.wallMs += wallMs;
}

/** The Python tagger process and its synchronous channel. */
export class TorchPeer {
  readonly info: TorchInfo;
  private readonly dir: string;
  private readonly child: ChildProcess;
  private readonly req: number;
  private readonly res: number;
  private pending = '';
  private closed = false;
  /** Seconds the Python process itself measured for each timed call, to bound the channel's overhead. */
  readonly selfTimed: Record<'train' | 'decode', SelfTimed> = { train: noCalls(), decode: noCalls() };

  constructor(setup: PaperSetup) {
    this.dir = mkdtempSync(join(os.tmpdir(), 'ladtl-torch-peer-'));
    const shapes = new Map<string, readonly number[]>();
    for (const [name, p] of setup.tagger.namedParameters()) shapes.set(name, p.shape);
    writeHandOver(this.dir, setup.initial, shapes, setup.batches, setup.constraints);
    const reqPath = join(this.dir, 'req.fifo'), resPath = join(this.dir, 'res.fifo');
    const mk = spawnSync('mkfifo', [reqPath, resPath], { encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`torch peer: mkfifo failed: ${mk.stderr || mk.error?.message}`);
    // The shell opens the FIFOs (stdin first, then stdout) before exec'ing Python, so both opens
    // below complete even if Python then fails to start (we would read end-of-file).
    this.child = spawn('/bin/sh', ['-c', 'exec "$0" "$@" < "$REQ_FIFO" > "$RES_FIFO" 2> "$ERR_LOG"', PYTHON, SCRIPT, this.dir], {
      stdio: 'ignore',
      env: { ...childEnv(), REQ_FIFO: reqPath, RES_FIFO: resPath, ERR_LOG: join(this.dir, 'stderr.log') },
    });
    this.child.unref();
    this.req = openSync(reqPath, 'w');
    this.res = openSync(resPath, 'r');
    const ready = this.readLine();
    if (!ready.startsWith('ready ')) this.fail(`unexpected first line: ${ready.slice(0, 200)}`);
    this.info = JSON.parse(ready.slice('ready '.length)) as TorchInfo;
  }

  private stderrTail(): string {
    try {
      return readFileSync(join(this.dir, 'stderr.log'), 'utf8').slice(-3000);
    } catch {
      return '';
    }
  }

  private fail(what: string): never {
    throw new Error(`torch peer: ${what}\n${this.stderrTail()}`);
  }

  private readLine(): string {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const nl = this.pending.indexOf('\n');
      if (nl >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        return line;
      }
      const n = readSync(this.res, buf, 0, buf.length, null);
      if (n === 0) this.fail('the Python process closed its output (it exited)');
      this.pending += buf.toString('utf8', 0, n);
    }
  }

  /** Sends one request and returns the reply's fields after `ok`. */
  request(line: string): string {
    if (this.closed) throw new Error('torch peer: already closed');
    writeSync(this.req, line + '\n');
    const reply = this.readLine();
    if (!reply.startsWith('ok')) this.fail(`'${line}' answered: ${reply.slice(0, 500)}`);
    return reply.slice(2).trim();
  }

  resetSelfTimed(): void {
    this.selfTimed.train = noCalls();
    this.selfTimed.decode = noCalls();
  }

  train(steps: number, batchIndex: number): { seconds: number; loss: number } {
    const start = performance.now();
    const [s, l] = this.request(`train ${steps} ${batchIndex}`).split(' ').map(Number);
    tally(this.selfTimed.train, steps, s, performance.now() - start);
    return { seconds: s, loss: l };
  }

  decodeTimed(steps: number, batchIndex: number): number {
    const start = performance.now();
    const s = Number(this.request(`decode ${steps} ${batchIndex}`));
    tally(this.selfTimed.decode, steps, s, performance.now() - start);
    return s;
  }

  loss(batchIndex: number): number {
    return Number(this.request(`loss ${batchIndex}`));
  }

  paths(batchIndex: number): Int32Array {
    return Int32Array.from(this.request(`paths ${batchIndex}`).split(' '), Number);
  }

  /** Makes `layout` the model the other requests run (see torch_tagger.py). */
  use(layout: TorchLayout): void {
    this.request(`use ${layout}`);
  }

  /** Round trip of an empty request, µs (median of `n`): what the channel adds to each timed call. */
  pingUs(n = 200): number {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      this.request('ping');
      t.push((performance.now() - start) * 1e3);
    }
    t.sort((a, b) => a - b);
    return t[Math.floor(n / 2)];
  }

  stats(): { maxRssMiB: number; rssMiB: number } {
    return JSON.parse(this.request('stats')) as { maxRssMiB: number; rssMiB: number };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      writeSync(this.req, 'quit\n');
    } catch {
      // the process is gone already
    }
    closeSync(this.req);
    closeSync(this.res);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Operations per timed request (see `torchImpl`). */
export const TORCH_OPS_PER_REQUEST = { train: 2, decode: 8 } as const;

/** The two ways torch_tagger.py runs the Bi-LSTM (same function; see its file comment). */
export const TORCH_LAYOUTS = ['packed', 'reversed'] as const;
export type TorchLayout = (typeof TORCH_LAYOUTS)[number];

/**
 * The PyTorch tagger in `layout` as a `TaggerImpl` (`activate` makes that layout's model current in
 * the Python process). Calls name batches by their index in `setup.batches`, so the timed functions
 * cycle through the same batches in the same order as the in-process contenders.
 */
export function torchImpl(peer: TorchPeer, setup: PaperSetup, layout: TorchLayout): TaggerImpl {
  const index = new Map(setup.batches.map((b, i) => [b, i]));
  const at = (b: TaggerBatch): number => {
    const i = index.get(b);
    if (i === undefined) throw new Error('torch peer: a batch that was not handed over');
    return i;
  };
  return {
    name: 'torch',
    activate: () => peer.use(layout),
    evalLoss: (b) => peer.loss(at(b)),
    trainStep: (b) => peer.train(1, at(b)).loss,
    // Timed decodes need no paths back (ladtl's and TF.js's decode return theirs in-process); the
    // agreement check asks for them with `paths`.
    decode: (b) => peer.paths(at(b)),
    // Timed calls: 2 training steps or 8 decodes (one pass over the batches) per request, which
    // brings what the channel adds (0.2–1.5 ms per request on a 2-core VM, see the suite's output)
    // to a few per cent or less of a step or a decode.
    timed: {
      ops: TORCH_OPS_PER_REQUEST,
      run: (op, b, n) => void (op === 'train' ? peer.train(n, at(b)) : peer.decodeTimed(n, at(b))),
    },
  };
}
