/** gaussianMmd against a naive double loop (biased and unbiased) and by finite differences. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor, tensor } from '../../lib/tensor/index.ts';
import { backward, parameter } from '../../lib/autodiff/index.ts';
import { gaussianMmd } from '../../lib/ops/index.ts';
import { DEFAULT_MMD_BANDWIDTHS } from '../../kernels/cpu/index.ts';
import { gaussianMmdWasm, wasmMmdAvailable } from '../../kernels/wasm/mmd.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(404);

/** Paper E8 literally: every pair, distances by differences, kernel sums over the bandwidths. */
function naiveMmd(P: Tensor, Q: Tensor, bandwidths: readonly number[], unbiased: boolean): number {
  const rows = (t: Tensor): number[][] => Array.from({ length: t.shape[0] }, (_, i) => Array.from({ length: t.shape[1] }, (_, j) => t.get(i, j)));
  const p = rows(P), q = rows(Q);
  const k = (a: number[], b: number[]): number => {
    let d2 = 0;
    for (let i = 0; i < a.length; i++) d2 += (a[i] - b[i]) ** 2;
    return bandwidths.reduce((s, sigma) => s + Math.exp(-d2 / (2 * sigma)), 0);
  };
  const meanOf = (xs: number[][], ys: number[][], skipDiagonal: boolean): number => {
    let s = 0, count = 0;
    xs.forEach((a, i) => ys.forEach((b, j) => { if (skipDiagonal && i === j) return; s += k(a, b); count++; }));
    return s / count;
  };
  return meanOf(p, p, unbiased) + meanOf(q, q, unbiased) - 2 * meanOf(p, q, false);
}

test('equals the naive double loop: biased and unbiased, default and custom bandwidths', () => {
  for (const [n, m, d, scale] of [[5, 7, 3, 1], [1, 4, 2, 0.3], [6, 6, 10, 0.05], [12, 3, 4, 2]]) {
    const P = randomInput(rng, [n, d], scale), Q = randomInput(rng, [m, d], scale, 0.5);
    for (const bandwidths of [DEFAULT_MMD_BANDWIDTHS, [0.5, 2]]) {
      for (const unbiased of n > 1 && m > 1 ? [false, true] : [false]) {
        const got = gaussianMmd(P, Q, { bandwidths, unbiased }).value.item();
        assertClose([got], [naiveMmd(P, Q, bandwidths, unbiased)], 1e-10, 1e-9, `n=${n} m=${m} unbiased=${unbiased}`);
      }
    }
  }
});

test('zero for identical samples (biased), positive for separated ones, symmetric', () => {
  const P = randomInput(rng, [6, 4]);
  assertClose([gaussianMmd(P, P).value.item()], [0], 1e-12);
  const Q = randomInput(rng, [5, 4], 1, 3);
  const a = gaussianMmd(P, Q).value.item(), b = gaussianMmd(Q, P).value.item();
  assert.ok(a > 0.1);
  assertClose([a], [b], 1e-12, 1e-12);
});

test('finite differences, biased and unbiased, several bandwidth sets', () => {
  gradCheck((p, q) => gaussianMmd(p, q, { bandwidths: [0.5, 1, 5] }), [randomInput(rng, [4, 3]), randomInput(rng, [5, 3], 1, 0.5)]);
  gradCheck((p, q) => gaussianMmd(p, q, { bandwidths: [0.5, 1, 5], unbiased: true }), [randomInput(rng, [4, 3]), randomInput(rng, [3, 3])]);
  // The paper's 19 bandwidths at the scale of Bi-LSTM outputs (tanh-bounded, 200-d in the model).
  gradCheck((p, q) => gaussianMmd(p, q), [randomInput(rng, [5, 8], 0.5), randomInput(rng, [4, 8], 0.5, 0.2)]);
  gradCheck((p, q) => gaussianMmd(p, q), [randomInput(rng, [1, 2], 0.1), randomInput(rng, [2, 2], 0.1)]);
});

/**
 * ∂MMD²/∂P and ∂MMD²/∂Q written directly from ∂k(a, b)/∂a = −g(a, b)(a − b), g = Σ_σ e^{−‖a−b‖²/2σ}/σ,
 * pair by pair with differences (no rowsum(G)·a − G·B, hence no cancellation): the exact reference.
 */
