/**
 * The checks of every GPU.js kernel against its CPU twin, as plain functions so that the same checks
 * run in Node (kernels.test.ts, GPU.js cpu/webasm/headlessgl) and in a browser (webgl.test.ts, WebGL2
 * in headless Chromium). Every GPU.js kernel against its CPU twin, in every GPU.js mode available (see modes.ts), at the
 * model's real shapes (batch 15 × 40 tokens, hidden 100, 7 and 11 tags, MMD blocks of up to 256
 * tokens × 200 features) and at awkward ones (batch 1, length 1, odd sizes, ragged lengths, forbidden
 * transitions).
 *
 * Tolerances, all for float32 device arithmetic against a twin that is float32 in storage and
 * float64 (CRF, MMD) or float32 (matmul, cells) in its arithmetic:
 *  - matmul: |Δ| ≤ 2(k+1)·2⁻²⁴·Σ_p|a_ip||b_pj| per element, the recursive-summation bound (Higham §3.1)
 *    doubled because the twin rounds too;
 *  - LSTM cells: |Δ| ≤ 1e-6 + 1e-5·|x| (a few float32 ulps through exp and tanh);
 *  - CRF: |Δ log Z| ≤ 2e-6·T·(1 + |log Z|) (a few float32 roundings per step of a log-sum-exp
 *    chain of T steps); unary marginals |Δ| ≤ 1e-4, pairwise (summed over T positions) ≤ 1e-4·T;
 *    Viterbi: identical paths (random scores have no ties) and scores within the log Z tolerance;
 *  - MMD: |Δ value| ≤ 1e-4·(1 + |value|) (float32 distances, 19 exponentials a pair, sums of up to
 *    65k pairs) and |Δ gradient| ≤ 1e-4·max|gradient|.
 */
import * as assert from 'uvu/assert';
import { assertWithin } from '../../helpers/assert.ts';
import * as cpu from '../../../kernels/cpu/index.ts';
import { type GpuContext, gpuCrfForwardBackward, gpuGaussianMmd, gpuLstmCellBackward, gpuLstmCellForward, gpuMatmul, gpuViterbi } from '../../../kernels/gpu/index.ts';
import { Rng } from '../../../lib/tensor/index.ts';

const U = 2 ** -24;

export function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng.uniform() * 2 - 1) * scale;
  return a;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** One named check; `run` throws (uvu assertion error) on a mismatch. */
export interface TwinCase {
  name: string;
  run: () => void;
}

/** What the browser page reports for one check (webglPage.ts writes them, webgl.test.ts reads them). */
export interface TwinOutcome { mode: string; name: string; ok: boolean; error?: string; ms: number }

