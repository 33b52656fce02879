/**
 * The float32 wasm MMD (kernels/wasm/mmd.ts) against its twin, the TypeScript kernel
 * kernels/cpu/mmd.ts run in float64 on the same (float32-representable) data: value and both
 * gradients, biased and unbiased, on random data, exact duplicate rows, near-duplicates (1e-4
 * apart), n ≠ m, n = 1, d not a multiple of 4, data far from the origin. Also the expm1/exp emitter
 * of kernels/wasm/mmdModule.ts against Math.exp / Math.expm1, and the dispatch of the backend entry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../lib/tensor/index.ts';
import { DEFAULT_MMD_BANDWIDTHS, gaussianMmd as tsMmd } from '../../../kernels/cpu/mmd.ts';
import { gaussianMmd, gaussianMmdWasm, wasmMmdAvailable } from '../../../kernels/wasm/mmd.ts';
import { emitExpAndExpm1F32x4 } from '../../../kernels/wasm/simdMath.ts';
import { simdMapper } from '../../helpers/simdMapper.ts';

const BW = DEFAULT_MMD_BANDWIDTHS;
/** Gradients: max |Δ| over both ≤ GRAD_TOL · max |ref| over both. */
const GRAD_TOL = 1e-5;
/**
 * Value: |Δ| ≤ VALUE_TOL · (number of bandwidths). The value is a difference of kernel means, each
 * a sum of up to 19 Gaussians of size ≤ 1 computed in float32 (a couple of ulp each), so its error is
 * absolute, on the scale of Σ_σ 1, not relative to the (possibly tiny) MMD².
 */
const VALUE_TOL = 2e-7;

interface Case {
  name: string;
  P: Float32Array;
  n: number;
  Q: Float32Array;
  m: number;
  d: number;
}

/** Bi-LSTM-like features: tanh(scale·z + shift), rounded to float32. */
function features(rng: Rng, rows: number, d: number, scale = 0.6, shift = 0): Float32Array {
  return Float32Array.from({ length: rows * d }, () => Math.tanh(scale * rng.normal() + shift));
}

function maxAbs(...xs: ArrayLike<number>[]): number {
  let m = 0;
  for (const x of xs) for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.is(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN wins
  }
  return m;
}

/** Worst errors seen, printed at the end (what the file comment of kernels/wasm/mmd.ts quotes). */
const worst = { grad: 0, value: 0 };

function check(c: Case, bandwidths: readonly number[] = BW): void {
  for (const unbiased of c.n > 1 && c.m > 1 ? [false, true] : [false]) {
    const ref = tsMmd(Float64Array.from(c.P), c.n, Float64Array.from(c.Q), c.m, c.d, bandwidths, unbiased, true);
    const got = gaussianMmdWasm(c.P, c.n, c.Q, c.m, c.d, bandwidths, unbiased, true);
    const what = `${c.name} (n=${c.n} m=${c.m} d=${c.d} ${unbiased ? 'unbiased' : 'biased'})`;
    const scale = maxAbs(ref.gradP!, ref.gradQ!);
    const gradErr = Math.max(maxDiff(got.gradP!, ref.gradP!), maxDiff(got.gradQ!, ref.gradQ!)) / scale;
    const valueErr = Math.abs(got.value - ref.value) / bandwidths.length;
    worst.grad = Math.max(worst.grad, gradErr);
    worst.value = Math.max(worst.value, valueErr);
    assert.ok(gradErr <= GRAD_TOL, `${what}: gradient error ${gradErr.toExponential(2)} of max |∂| ${scale.toExponential(2)}`);
    assert.ok(valueErr <= VALUE_TOL, `${what}: value ${got.value} vs ${ref.value}`);
    // Value only: the same value, no gradients.
    const v = gaussianMmdWasm(c.P, c.n, c.Q, c.m, c.d, bandwidths, unbiased, false);
    assert.is(v.gradP, null);
    assert.is(v.value, got.value, `${what}: value without gradients`);
  }
}

/** Rows of `src` (d wide) at `rows`, plus `noise` per element (0: exact copies). */
function copyRows(rng: Rng, src: Float32Array, rows: number[], d: number, step = 0): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    // A random direction of length `step` (for near-duplicates at distance `step`).
    const dir = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...dir);
    for (let t = 0; t < d; t++) out[i * d + t] = src[r * d + t] + (step * dir[t]) / norm;
  });
  return out;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

