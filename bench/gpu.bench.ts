/**
 * The GPU.js kernels (kernels/gpu) against their CPU twins (kernels/cpu, with the wasm SIMD matmul
 * of the default backend), in every GPU.js mode this process can get: `cpu` (GPU.js's JavaScript
 * mode), `webasm` (its WebAssembly mode) and `headlessgl` (Node with the optional `gl` module built
 * and a display, e.g. under `xvfb-run`; here that is Mesa's software rasteriser, not a GPU). Each
 * kernel at the sizes of a La-DTL step and at a larger size; every time is also given as a ratio
 * to the CPU twin measured in the same run (>1: the GPU.js kernel is faster). Then one whole La-DTL
 * training step per backend (`cpu`, `gpu`).
 *
 * A GPU.js mode that needs more than `SLOW_MS` for one call of a case is timed over that single
 * call instead of a Benchmark.js run (marked "1 call"), so that its JavaScript mode cannot stall
 * the suite on the large MMD.
 */
import * as cpu from '../kernels/cpu/index.ts';
import { matmul as wasmMatmul } from '../kernels/wasm/matmul.ts';
import { createGpuContext, gpuCrfForwardBackward, gpuGaussianMmd, gpuLstmCellBackward, gpuLstmCellForward, gpuMatmul, gpuViterbi, type GpuContext, type GpuMode } from '../kernels/gpu/index.ts';
import '../lib/backend/gpu.ts';
import { getBackend, setBackend } from '../lib/backend/index.ts';
import { Rng } from '../lib/tensor/index.ts';
import { fmt, formatTable, timeCases, warmUp, type CaseResult, type GroupResult, type SuiteOptions, type SuiteResult } from './harness.ts';
import { transferStepSetup } from './transfer.bench.ts';

const SLOW_MS = 1500;

function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng.uniform() * 2 - 1) * scale;
  return a;
}

/** A kernel case: the CPU twin and the GPU.js version on one context, on the same input. */
interface KernelCase {
  name: string;
  params: Record<string, number | string>;
  cpu: () => void;
  gpu: (ctx: GpuContext) => () => void;
}

function kernelCases(quick: boolean): KernelCase[] {
  const rng = new Rng(11);
  const cases: KernelCase[] = [];
  const mm = (m: number, k: number, n: number): void => {
    const a = randomArray(rng, m * k), b = randomArray(rng, k * n), out = new Float32Array(m * n);
    cases.push({ name: `matmul ${m}×${k}·${k}×${n}`, params: { m, k, n }, cpu: () => wasmMatmul(a, b, out, { m, k, n }), gpu: (ctx) => () => gpuMatmul(ctx, a, b, out, { m, k, n }) });
  };
  mm(30, 100, 400); // one recurrent step of a La-DTL step (15 + 15 rows)
  mm(1200, 100, 400); // the input projection of both batches
  if (!quick) mm(512, 512, 512);
  const cells = (rows: number, H: number): void => {
    const pre = randomArray(rng, rows * 4 * H, 3), cPrev = randomArray(rng, rows * H), dh = randomArray(rng, rows * H), dcNext = randomArray(rng, rows * H);
    const gates = new Float32Array(rows * 4 * H), c = new Float32Array(rows * H), h = new Float32Array(rows * H), dPre = new Float32Array(rows * 4 * H), dc = new Float32Array(rows * H);
    cases.push({
      name: `LSTM cell fwd+bwd ${rows}×${H}`, params: { rows, H },
      cpu: () => { cpu.lstmCellForward(pre, cPrev, H, rows, gates, c, h); cpu.lstmCellBackward(gates, c, cPrev, dh, dcNext, H, rows, dPre, dc); },
      gpu: (ctx) => () => { gpuLstmCellForward(ctx, pre, cPrev, H, rows, gates, c, h); gpuLstmCellBackward(ctx, gates, c, cPrev, dh, dcNext, H, rows, dPre, dc); },
    });
  };
  cells(30, 100);
  if (!quick) cells(256, 256);
  const crf = (B: number, T: number, K: number): void => {
    const E = randomArray(rng, B * T * K, 3), A = randomArray(rng, K * K), s = randomArray(rng, K), e = randomArray(rng, K);
    const d = { B, T, K, lengths: Int32Array.from({ length: B }, (_, b) => T - (b % 5)) };
    cases.push({ name: `CRF fwd-bwd ${B}×${T}×${K}`, params: { B, T, K }, cpu: () => cpu.crfForwardBackward(E, A, s, e, d), gpu: (ctx) => () => gpuCrfForwardBackward(ctx, E, A, s, e, d) });
    cases.push({ name: `Viterbi ${B}×${T}×${K}`, params: { B, T, K }, cpu: () => cpu.viterbi(E, A, s, e, d), gpu: (ctx) => () => gpuViterbi(ctx, E, A, s, e, d) });
  };
  crf(15, 40, 7);
  if (!quick) crf(64, 60, 11);
  const mmd = (n: number, d: number): void => {
    const P = randomArray(rng, n * d, 0.3), Q = randomArray(rng, n * d, 0.3);
    const bw = cpu.DEFAULT_MMD_BANDWIDTHS;
    cases.push({ name: `MMD+grad ${n}+${n}×${d}`, params: { n, m: n, d }, cpu: () => cpu.gaussianMmd(P, n, Q, n, d, bw, false, true), gpu: (ctx) => () => gpuGaussianMmd(ctx, P, n, Q, n, d, bw, false, true) });
  };
  mmd(64, 200);
  mmd(256, 200); // the O label at the La-MMD cap
  return cases;
}

