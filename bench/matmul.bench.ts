/**
 * float32 matrix product: ladtl's kernels (the wasm SIMD one the default backend uses, and the pure
 * TypeScript reference) against a naive triple loop and TensorFlow.js's
 * pure-JS (`cpu`) and WebAssembly (`wasm`) backends, all in the same process and on the same input.
 *
 * Fairness notes, so the ratios can be read correctly:
 * - every case is single-threaded: tfjs-cpu is plain JS, and the wasm backend runs without threads
 *   in Node (its SIMD build is used when the engine supports it; see `meta` in the results);
 * - ladtl and the naive loop write into a preallocated output, while `tf.matMul` allocates its
 *   result and `dataSync()` reads it back (a copy out of the wasm heap for tfjs-wasm). That overhead
 *   is part of what a tfjs user pays, so it is included, but it is O(mn) against O(mkn) work;
 * - each peer's result is checked against ladtl's before anything is timed.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import type Benchmark from 'benchmark';
import { matmul } from '../kernels/cpu/matmul.ts';
import { naiveMatmul } from './naive.ts';
import { matmul as wasmMatmul } from '../kernels/wasm/matmul.ts';
import {
  fmt,
  formatTable,
  timeCases,
  warmUp,
  type CaseResult,
  type GroupResult,
  type SuiteOptions,
  type SuiteResult,
  type TimedCase,
} from './harness.ts';

// Production mode only mutes tfjs's warn/info channel, which carries the "install tfjs-node"
// banner printed on first use in Node. Its errors are thrown or go to console.error regardless.
tf.enableProdMode();

interface Shape {
  m: number;
  k: number;
  n: number;
  /** Why this shape is here; shown above its table. */
  note: string;
  /** Part of the `--quick` smoke run. */
  quick: boolean;
}

/**
 * Square sizes show how the kernel scales once the operands stop fitting in L1/L2 cache.
 *
 * The other shapes are the one matmul that dominates La-DTL's forward pass: the Bi-LSTM's
 * input-to-gate projection, which multiplies every time step of every sentence in the batch
 * (batch*len rows of 200-dim inputs) by the input weights in a single call. One direction has
 * 4 gates × 100 hidden units = 400 output columns, and 200×400 is the size the issue asks us to
 * track, so the two batch configurations (15×40 = 600 and 32×50 = 1600 rows) use it. Fusing both
 * directions would make that 4 × 100 × 2 = 800 columns, so 600×200 · 200×800 is included to show
 * whether one wide call would pay off over two 400-wide ones.
 */
const SHAPES: Shape[] = [
  { m: 64, k: 64, n: 64, note: 'square', quick: true },
  { m: 128, k: 128, n: 128, note: 'square', quick: false },
  { m: 256, k: 256, n: 256, note: 'square', quick: true },
  { m: 512, k: 512, n: 512, note: 'square', quick: false },
  { m: 600, k: 200, n: 400, note: 'La-DTL Bi-LSTM input projection, batch 15 × len 40, one direction', quick: true },
  { m: 1600, k: 200, n: 400, note: 'La-DTL Bi-LSTM input projection, batch 32 × len 50, one direction', quick: false },
  { m: 600, k: 200, n: 800, note: 'La-DTL Bi-LSTM input projection, batch 15 × len 40, both directions fused', quick: false },
];

/**
 * Peers must agree with ladtl to this relative error, measured as max|x − y| / max|y|. A
 * per-element relative error would be meaningless for the entries of a random product that
 * happen to be close to zero.
 */
const TOLERANCE = 1e-3;

type TfBackend = 'cpu' | 'wasm';
const TF_BACKENDS: readonly TfBackend[] = ['cpu', 'wasm'];