test('wasm SIMD is available here (else the backend falls back and this file tests nothing)', () => {
  assert.ok(wasmMmdAvailable());
});

test('random data: n ≠ m, n = 1, d not a multiple of 4, La-DTL sizes', () => {
  const rng = new Rng(71);
  for (const [n, m, d] of [[5, 7, 3], [1, 4, 2], [1, 1, 5], [2, 2, 1], [23, 17, 9], [40, 33, 61], [64, 64, 200], [97, 130, 200]]) {
    check({ name: 'random', P: features(rng, n, d), n, Q: features(rng, m, d, 0.6, 0.15), m, d });
  }
});

test('custom bandwidths, wide spread data (some pairs past every exponent clamp)', () => {
  const rng = new Rng(72);
  const d = 11;
  check({ name: 'custom bw', P: features(rng, 9, d, 3), n: 9, Q: features(rng, 12, d, 3, 1), m: 12, d }, [0.5, 2, 0.01]);
  // Gaussian data of variance 4 in 30 dims: d² ~ 240, so the narrow bandwidths all vanish.
  const P = Float32Array.from({ length: 20 * 30 }, () => 2 * rng.normal()), Q = Float32Array.from({ length: 25 * 30 }, () => 2 * rng.normal() + 0.5);
  check({ name: 'wide', P, n: 20, Q, m: 25, d: 30 });
});

test('exact duplicate rows within a sample and across the two samples', () => {
  const rng = new Rng(73);
  for (const d of [7, 200]) {
    const base = features(rng, 30, d);
    // P: 30 rows with rows 0..4 repeated; Q: 20 fresh rows plus 6 rows of P.
    const P = concat(base, copyRows(rng, base, [0, 1, 2, 3, 4], d));
    const Q = concat(features(rng, 20, d, 0.6, 0.1), copyRows(rng, base, [0, 7, 8, 9, 10, 11], d));
    check({ name: 'duplicates', P, n: 35, Q, m: 26, d });
    // All rows identical: MMD² = 0 (biased), gradients 0 up to the kernel's own rounding.
    const one = copyRows(rng, base, [3, 3, 3, 3], d);
    const r = gaussianMmdWasm(one, 4, copyRows(rng, base, [3, 3], d), 2, d, BW, false, true);
    assert.is(r.value, 0);
    assert.is(maxAbs(r.gradP!, r.gradQ!), 0);
  }
});

test('near-duplicates (distance 1e-4 and 1e-3) within and across samples', () => {
  const rng = new Rng(74);
  for (const step of [1e-4, 1e-3]) {
    for (const d of [13, 200]) {
      const base = features(rng, 24, d);
      const P = concat(base, copyRows(rng, base, [0, 1, 2, 3, 4, 5], d, step));
      const Q = concat(features(rng, 18, d, 0.6, 0.1), copyRows(rng, base, [0, 6, 7, 8], d, step));
      check({ name: `near-duplicates ${step}`, P, n: 30, Q, m: 22, d });
    }
  }
});

test('data far from the origin (centring) and clustered data (every pair near)', () => {
  const rng = new Rng(75);
  const d = 50;
  const shifted = (rows: number, s: number): Float32Array => Float32Array.from({ length: rows * d }, (_, i) => 5 + (i % 7) + s * rng.normal());
  check({ name: 'shifted', P: shifted(20, 0.3), n: 20, Q: shifted(16, 0.35), m: 16, d });
  // A tight cluster: ‖a − b‖ ~ 1e-2 around points of norm ~ 40, so every pair takes the near path.
  check({ name: 'cluster', P: shifted(12, 1e-3), n: 12, Q: shifted(10, 1e-3), m: 10, d });
});

