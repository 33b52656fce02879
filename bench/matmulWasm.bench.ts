/**
 * float32 matmul: the JS kernel (kernels/cpu/matmul.ts) against the WebAssembly SIMD kernel
 * (kernels/wasm/matmul.ts), same inputs, same process. Standalone:
 *
 *   npx tsx bench/matmulWasm.bench.ts [--quick]
 *
 * Each case is warmed up (which also lets V8 tier the wasm function up from Liftoff to TurboFan),
 * then timed as the median over RUNS runs of a performance.now() loop that lasts at least MIN_MS,
 * alternating JS and wasm runs.
 * Both kernels write into a preallocated output; the wasm timings include packing the operands
 * into wasm memory and copying C back, since every call pays that.
 */
import { performance } from 'node:perf_hooks';
import { matmul as jsMatmul, type MatmulArgs } from '../kernels/cpu/matmul.ts';
import { describeWasmMatmul, matmul as wasmMatmul, wasmMatmulAvailable } from '../kernels/wasm/matmul.ts';

interface Shape {
  m: number;
  k: number;
  n: number;
  transB?: boolean;
  note: string;
}

const SHAPES: Shape[] = [
  { m: 64, k: 64, n: 64, note: 'square' },
  { m: 128, k: 128, n: 128, note: 'square' },
  { m: 256, k: 256, n: 256, note: 'square' },
  { m: 512, k: 512, n: 512, note: 'square' },
  { m: 600, k: 200, n: 400, note: 'Bi-LSTM input projection, batch 15×40' },
  { m: 1600, k: 200, n: 400, note: 'Bi-LSTM input projection, batch 32×50' },
  { m: 16, k: 100, n: 400, note: 'LSTM step h·Wₕ' },
  { m: 16, k: 400, n: 100, transB: true, note: 'LSTM step backward δ·Wₕᵀ' },
];

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 9;
const MIN_MS = quick ? 20 : 100;

type Kernel = (a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs) => void;

/** Milliseconds per call of one run: a loop of calls lasting at least MIN_MS. */
function run(kernel: Kernel, a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): number {
  let calls = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < MIN_MS) {
    kernel(a, b, out, args);
    calls++;
    t1 = performance.now();
  }
  return (t1 - t0) / calls;
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/**
 * Median milliseconds per call of each kernel. Runs alternate between the kernels so that both see
 * the same machine load (the ratio stays meaningful on a busy machine even when the absolute numbers
 * drift). One untimed run of each first: JIT warm-up and the wasm tier-up from Liftoff to TurboFan.
 */
function timePair(k1: Kernel, k2: Kernel, a: Float32Array, b: Float32Array, o1: Float32Array, o2: Float32Array, args: MatmulArgs): [number, number] {
  run(k1, a, b, o1, args);
  run(k2, a, b, o2, args);
  const t1: number[] = [], t2: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    t1.push(run(k1, a, b, o1, args));
    t2.push(run(k2, a, b, o2, args));
  }
  return [median(t1), median(t2)];
}

function main(): void {
  console.log(describeWasmMatmul());
  if (!wasmMatmulAvailable()) console.log('(the "wasm" column below is the JS fallback)');
  console.log(`node ${process.version}, median of ${RUNS} runs of ≥${MIN_MS} ms\n`);
  const rows: string[][] = [['shape', 'JS ms', 'JS GFLOP/s', 'wasm ms', 'wasm GFLOP/s', 'wasm/JS', 'max rel err']];
  let seed = 1;
  const rand = (len: number): Float32Array => {
    const x = new Float32Array(len);
    for (let i = 0; i < len; i++) x[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    return x;
  };
  for (const s of SHAPES) {
    const args: MatmulArgs = { m: s.m, k: s.k, n: s.n, transB: s.transB ?? false };
    const a = rand(s.m * s.k), b = rand(s.k * s.n);
    const outJs = new Float32Array(s.m * s.n), outWasm = new Float32Array(s.m * s.n);
    // Check before timing: max |wasm − js| / max |js|.
    jsMatmul(a, b, outJs, args);
    wasmMatmul(a, b, outWasm, args);
    let maxDiff = 0, maxRef = 0;
    for (let i = 0; i < outJs.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(outWasm[i] - outJs[i]));
      maxRef = Math.max(maxRef, Math.abs(outJs[i]));
    }
    const flops = 2 * s.m * s.k * s.n;
    const [tJs, tWasm] = timePair(jsMatmul, wasmMatmul, a, b, outJs, outWasm, args);
    const name = `${s.m}×${s.k}·${s.k}×${s.n}${s.transB ? ' (Bᵀ)' : ''}`;
    rows.push([
      name,
      tJs.toFixed(3),
      (flops / tJs / 1e6).toFixed(2),
      tWasm.toFixed(3),
      (flops / tWasm / 1e6).toFixed(2),
      `${(tJs / tWasm).toFixed(2)}×`,
      (maxDiff / maxRef).toExponential(1),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  console.log(`\nafter the runs: ${describeWasmMatmul()}`);
}

main();