function naiveMmdGrad(p: number[][], q: number[][], bandwidths: readonly number[], unbiased: boolean): { gradP: number[][]; gradQ: number[][] } {
  const n = p.length, m = q.length;
  const g = (a: number[], b: number[]): number => {
    let d2 = 0;
    for (let t = 0; t < a.length; t++) d2 += (a[t] - b[t]) ** 2;
    return bandwidths.reduce((s, sigma) => s + Math.exp(-d2 / (2 * sigma)) / sigma, 0);
  };
  const cpp = unbiased ? 1 / (n * (n - 1)) : 1 / (n * n), cqq = unbiased ? 1 / (m * (m - 1)) : 1 / (m * m), cpq = -2 / (n * m);
  /** Gradient of c·Σ_{i,j} k(x_i, y_j) w.r.t. x_i (+ the mirror term when y is x). */
  const side = (x: number[][], y: number[][], same: boolean, c: number, out: number[][]): void => {
    x.forEach((a, i) => y.forEach((b, j) => {
      if (same && i === j) return;
      const w = g(a, b) * (same ? 2 * c : c);
      for (let t = 0; t < a.length; t++) out[i][t] -= w * (a[t] - b[t]);
    }));
  };
  const gradP = p.map((r) => r.map(() => 0)), gradQ = q.map((r) => r.map(() => 0));
  side(p, p, true, cpp, gradP);
  side(p, q, false, cpq, gradP);
  side(q, q, true, cqq, gradQ);
  side(q, p, false, cpq, gradQ);
  return { gradP, gradQ };
}

test('gradient exact to rounding: the diagonal pair (a_i, a_i) contributes nothing (biased and unbiased)', () => {
  const cases: [number[][], number[][]][] = [
    [[[3], [3.5]], [[10]]],
    [[[3], [3.5], [2.75]], [[10], [9.25]]],
    [[[1, -2, 0.5], [1.25, -2, 0.75], [0.5, -1.5, 1]], [[2, 0, 0], [1.5, -0.5, 0.25]]],
  ];
  for (const [p, q] of cases) {
    for (const unbiased of [false, true]) {
      if (unbiased && q.length < 2) continue;
      const P = parameter(tensor(p.flat(), [p.length, p[0].length], 'float64')), Q = parameter(tensor(q.flat(), [q.length, q[0].length], 'float64'));
      backward(gaussianMmd(P, Q, { unbiased }));
      const ref = naiveMmdGrad(p, q, DEFAULT_MMD_BANDWIDTHS, unbiased);
      const what = `P=${JSON.stringify(p)} unbiased=${unbiased}`;
      assertClose(P.grad!.values(), ref.gradP.flat(), 0, 1e-14, `∂/∂P ${what}`);
      assertClose(Q.grad!.values(), ref.gradQ.flat(), 0, 1e-14, `∂/∂Q ${what}`);
    }
  }
  // The case of the bug report: 0.43284028776 before (G_ii ≈ 1.1e6 cancelling to rounding).
  const P = parameter(tensor([3, 3.5], [2, 1], 'float64'));
  backward(gaussianMmd(P, tensor([10], [1, 1], 'float64')));
  assertClose([P.grad!.values()[0]], [0.43284028749], 1e-11, 0);
});

test('float32 inputs (the training case: the wasm kernel on the default backend) agree with float64', () => {
  const P64 = randomInput(rng, [40, 23], 0.5), Q64 = randomInput(rng, [31, 23], 0.5, 0.2);
  /** Value and gradients of the op on the data rounded to float32, held as `dtype`. */
  const run = (dtype: 'float32' | 'float64'): { value: number; gp: ArrayLike<number>; gq: ArrayLike<number> } => {
    const P = parameter(tensor(Float32Array.from(P64.values()), P64.shape, dtype)), Q = parameter(tensor(Float32Array.from(Q64.values()), Q64.shape, dtype));
    const v = gaussianMmd(P, Q);
    backward(v);
    return { value: v.value.item(), gp: P.grad!.values(), gq: Q.grad!.values() };
  };
  const f32 = run('float32'), f64 = run('float64');
  // Float32 samples go to the wasm kernel (when the engine has SIMD), float64 ones to the exact one.
  if (wasmMmdAvailable()) {
    const direct = gaussianMmdWasm(Float32Array.from(P64.values()), 40, Float32Array.from(Q64.values()), 31, 23, DEFAULT_MMD_BANDWIDTHS, false, false);
    assert.is(Math.fround(f32.value), Math.fround(direct.value));
  }
  assertClose([f32.value], [f64.value], 1e-6, 0, 'value');
  const scale = Math.max(...Array.from(f64.gp, Math.abs), ...Array.from(f64.gq, Math.abs));
  assertClose(f32.gp, f64.gp, 1e-5 * scale, 0, '∂/∂P');
  assertClose(f32.gq, f64.gq, 1e-5 * scale, 0, '∂/∂Q');
});

test('errors: shapes, bandwidths, too few samples for the unbiased estimate', () => {
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [3, 2]), randomInput(rng, [3, 4])), 'gaussianMmd', '[3, 2]', '[3, 4]');
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [3, 2]), randomInput(rng, [3, 2]), { bandwidths: [1, 0] }), 'bandwidths');
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [1, 2]), randomInput(rng, [3, 2]), { unbiased: true }), 'at least 2');
});

test.run();