test('the near path is what makes duplicates exact: without it (τ = 0) they are off', () => {
  const rng = new Rng(76);
  const d = 64, base = features(rng, 20, d);
  const P = concat(base, copyRows(rng, base, [0, 1, 2], d)), Q = concat(features(rng, 15, d), copyRows(rng, base, [0, 4], d, 1e-4));
  const ref = tsMmd(Float64Array.from(P), 23, Float64Array.from(Q), 17, d, BW, false, true);
  const err = (tau: number): number => {
    const r = gaussianMmdWasm(P, 23, Q, 17, d, BW, false, true, { tau });
    return Math.max(maxDiff(r.gradP!, ref.gradP!), maxDiff(r.gradQ!, ref.gradQ!)) / maxAbs(ref.gradP!, ref.gradQ!);
  };
  assert.ok(err(0.25) < GRAD_TOL, `${err(0.25)}`);
  console.log(`  duplicates: gradient error ${err(0.25).toExponential(2)} with the near path, ${err(0).toExponential(2)} without`);
  assert.ok(err(0) > 100 * GRAD_TOL, `τ = 0 should suffer the cancellation: ${err(0)}`);
});

test('backend entry: float64 runs the TypeScript kernel (bit for bit), float32 the wasm one', () => {
  const rng = new Rng(77);
  const d = 6, P = features(rng, 8, d), Q = features(rng, 5, d, 0.6, 0.2);
  const P64 = Float64Array.from(P), Q64 = Float64Array.from(Q);
  const a = gaussianMmd(P64, 8, Q64, 5, d, BW, false, true), b = tsMmd(P64, 8, Q64, 5, d, BW, false, true);
  assert.is(a.value, b.value);
  assert.equal(Array.from(a.gradP!), Array.from(b.gradP!));
  const c = gaussianMmd(P, 8, Q, 5, d, BW, true, true), w = gaussianMmdWasm(P, 8, Q, 5, d, BW, true, true);
  assert.is(c.value, w.value);
  assert.equal(Array.from(c.gradQ!), Array.from(w.gradQ!));
  assert.throws(() => gaussianMmd(P, 1, Q, 5, d, BW, true, true), /at least 2/);
});

/** e^x and e^x − 1 of f32 lanes x ≤ 0, one mapper per output. */
function expPair(xs: Float32Array): { w: Float32Array; em1: Float32Array } {
  const w = simdMapper((c, l) => emitExpAndExpm1F32x4(c, l.x, l.y, l.spare, l));
  const em1 = simdMapper((c, l) => emitExpAndExpm1F32x4(c, l.x, l.spare, l.y, l));
  return { w: w(xs), em1: em1(xs) };
}

test('emitExpAndExpm1F32x4: e^x and e^x − 1 within a few float32 ulp on [−87, 0], clamped below', () => {
  const xs = new Float32Array(200_004);
  for (let i = 0; i < xs.length - 4; i++) {
    // Dense near 0 (where expm1 matters) and uniform over the rest.
    xs[i] = i % 2 === 0 ? -87 * (i / xs.length) : -Math.pow(10, -8 + 9 * (i / xs.length));
  }
  xs.set([0, -1e-30, -1000, -Infinity], xs.length - 4);
  const { w, em1 } = expPair(xs);
  let worstW = 0, worstM = 0;
  for (let i = 0; i < xs.length - 4; i++) {
    const x = xs[i];
    if (x < -87) continue;
    worstW = Math.max(worstW, Math.abs(w[i] - Math.exp(x)) / Math.exp(x));
    worstM = Math.max(worstM, Math.abs(em1[i] - Math.expm1(x)) / Math.abs(Math.expm1(x) || 1));
  }
  console.log(`  exp / expm1 worst relative error ${worstW.toExponential(2)} / ${worstM.toExponential(2)}`);
  assert.ok(worstW < 3e-7, `exp: worst relative error ${worstW}`);
  assert.ok(worstM < 3e-7, `expm1: worst relative error ${worstM}`);
  const e = xs.length - 4;
  assert.is(w[e], 1);
  assert.is(em1[e], 0);
  assert.is(em1[e + 1], Math.fround(-1e-30));
  assert.ok(w[e + 2] > 0 && w[e + 2] < 1e-37);
  assert.is(em1[e + 2], -1);
  assert.is(em1[e + 3], -1);
});

test.after(() => {
  console.log(`  worst gradient error ${worst.grad.toExponential(2)} of max |∂|; worst value error ${worst.value.toExponential(2)} per bandwidth`);
});

test.run();
