/**
 * The label-aware MMD term of a La-DTL step (paper E6–E9) at the paper's sizes: source and target
 * Bi-LSTM features [15·40, 200] each, every token labelled with one of 7 tags (O about 70%, the six
 * others about 5% each), one biased MMD² per label with the sum of 19 Gaussian kernels, weighted by
 * μ = 0.02 and summed; value and gradient with respect to both feature matrices.
 *
 * Cases:
 *  - ladtl: `labelAwareMmd` (lib/transfer) with `maxPerLabel` unset (every token, as the paper) and
 *    `backward`, i.e. per label a row gather, the fused `gaussianMmd` op (on the default cpu backend
 *    and float32 features: the wasm SIMD kernel of kernels/wasm/mmd.ts, float32 Gram matrices and
 *    exps, hand-derived gradient; kernels/cpu/mmd.ts, all float64, is its twin) and the gather's
 *    scatter-back;
 *  - ladtl cap 256: the same with the default cap of 256 tokens per label and side (a seeded
 *    subsample; only O exceeds it). NOT the same computation: it estimates the full value, and it
 *    is here to show what the cap buys; its ratios compare different work;
 *  - tfjs-cpu, tfjs-wasm: the same computation in TF.js ops, float32: per label `tf.gather` of the
 *    rows (scatter gradient, see bench/peers/tfjs.ts), squared distances ‖a‖² + ‖b‖² − 2a·bᵀ clamped
 *    at 0 with the diagonal of the within-sample blocks set to exactly 0 (as ladtl does; in float32
 *    the cancellation would otherwise leave ~1e-6 on the diagonal, which the 1e-6 bandwidth turns
 *    into an O(1) error), one [n, m] exp per bandwidth, sums, and `tf.valueAndGrads` for the
 *    gradient; the value and both gradients are read back with `dataSync`.
 * Before timing, both TF.js backends must agree with ladtl to 1e-3 (relative, value; max|Δ| / max|g|
 * for the gradients).
 *
 * Then the kernel itself, float32 wasm (kernels/wasm/mmd.ts) against the float64 TypeScript kernel
 * (kernels/cpu/mmd.ts, what the cpu backend ran for float32 features before), one MMD² + both
 * gradients on n + n rows × 200 (n = 64, 256: a label at La-DTL's cap, 600: the paper's uncapped O),
 * timed in alternating rounds (`timeRounds`), medians and the ratio; the float32 results are first
 * checked against the float64 ones (value: absolute error; gradients: max|Δ| / max|g|). And one
 * La-DTL step's MMD term (7 labels, cap 256, value + backward) on the default cpu backend against
 * the same backend with only `gaussianMmd` swapped back to the TypeScript kernel.
 */
import type Benchmark from 'benchmark';
import { Rng, tensor } from '../lib/tensor/index.ts';
import { backward, parameter } from '../lib/autodiff/index.ts';
import { labelAwareMmd, rowsWithLabel, type DomainFeatures } from '../lib/transfer/index.ts';
import { DEFAULT_MMD_BANDWIDTHS } from '../kernels/cpu/index.ts';
import { gaussianMmd as tsGaussianMmd } from '../kernels/cpu/mmd.ts';
import { gaussianMmdWasm, wasmMmdAvailable, wasmMmdFailure } from '../kernels/wasm/mmd.ts';
import { makeDefaultCpuBackend, registerBackend, setBackend, getBackend } from '../lib/backend/index.ts';
import { fmt, formatTable, timeCases, timeRounds, warmUp, type CaseResult, type GroupResult, type SuiteOptions, type SuiteResult, type TimedCase } from './harness.ts';
import { TF_BACKENDS, activate, gatherRows, initTf, tf, tfMeta, type TfBackend } from './peers/tfjs.ts';

const N = 15 * 40, D = 200, NUM_LABELS = 7, MU = 0.02, CAP = 256;
const TOLERANCE = 1e-3;
const PEERS = ['tfjs-cpu', 'tfjs-wasm'] as const;

/** Labels: 0 (O) with probability 0.7, else uniform over 1..6. */
function drawLabels(rng: Rng): Int32Array {
  return Int32Array.from({ length: N }, () => (rng.uniform() < 0.7 ? 0 : 1 + rng.int(NUM_LABELS - 1)));
}