async function initBackend(name: TfBackend): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialise`);
  await tf.ready();
}

/**
 * Makes `name` the active tfjs backend from synchronous code (Benchmark.js's `onStart` hook cannot
 * await). Once a backend is initialised, which `run` does for both up front, `tf.setBackend`
 * switches before returning its promise. That is an implementation detail, hence the check:
 * timing a tensor that tfjs silently moved to another backend would corrupt the table.
 */
function activate(name: TfBackend): void {
  void tf.setBackend(name);
  if (tf.getBackend() !== name) {
    throw new Error(`could not switch tfjs to the "${name}" backend synchronously (active: ${tf.getBackend()})`);
  }
}

/** Uniform values in [-1, 1) from a fixed seed (xorshift32), so every run multiplies the same data. */
function randomMatrix(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

function relativeError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (x.length !== ref.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(x[i] - ref[i]);
    // Written so that a NaN in x makes the check fail instead of being skipped by Math.max.
    if (!(d <= maxDiff)) maxDiff = d;
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxDiff / (maxRef || 1);
}

function shapeName({ m, k, n }: Shape): string {
  return `${m}×${k} · ${k}×${n}`;
}

function benchShape(shape: Shape, options: SuiteOptions): GroupResult {
  const { m, k, n } = shape;
  const a = randomMatrix(m * k, 0x9e3779b9 ^ m);
  const b = randomMatrix(k * n, 0x85ebca6b ^ n);
  const flops = 2 * m * k * n;

  const outLadtl = new Float32Array(m * n);
  const outJs = new Float32Array(m * n);
  const outNaive = new Float32Array(m * n);
  const args = { m, k, n };
  // "ladtl" is what the default `cpu` backend multiplies with (the wasm SIMD kernel where WebAssembly
  // is available); "ladtl-js" is the pure TypeScript kernel that is the reference and the fallback.
  const runLadtl = (): void => wasmMatmul(a, b, outLadtl, args);
  const runJs = (): void => matmul(a, b, outJs, args);
  const runNaive = (): void => naiveMatmul(a, b, outNaive, m, k, n);

  // Tensors live on the backend that was active when they were created, so each backend gets its
  // own pair, made once here and kept out of the timed function.
  const tensorsBefore = tf.memory().numTensors;
  const tfPeers = TF_BACKENDS.map((backend) => {
    activate(backend);
    const ta = tf.tensor2d(a, [m, k]);
    const tb = tf.tensor2d(b, [k, n]);
    const product = (): ArrayLike<number> => {
      const c = tf.matMul(ta, tb);
      // dataSync forces the backend to finish and hand the values back, so the work is done.
      const values = c.dataSync();
      c.dispose();
      return values;
    };
    return { backend, ta, tb, product };
  });

  let group: GroupResult;
  try {
    // An honest benchmark first checks that every case computes the same thing.
    runLadtl();
    runJs();
    runNaive();
    const checks: Record<string, number> = { naive: relativeError(outNaive, outLadtl), 'ladtl-js': relativeError(outJs, outLadtl) };
    for (const peer of tfPeers) {
      activate(peer.backend);
      checks[`tfjs-${peer.backend}`] = relativeError(peer.product(), outLadtl);
    }
    for (const [peer, err] of Object.entries(checks)) {
      if (!(err <= TOLERANCE)) {
        throw new Error(`matmul ${shapeName(shape)}: ${peer} differs from ladtl by ${err} (relative), over ${TOLERANCE}`);
      }
    }

    const defaults: Benchmark.Options = options.quick ? { minSamples: 5, maxTime: 0.5 } : { minSamples: 5, maxTime: 2.5 };
    // The naive loop takes about half a second per call at 512³; a handful of samples is enough to
    // show it is several times slower, and sampling it as long as the others would dominate the
    // suite's run time.
    const naiveTiming: Benchmark.Options = options.quick ? { minSamples: 3, maxTime: 0.2 } : { minSamples: 5, maxTime: 1 };

    const cases: (TimedCase & { backend?: TfBackend })[] = [
      { name: 'ladtl', fn: runLadtl },
      { name: 'ladtl-js', fn: runJs },
      { name: 'naive', fn: runNaive, options: naiveTiming },
      ...tfPeers.map(({ backend, product }) => ({
        name: `tfjs-${backend}`,
        backend,
        fn: (): void => void product(),
        options: { onStart: () => activate(backend) },
      })),
    ];
    for (const c of cases) {
      if (c.backend) activate(c.backend);
      warmUp(c.fn, options.quick ? 20 : 100);
    }
    const timed = timeCases(`matmul ${shapeName(shape)}`, cases, defaults);

    for (const t of timed) t.gflops = flops / (t.msPerOp * 1e-3) / 1e9;
    const ladtl = timed.find((t) => t.name === 'ladtl');
    if (!ladtl) throw new Error('ladtl case missing from results');
    const ratios: Record<string, number> = {};
    for (const t of timed) if (t !== ladtl) ratios[t.name] = t.msPerOp / ladtl.msPerOp;

    group = {
      name: `matmul f32 ${shapeName(shape)}`,
      params: { m, k, n, dtype: 'float32', note: shape.note },
      cases: timed,
      ratios,
      checks,
    };
  } finally {
    for (const peer of tfPeers) {
      peer.ta.dispose();
      peer.tb.dispose();
    }
  }
  // Checked only on success, so that it cannot mask the error of a failed case. A leak would mean
  // the timed function keeps tensors alive and the growing heap slows the later cases down: fail
  // rather than publish such numbers.
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`matmul ${shapeName(shape)}: ${leaked} tfjs tensors leaked`);
  printGroup(group, flops);
  return group;
}

function printGroup(group: GroupResult, flops: number): void {
  const rows = group.cases.map((c: CaseResult) => [
    c.name,
    fmt(c.msPerOp),
    `±${c.rmePercent.toFixed(1)}%`,
    fmt(c.gflops ?? NaN),
    c.name in group.ratios ? `${fmt(group.ratios[c.name])}×` : '—',
  ]);
  console.log(`\n${group.name}  (${group.params.note}; ${fmt(flops / 1e6)} MFLOP per op)`);
  console.log(formatTable(['case', 'ms/op', '±rme', 'GFLOP/s', 'ladtl speedup'], rows));
}

function printSummary(groups: GroupResult[]): void {
  const rows = groups.map((g) => {
    const ladtl = g.cases.find((c) => c.name === 'ladtl');
    const ratio = (peer: string): string => (peer in g.ratios ? `${fmt(g.ratios[peer])}×` : '—');
    return [`${g.params.m}×${g.params.k}·${g.params.k}×${g.params.n}`, fmt(ladtl?.gflops ?? NaN), ratio('ladtl-js'), ratio('naive'), ratio('tfjs-cpu'), ratio('tfjs-wasm')];
  });
  console.log('\nmatmul summary (speedup = peer time / ladtl time; >1 means ladtl is faster)');
  console.log(formatTable(['shape', 'ladtl GFLOP/s', 'vs ladtl-js', 'vs naive', 'vs tfjs-cpu', 'vs tfjs-wasm'], rows));
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  for (const backend of TF_BACKENDS) await initBackend(backend);
  const meta = {
    tfjsCore: tf.version_core,
    tfjsBackendWasm: version_wasm,
    wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    tolerance: TOLERANCE,
  };
  console.log(
    `\n== matmul (float32) ==  tfjs-core ${meta.tfjsCore}, wasm backend ${meta.tfjsBackendWasm} ` +
      `(SIMD ${meta.wasmSimd ? 'on' : 'off'}, threads ${meta.wasmThreads ? 'on' : 'off'}); ` +
      `"ladtl speedup" = case time / ladtl time, >1 means ladtl is faster`,
  );

  const groups: GroupResult[] = [];
  for (const shape of SHAPES) {
    if (options.quick && !shape.quick) continue;
    groups.push(benchShape(shape, options));
  }
  printSummary(groups);
  return { suite: 'matmul', meta, groups };
}