/** Times `fn`: Benchmark.js when one call is fast enough, else that one call. */
function timeOne(label: string, fn: () => void, quick: boolean): CaseResult {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first > SLOW_MS) {
    const t1 = performance.now();
    fn();
    return { name: `${label} (1 call)`, msPerOp: performance.now() - t1, rmePercent: NaN, samples: 1 };
  }
  warmUp(fn, quick ? 100 : 300);
  return timeCases(label, [{ name: label, fn }], { minSamples: 5, maxTime: quick ? 0.5 : 2 })[0];
}

function contexts(): { contexts: GpuContext[]; unavailable: string[] } {
  const out: GpuContext[] = [], unavailable: string[] = [];
  for (const mode of ['cpu', 'webasm', 'headlessgl'] as GpuMode[]) {
    try {
      const ctx = createGpuContext(mode);
      if (ctx.mode !== mode) unavailable.push(`${mode} (GPU.js gave ${ctx.mode})`);
      else out.push(ctx);
    } catch (e) {
      unavailable.push(`${mode} (${e instanceof Error ? e.message.split(';')[0] : String(e)})`);
    }
  }
  return { contexts: out, unavailable };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const { contexts: ctxs, unavailable } = contexts();
  console.log(`\n== gpu: GPU.js kernels vs their CPU twins; modes: ${ctxs.map((c) => c.mode).join(', ')}${unavailable.length ? `; not available: ${unavailable.join('; ')}` : ''} ==`);
  const groups: GroupResult[] = [];
  const rows: string[][] = [];
  for (const kc of kernelCases(options.quick)) {
    const twin = timeOne('cpu twin', kc.cpu, options.quick);
    const cases: CaseResult[] = [twin];
    const ratios: Record<string, number> = {};
    for (const ctx of ctxs) {
      const r = timeOne(`gpu.js ${ctx.mode}`, kc.gpu(ctx), options.quick);
      cases.push(r);
      ratios[`${ctx.mode}VsCpuTwin`] = twin.msPerOp / r.msPerOp;
    }
    groups.push({ name: kc.name, params: kc.params, cases, ratios });
    rows.push([kc.name, fmt(twin.msPerOp), ...ctxs.map((ctx, i) => `${fmt(cases[i + 1].msPerOp)}${cases[i + 1].samples === 1 ? '*' : ''} (${fmt(ratios[`${ctx.mode}VsCpuTwin`])}×)`)]);
  }
  console.log(formatTable(['kernel', 'cpu twin ms', ...ctxs.map((c) => `gpu.js ${c.mode} ms (vs twin)`)], rows));
  console.log('* one call timed (slower than 1.5 s a call)');

  // A whole La-DTL step on each backend, same seed and data.
  const previous = getBackend().name;
  const stepRows: string[][] = [];
  const stepCases: CaseResult[] = [];
  try {
    for (const name of ['cpu', 'gpu']) {
      setBackend(name);
      const { step, meanTokens } = transferStepSetup();
      const r = timeOne(`La-DTL step on ${getBackend().description}`, step('la-dtl'), options.quick);
      stepCases.push(r);
      stepRows.push([name, getBackend().description, fmt(r.msPerOp), fmt(meanTokens / (r.msPerOp / 1000)), fmt(stepCases[0].msPerOp / r.msPerOp)]);
    }
  } finally {
    setBackend(previous);
  }
  console.log('\nLa-DTL training step (batch 15 + 15 × 40, paper sizes) per backend');
  console.log(formatTable(['backend', 'what runs', 'ms/step', 'tokens/s', 'vs cpu'], stepRows));
  groups.push({ name: 'La-DTL step per backend', params: { batch: 15, length: 40 }, cases: stepCases, ratios: { gpuVsCpu: stepCases[0].msPerOp / stepCases[1].msPerOp } });
  return { suite: 'gpu', meta: { modes: ctxs.map((c) => c.describe()), unavailable }, groups };
}