/**
 * Features shaped like Bi-LSTM outputs (in (−1, 1)): tanh(0.6 z + 0.4 c_label + shift), z ~ N(0, 1)
 * per entry, c_label a per-label direction shared by both domains, shift a per-domain offset, so that
 * per-label MMDs are neither zero nor saturated.
 */
function drawFeatures(rng: Rng, labels: Int32Array, centres: Float64Array[], shift: Float64Array): Float32Array {
  const out = new Float32Array(N * D);
  for (let i = 0; i < N; i++) {
    const c = centres[labels[i]];
    for (let j = 0; j < D; j++) out[i * D + j] = Math.tanh(0.6 * rng.normal() + 0.4 * c[j] + shift[j]);
  }
  return out;
}

function relativeError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (x.length !== ref.length) return Infinity;
  let maxDiff = 0, maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(x[i] - ref[i]);
    if (!(d <= maxDiff)) maxDiff = d; // NaN fails the check instead of being skipped
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxDiff / (maxRef || 1);
}

interface MmdOutput {
  value: number;
  gradS: ArrayLike<number>;
  gradT: ArrayLike<number>;
}

/** The TF.js version on `backend`: returns a function computing value and both gradients. */
function tfjsMmd(backend: TfBackend, source: Float32Array, target: Float32Array, groups: { sIdx: Int32Array; tIdx: Int32Array }[]): { run: () => MmdOutput; dispose: () => void } {
  activate(backend);
  const S = tf.tensor2d(source, [N, D]);
  const T = tf.tensor2d(target, [N, D]);
  const coefs = DEFAULT_MMD_BANDWIDTHS.map((s) => -1 / (2 * s));

  /** Mean over all pairs of Σ_σ exp(−‖a − b‖² / (2σ)). */
  const kernelMean = (A: tf.Tensor2D, B: tf.Tensor2D, same: boolean): tf.Tensor => {
    const n = A.shape[0], m = B.shape[0];
    const na = tf.sum(tf.square(A), 1, true);
    const nb = same ? tf.reshape(na, [1, n]) : tf.reshape(tf.sum(tf.square(B), 1), [1, m]);
    let d2 = tf.relu(tf.sub(tf.add(na, nb), tf.mul(tf.matMul(A, B, false, true), 2)));
    if (same) d2 = tf.mul(d2, tf.sub(1, tf.eye(n)));
    // One [n, m] exp per bandwidth, summed: a smoke run found this about twice as fast on both
    // backends as one exp over an [n, m, 19] broadcast (tfjs-cpu's broadcasting path is per element).
    return tf.div(tf.sum(tf.addN(coefs.map((c) => tf.exp(tf.mul(d2, c))))), n * m);
  };
  const loss = (s: tf.Tensor, t: tf.Tensor): tf.Scalar => {
    const terms = groups.map(({ sIdx, tIdx }) => {
      const P = gatherRows(s as tf.Tensor2D, sIdx), Q = gatherRows(t as tf.Tensor2D, tIdx);
      return tf.sub(tf.add(kernelMean(P, P, true), kernelMean(Q, Q, true)), tf.mul(kernelMean(P, Q, false), 2));
    });
    return tf.mul(tf.addN(terms), MU) as tf.Scalar;
  };
  const valueAndGrads = tf.valueAndGrads(loss);
  return {
    run: () => {
      const { value, grads } = valueAndGrads([S, T]);
      const out = { value: value.dataSync()[0], gradS: grads[0].dataSync(), gradT: grads[1].dataSync() };
      tf.dispose([value, ...grads]);
      return out;
    },
    dispose: () => tf.dispose([S, T]),
  };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  await initTf();
  const rng = new Rng(20);
  const centres = Array.from({ length: NUM_LABELS }, () => Float64Array.from({ length: D }, () => rng.normal()));
  const sourceLabels = drawLabels(rng), targetLabels = drawLabels(rng);
  const source = drawFeatures(rng, sourceLabels, centres, new Float64Array(D));
  const target = drawFeatures(rng, targetLabels, centres, Float64Array.from({ length: D }, () => 0.2 * rng.normal()));

  // ladtl: the features are parameters, as the Bi-LSTM outputs are (gradients flow into them).
  const S = parameter(tensor(source, [N, D]), 'source');
  const T = parameter(tensor(target, [N, D]), 'target');
  const src: DomainFeatures = { rows: S, labels: sourceLabels }, tgt: DomainFeatures = { rows: T, labels: targetLabels };
  const capRng = new Rng(256);
  const ladtlRun = (cap: number | undefined): (() => MmdOutput) => () => {
    S.zeroGrad();
    T.zeroGrad();
    const r = labelAwareMmd(src, tgt, { numLabels: NUM_LABELS, mu: MU, ...(cap === undefined ? {} : { maxPerLabel: cap, rng: capRng }) });
    backward(r.loss);
    return { value: r.loss.value.item(), gradS: S.grad!.values(), gradT: T.grad!.values() };
  };
  const ladtlFull = ladtlRun(undefined), ladtlCap = ladtlRun(CAP);

  const groupsIdx = Array.from({ length: NUM_LABELS }, (_, y) => ({ y, sIdx: Int32Array.from(rowsWithLabel(src, y)), tIdx: Int32Array.from(rowsWithLabel(tgt, y)) }))
    .filter((g) => g.sIdx.length > 0 && g.tIdx.length > 0);
  const counts = groupsIdx.map((g) => `${g.y}:${g.sIdx.length}/${g.tIdx.length}`).join(' ');
  const tensorsBefore = tf.memory().numTensors;
  const peers = TF_BACKENDS.map((backend) => ({ backend, ...tfjsMmd(backend, source, target, groupsIdx) }));
  const meta = { ...tfMeta(), tolerance: TOLERANCE, bandwidths: DEFAULT_MMD_BANDWIDTHS.length, mu: MU, cap: CAP };
  console.log(
    `\n== mmd: label-aware MMD² (value + gradient w.r.t. both feature matrices), ladtl vs TF.js ${meta.tfjsCore} cpu / wasm ` +
      `(SIMD ${meta.wasmSimd ? 'on' : 'off'}, threads ${meta.wasmThreads ? 'on' : 'off'}) ==\n` +
      `features [${N}, ${D}] per domain, ${NUM_LABELS} labels, ${DEFAULT_MMD_BANDWIDTHS.length} bandwidths, μ = ${MU}; ` +
      `tokens per label (source/target) ${counts}; "vs X" = X's time / the case's time, >1 means the case is faster`,
  );

  let group: GroupResult;
  try {
    // Same value and gradients before anything is timed.
    const ref = ladtlFull();
    const refGradS = Float32Array.from(ref.gradS), refGradT = Float32Array.from(ref.gradT);
    const checks: Record<string, number> = { 'ladtl value': ref.value };
    for (const p of peers) {
      activate(p.backend);
      const out = p.run();
      const name = `tfjs-${p.backend}`;
      const errs = { value: Math.abs(out.value - ref.value) / Math.abs(ref.value), 'grad source': relativeError(out.gradS, refGradS), 'grad target': relativeError(out.gradT, refGradT) };
      for (const [what, err] of Object.entries(errs)) {
        if (!(err <= TOLERANCE)) throw new Error(`mmd: ${name}'s ${what} differs from ladtl's by ${err} (relative), over ${TOLERANCE}`);
        checks[`${name} ${what} rel. err`] = err;
      }
    }
    const capped = ladtlCap();
    checks['ladtl cap 256 value rel. diff vs uncapped (not an error: a subsample)'] = Math.abs(capped.value - ref.value) / Math.abs(ref.value);

    const timing: Benchmark.Options = options.quick ? { minSamples: 2, maxTime: 0.3 } : { minSamples: 5, maxTime: 3 };
    const cases: (TimedCase & { backend?: TfBackend })[] = [
      { name: 'ladtl', fn: () => void ladtlFull() },
      { name: `ladtl cap ${CAP}`, fn: () => void ladtlCap() },
      ...peers.map((p) => ({ name: `tfjs-${p.backend}`, backend: p.backend, fn: () => void p.run(), options: { onStart: () => activate(p.backend) } })),
    ];
    // Under --quick the checks above are the only warm-up (one call of every case).
    if (!options.quick) {
      for (const c of cases) {
        if (c.backend) activate(c.backend);
        warmUp(c.fn, 500);
      }
    }
    const timed = timeCases('mmd', cases, timing);
    const ratios: Record<string, number> = {};
    for (const peer of PEERS) {
      const p = timed.find((t) => t.name === peer)!;
      for (const t of timed) if (t !== p) ratios[`${t.name} vs ${peer}`] = p.msPerOp / t.msPerOp;
    }
    group = {
      name: `label-aware MMD² + gradient, [${N}, ${D}] per domain`,
      params: { n: N, d: D, labels: NUM_LABELS, bandwidths: DEFAULT_MMD_BANDWIDTHS.length, mu: MU, oShare: 0.7, counts },
      cases: timed,
      ratios,
      checks,
    };
  } finally {
    for (const p of peers) p.dispose();
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`mmd: ${leaked} tfjs tensors leaked`);

  const ratio = (c: CaseResult, peer: string): string => (c.name === peer ? '1' : `${fmt(group.ratios[`${c.name} vs ${peer}`])}×`);
  console.log(`\n${group.name}`);
  console.log(formatTable(['case', 'ms/op', '±rme', 'vs tfjs-cpu', 'vs tfjs-wasm'], group.cases.map((c) => [c.name, fmt(c.msPerOp), `±${c.rmePercent.toFixed(1)}%`, ratio(c, 'tfjs-cpu'), ratio(c, 'tfjs-wasm')])));
  const c = group.checks!;
  console.log(
    `checks: value ${fmt(c['ladtl value'])}; tfjs-cpu rel. err value ${c['tfjs-cpu value rel. err'].toExponential(1)}, grads ${c['tfjs-cpu grad source rel. err'].toExponential(1)} / ${c['tfjs-cpu grad target rel. err'].toExponential(1)}; ` +
      `tfjs-wasm value ${c['tfjs-wasm value rel. err'].toExponential(1)}, grads ${c['tfjs-wasm grad source rel. err'].toExponential(1)} / ${c['tfjs-wasm grad target rel. err'].toExponential(1)}; ` +
      `cap ${CAP} changes the value by ${(100 * c['ladtl cap 256 value rel. diff vs uncapped (not an error: a subsample)']).toFixed(1)}% (different work, not an error)`,
  );
  const kernelGroups = kernelComparison(options, rng, centres, src, tgt);
  return { suite: 'mmd', meta: { ...meta, wasmMmd: wasmMmdAvailable() ? 'available' : wasmMmdFailure() }, groups: [group, ...kernelGroups] };
}