export function twinCases(ctx: GpuContext, o: { largeMmdInCpuMode: boolean }): TwinCase[] {
  const mode = ctx.mode;
  const cases: TwinCase[] = [];
  const test = (name: string, run: () => void): void => { cases.push({ name, run }); };

  test(`[${mode}] matmul = CPU twin for every transposition, offsets, accumulation and odd sizes`, () => {
    const rng = new Rng(1);
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [15, 100, 400], [30, 400, 100], [100, 15, 400], [17, 33, 9]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = randomArray(rng, m * k + 3), b = randomArray(rng, k * n + 2);
          const c0 = randomArray(rng, m * n + 1);
          for (const accumulate of [false, true]) {
            const args = { m, k, n, transA, transB, accumulate, aOffset: 3, bOffset: 2, outOffset: 1 };
            const want = c0.slice(), got = c0.slice();
            cpu.matmul(a, b, want, args);
            gpuMatmul(ctx, a, b, got, args);
            const bound = new Float64Array(m * n + 1);
            for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
              let s = accumulate ? Math.abs(c0[1 + i * n + j]) : 0;
              for (let p = 0; p < k; p++) s += Math.abs(a[3 + (transA ? p * m + i : i * k + p)] * b[2 + (transB ? j * k + p : p * n + j)]);
              bound[1 + i * n + j] = 2 * (k + 1) * U * s + 1e-30;
            }
            assertWithin(got, want, (i) => bound[i], `matmul ${m}×${k}×${n} tA=${transA} tB=${transB} acc=${accumulate}`);
          }
        }
      }
    }
  });

  test(`[${mode}] LSTM cell forward and backward = CPU twins`, () => {
    const rng = new Rng(2);
    for (const [rows, H] of [[1, 1], [15, 100], [30, 100], [3, 7]]) {
      const pre = randomArray(rng, rows * 4 * H, 4), cPrev = randomArray(rng, rows * H, 2);
      const out = () => ({ gates: new Float32Array(rows * 4 * H), c: new Float32Array(rows * H), h: new Float32Array(rows * H) });
      const w = out(), g = out();
      cpu.lstmCellForward(pre, cPrev, H, rows, w.gates, w.c, w.h);
      gpuLstmCellForward(ctx, pre, cPrev, H, rows, g.gates, g.c, g.h);
      const tol = (ref: Float32Array) => (i: number) => 1e-6 + 1e-5 * Math.abs(ref[i]);
      assertWithin(g.gates, w.gates, tol(w.gates), `gates rows=${rows} H=${H}`);
      assertWithin(g.c, w.c, tol(w.c), `c rows=${rows} H=${H}`);
      assertWithin(g.h, w.h, tol(w.h), `h rows=${rows} H=${H}`);
      const dh = randomArray(rng, rows * H), dcNext = randomArray(rng, rows * H);
      const wd = { dPre: new Float32Array(rows * 4 * H), dc: new Float32Array(rows * H) }, gd = { dPre: new Float32Array(rows * 4 * H), dc: new Float32Array(rows * H) };
      cpu.lstmCellBackward(w.gates, w.c, cPrev, dh, dcNext, H, rows, wd.dPre, wd.dc);
      gpuLstmCellBackward(ctx, w.gates, w.c, cPrev, dh, dcNext, H, rows, gd.dPre, gd.dc);
      assertWithin(gd.dPre, wd.dPre, tol(wd.dPre), `dPre rows=${rows} H=${H}`);
      assertWithin(gd.dc, wd.dc, tol(wd.dc), `dcPrev rows=${rows} H=${H}`);
    }
  });

  test(`[${mode}] LSTM sequence driven by the GPU.js cells and matmul = CPU sequence kernels`, () => {
    const rng = new Rng(3);
    for (const reverse of [false, true]) {
      const B = 4, T = 6, H = 5, G = 4 * H;
      const lengths = Int32Array.from([6, 1, 3, 5]);
      const xProj = randomArray(rng, B * T * G), Whh = randomArray(rng, H * G, 0.5), dh = randomArray(rng, B * T * H);
      const mm: cpu.MatmulFn = (a, b, o, args) => gpuMatmul(ctx, a, b, o, args);
      const cells: cpu.LstmCells = {
        forward: (...a) => gpuLstmCellForward(ctx, ...a),
        backward: (...a) => gpuLstmCellBackward(ctx, ...a),
      };
      const d = { B, T, H, lengths, reverse };
      const want = cpu.lstmSequenceForward(xProj, Whh, d), got = cpu.lstmSequenceForward(xProj, Whh, d, mm, cells);
      assertWithin(got.h, want.h, () => 1e-5, `h reverse=${reverse}`);
      const dW1 = new Float32Array(H * G), dW2 = new Float32Array(H * G);
      const dx1 = cpu.lstmSequenceBackward(dh, want, Whh, d, dW1), dx2 = cpu.lstmSequenceBackward(dh, got, Whh, d, dW2, mm, cells);
      assertWithin(dx2, dx1, () => 1e-5, `dXProj reverse=${reverse}`);
      assertWithin(dW2, dW1, () => 1e-5, `dWhh reverse=${reverse}`);
    }
  });

  test(`[${mode}] CRF forward-backward and Viterbi = CPU twins (ragged lengths, forbidden transitions)`, () => {
    const rng = new Rng(4);
    for (const [B, T, K] of [[1, 1, 1], [1, 1, 3], [3, 4, 2], [15, 40, 7], [8, 25, 11]]) {
      const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
      const E = randomArray(rng, B * T * K, 3), A = randomArray(rng, K * K, 2), start = randomArray(rng, K), end = randomArray(rng, K);
      // BIO-like constraints: forbid some transitions and one start tag (never all of a row).
      for (let i = 0; i < K; i++) for (let j = 1; j < K; j++) if ((i + 2 * j) % 3 === 0 && i !== j) A[i * K + j] = -Infinity;
      if (K > 1) start[K - 1] = -Infinity;
      const d = { B, T, K, lengths };
      const want = cpu.crfForwardBackward(E, A, start, end, d), got = gpuCrfForwardBackward(ctx, E, A, start, end, d);
      const zTol = (i: number) => 2e-6 * T * (1 + Math.abs(want.logZ[i]));
      assertWithin(got.logZ, want.logZ, zTol, `logZ ${B}×${T}×${K}`);
      assertWithin(got.unary, want.unary, () => 1e-4, `unary ${B}×${T}×${K}`);
      assertWithin(got.pairwise, want.pairwise, () => 1e-4 * T, `pairwise ${B}×${T}×${K}`);
      const onlyZ = gpuCrfForwardBackward(ctx, E, A, start, end, d, false);
      assertWithin(onlyZ.logZ, want.logZ, zTol, `logZ without marginals ${B}×${T}×${K}`);
      const vw = cpu.viterbi(E, A, start, end, d), vg = gpuViterbi(ctx, E, A, start, end, d);
      assert.equal(Array.from(vg.tags), Array.from(vw.tags), `viterbi paths ${B}×${T}×${K}`);
      assertWithin(vg.scores, vw.scores, (i) => 2e-6 * T * (1 + Math.abs(vw.scores[i])), `viterbi scores ${B}×${T}×${K}`);
    }
  });

  test(`[${mode}] Gaussian MMD value and gradients = CPU twin (biased and unbiased, 19 bandwidths)`, () => {
    const rng = new Rng(5);
    for (const [n, m, d] of [[1, 1, 1], [2, 3, 4], [37, 11, 200], [256, 256, 200], [5, 90, 13]]) {
      if (mode === 'cpu' && n === 256 && !o.largeMmdInCpuMode) continue; // ~10 s in GPU.js's JS mode
      const P = randomArray(rng, n * d, 0.3), Q = randomArray(rng, m * d, 0.3);
      // A duplicated point and a near-duplicate: where the smallest bandwidths matter.
      if (n > 2) { P.copyWithin(d, 0, d); P[2 * d] = P[0] + 1e-4; }
      for (const unbiased of n > 1 && m > 1 ? [false, true] : [false]) {
        const want = cpu.gaussianMmd(P, n, Q, m, d, cpu.DEFAULT_MMD_BANDWIDTHS, unbiased, true);
        const got = gpuGaussianMmd(ctx, P, n, Q, m, d, cpu.DEFAULT_MMD_BANDWIDTHS, unbiased, true);
        const what = `mmd n=${n} m=${m} d=${d} unbiased=${unbiased}`;
        assertWithin([got.value], [want.value], () => 1e-4 * (1 + Math.abs(want.value)), `${what} value`);
        const gp = 1e-4 * Math.max(maxAbs(want.gradP!), maxAbs(want.gradQ!)) + 1e-12;
        assertWithin(got.gradP!, want.gradP!, () => gp, `${what} ∂P`);
        assertWithin(got.gradQ!, want.gradQ!, () => gp, `${what} ∂Q`);
      }
    }
  });

  test(`[${mode}] float64 inputs are computed by the CPU twins (no silent float32 rounding)`, () => {
    const rng = new Rng(6);
    const P = Float64Array.from(randomArray(rng, 12)), Q = Float64Array.from(randomArray(rng, 8));
    const want = cpu.gaussianMmd(P, 3, Q, 2, 4, cpu.DEFAULT_MMD_BANDWIDTHS, false, true);
    const got = gpuGaussianMmd(ctx, P, 3, Q, 2, 4, cpu.DEFAULT_MMD_BANDWIDTHS, false, true);
    assert.is(got.value, want.value);
    const a = Float64Array.from(randomArray(rng, 6)), b = Float64Array.from(randomArray(rng, 6));
    const o1 = new Float64Array(4), o2 = new Float64Array(4);
    cpu.matmul(a, b, o1, { m: 2, k: 3, n: 2 });
    gpuMatmul(ctx, a, b, o2, { m: 2, k: 3, n: 2 });
    assert.equal(Array.from(o2), Array.from(o1));
  });
  return cases;
}
