/** gaussianMmd against a naive double loop (biased and unbiased) and by finite differences. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { gaussianMmd } from '../../lib/ops/index.ts';
import { DEFAULT_MMD_BANDWIDTHS } from '../../kernels/cpu/index.ts';
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

test('errors: shapes, bandwidths, too few samples for the unbiased estimate', () => {
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [3, 2]), randomInput(rng, [3, 4])), 'gaussianMmd', '[3, 2]', '[3, 4]');
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [3, 2]), randomInput(rng, [3, 2]), { bandwidths: [1, 0] }), 'bandwidths');
  assertThrowsWith(() => gaussianMmd(randomInput(rng, [1, 2]), randomInput(rng, [3, 2]), { unbiased: true }), 'at least 2');
});

test.run();