/** Rounds for the kernel comparison: fewer and shorter under --quick. */
function roundsOptions(quick: boolean): { rounds: number; roundMs: number } {
  return quick ? { rounds: 3, roundMs: 150 } : { rounds: 9, roundMs: 600 };
}

/**
 * The float32 wasm kernel against the float64 TypeScript kernel on one MMD² + gradients, and one
 * La-DTL step's MMD term with either kernel (see the file comment).
 */
function kernelComparison(options: SuiteOptions, rng: Rng, centres: Float64Array[], src: DomainFeatures, tgt: DomainFeatures): GroupResult[] {
  if (!wasmMmdAvailable()) {
    console.log(`\nmmd kernel comparison skipped: ${wasmMmdFailure()}`);
    return [];
  }
  const bw = DEFAULT_MMD_BANDWIDTHS;
  const groups: GroupResult[] = [];
  const rows: string[][] = [];
  console.log(`\n== mmd kernel: one MMD² + both gradients, float32 wasm SIMD (kernels/wasm/mmd.ts) vs float64 TypeScript (kernels/cpu/mmd.ts) ==\n` +
    `features drawn like the La-DTL ones (label 1 vs label 1 of the shifted domain), d = ${D}, ${bw.length} bandwidths, biased; medians of ${roundsOptions(options.quick).rounds} alternating rounds`);
  for (const n of [64, 256, 600]) {
    // n ≤ N: the first n rows of one draw of La-DTL-like features, all of label 1.
    const labels = new Int32Array(N).fill(1);
    const P = drawFeatures(rng, labels, centres, new Float64Array(D)).slice(0, n * D);
    const Q = drawFeatures(rng, labels, centres, Float64Array.from({ length: D }, () => 0.2 * rng.normal())).slice(0, n * D);
    const ref = tsGaussianMmd(P, n, Q, n, D, bw, false, true);
    const got = gaussianMmdWasm(P, n, Q, n, D, bw, false, true);
    const checks = {
      'value (float64)': ref.value,
      'value abs. err': Math.abs(got.value - ref.value),
      'grad P max|Δ| / max|g|': relativeError(got.gradP!, ref.gradP!),
      'grad Q max|Δ| / max|g|': relativeError(got.gradQ!, ref.gradQ!),
    };
    const timed = timeRounds([
      { name: 'ts f64', fn: () => void tsGaussianMmd(P, n, Q, n, D, bw, false, true) },
      { name: 'wasm f32', fn: () => void gaussianMmdWasm(P, n, Q, n, D, bw, false, true) },
    ], roundsOptions(options.quick));
    const [ts, wasm] = timed;
    const ratio = ts.medianMs / wasm.medianMs;
    groups.push({
      name: `gaussianMmd kernel ${n}+${n} × ${D}`,
      params: { n, m: n, d: D, bandwidths: bw.length },
      // Medians over rounds; the spread reported is the interquartile range (% of the median), not a margin of error.
      cases: timed.map((t) => ({ name: t.name, msPerOp: t.medianMs, rmePercent: t.iqrPercent, samples: t.rounds })),
      ratios: { 'wasm f32 vs ts f64': ratio },
      checks,
    });
    rows.push([`${n}+${n}`, fmt(ts.medianMs), `${fmt(ts.minMs)}–${fmt(ts.maxMs)}`, fmt(wasm.medianMs), `${fmt(wasm.minMs)}–${fmt(wasm.maxMs)}`, `${fmt(ratio)}×`,
      checks['value abs. err'].toExponential(1), Math.max(checks['grad P max|Δ| / max|g|'], checks['grad Q max|Δ| / max|g|']).toExponential(1)]);
  }
  console.log(formatTable(['n+m', 'ts f64 ms', 'range', 'wasm f32 ms', 'range', 'speed-up', 'value |Δ|', 'grad max|Δ|/max|g|'], rows));

  // One La-DTL step's MMD term: the default backend, and the same with the TypeScript kernel.
  const previous = getBackend().name;
  registerBackend('cpu-ts-mmd', () => ({ ...makeDefaultCpuBackend(), name: 'cpu-ts-mmd', gaussianMmd: tsGaussianMmd }));
  const step = (backend: string): (() => void) => {
    const capRng = new Rng(256);
    return () => {
      setBackend(backend);
      src.rows.zeroGrad();
      tgt.rows.zeroGrad();
      backward(labelAwareMmd(src, tgt, { numLabels: NUM_LABELS, mu: MU, maxPerLabel: CAP, rng: capRng }).loss);
    };
  };
  try {
    const timed = timeRounds([{ name: 'ts f64 kernel', fn: step('cpu-ts-mmd') }, { name: 'wasm f32 kernel', fn: step('cpu') }], roundsOptions(options.quick));
    const ratio = timed[0].medianMs / timed[1].medianMs;
    groups.push({
      name: `La-DTL step MMD term (${NUM_LABELS} labels, cap ${CAP}, value + backward)`,
      params: { n: N, d: D, labels: NUM_LABELS, cap: CAP },
      cases: timed.map((t) => ({ name: t.name, msPerOp: t.medianMs, rmePercent: t.iqrPercent, samples: t.rounds })),
      ratios: { 'wasm f32 kernel vs ts f64 kernel': ratio },
    });
    console.log(`\nLa-DTL step MMD term (${NUM_LABELS} labels, cap ${CAP}, value + backward): ${timed.map((t) => `${t.name} ${fmt(t.medianMs)} ms`).join(', ')}; speed-up ${fmt(ratio)}×`);
  } finally {
    setBackend(previous);
  }
  return groups;
}
