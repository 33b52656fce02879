/**
 * The scaled (probability-space) CRF forward-backward against the log-space recursion it replaced
 * (crfForwardBackwardLogSpace) and against brute-force enumeration: random ragged batches for
 * K = 1..9 with and without −∞ constraints and start/end scores (1e-12 relative), extreme scores
 * where probability space underflows and the log-space fallback must take over, and sentences
 * with no allowed path at all (log Z = −∞, zero marginals).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crfForwardBackward, crfForwardBackwardLogSpace, crfPathScore, viterbi, type CrfDims, type CrfMarginals } from '../../../kernels/cpu/crf.ts';
import { Rng } from '../../../lib/tensor/index.ts';
import { assertClose, assertThrowsWith, assertWithin } from '../../helpers/assert.ts';

const rng = new Rng(2024);
const uniform = (n: number, scale: number): Float64Array => Float64Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
const normal = (n: number, std: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal(0, std));

interface Case { E: Float64Array; A: Float64Array; s: Float64Array; e: Float64Array; d: CrfDims }

function randomCase(B: number, T: number, K: number, opts: { constrained: boolean; boundary: boolean; std?: number }): Case {
  const std = opts.std ?? 2;
  const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : b === 1 ? 1 : 1 + rng.int(T)));
  const E = normal(B * T * K, std), A = normal(K * K, std);
  const s = opts.boundary ? normal(K, std) : new Float64Array(K), e = opts.boundary ? normal(K, std) : new Float64Array(K);
  if (opts.constrained) {
    // Forbid about a third of the transitions and some boundary tags (never every start or end tag).
    for (let i = 0; i < K * K; i++) if (rng.uniform() < 0.35) A[i] = -Infinity;
    for (let k = 1; k < K; k++) { if (rng.uniform() < 0.3) s[k] = -Infinity; if (rng.uniform() < 0.3) e[k] = -Infinity; }
  }
  return { E, A, s, e, d: { B, T, K, lengths } };
}

/** |a − b| ≤ rel·|b| elementwise (equal infinities pass). */
function assertRel(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assertWithin(actual, expected, (i) => rel * Math.abs(expected[i]), what);
}

function compareToLogSpace(c: Case, what: string, rel = 1e-12): CrfMarginals {
  const got = crfForwardBackward(c.E, c.A, c.s, c.e, c.d), want = crfForwardBackwardLogSpace(c.E, c.A, c.s, c.e, c.d);
  assertWithin(got.logZ, want.logZ, (i) => rel * Math.max(1, Math.abs(want.logZ[i])), `${what} logZ`);
  assertRel(got.unary, want.unary, rel, `${what} unary`);
  assertRel(got.pairwise, want.pairwise, rel, `${what} pairwise`);
  const onlyZ = crfForwardBackward(c.E, c.A, c.s, c.e, c.d, false);
  assert.equal(Array.from(onlyZ.logZ), Array.from(got.logZ), `${what} logZ without marginals`);
  assert.is(onlyZ.unary.length, 0);
  assert.is(onlyZ.pairwise.length, 0);
  return got;
}

/** Every tag path of length L over K tags, with its score; log Z and marginals by enumeration. */
function bruteForce(c: Case, b: number) {
  const { T, K } = c.d, L = c.d.lengths[b];
  let paths: number[][] = [[]];
  for (let t = 0; t < L; t++) paths = paths.flatMap((p) => Array.from({ length: K }, (_, k) => [...p, k]));
  const score = (y: number[]): number => {
    let v = c.s[y[0]] + c.e[y[L - 1]];
    y.forEach((k, t) => { v += c.E[(b * T + t) * K + k]; if (t > 0) v += c.A[y[t - 1] * K + k]; });
    return v;
  };
  const scores = paths.map(score);
  const max = Math.max(...scores);
  const logZ = max === -Infinity ? -Infinity : max + Math.log(scores.reduce((acc, v) => acc + Math.exp(v - max), 0));
  const unary = new Array(L * K).fill(0), pairwise = new Array(K * K).fill(0);
  if (logZ > -Infinity) {
    paths.forEach((p, i) => {
      const prob = Math.exp(scores[i] - logZ);
      p.forEach((y, t) => { unary[t * K + y] += prob; if (t > 0) pairwise[p[t - 1] * K + y] += prob; });
    });
  }
  return { logZ, unary, pairwise };
}

function compareToBruteForce(c: Case, m: CrfMarginals, what: string, tol = 1e-9): void {
  const { B, T, K } = c.d;
  for (let b = 0; b < B; b++) {
    const L = c.d.lengths[b], ref = bruteForce(c, b);
    assertWithin([m.logZ[b]], [ref.logZ], () => tol * Math.max(1, Math.abs(ref.logZ)), `${what} logZ[${b}]`);
    assertClose(m.unary.subarray(b * T * K, b * T * K + L * K), ref.unary, tol, tol, `${what} unary[${b}]`);
    assertClose(m.unary.subarray(b * T * K + L * K, (b + 1) * T * K), new Array((T - L) * K).fill(0), 0, 0, `${what} padding[${b}]`);
    assertClose(m.pairwise.subarray(b * K * K, (b + 1) * K * K), ref.pairwise, tol, tol, `${what} pairwise[${b}]`);
  }
}

test('scaled forward-backward = log-space recursion to 1e-12 on random ragged batches, K = 1..9', () => {
  for (let K = 1; K <= 9; K++) {
    for (const constrained of [false, true]) {
      for (const boundary of [false, true]) {
        for (const [B, T] of [[1, 1], [4, 7], [6, 23]]) {
          const c = randomCase(B, T, K, { constrained, boundary });
          compareToLogSpace(c, `K=${K} B=${B} T=${T} constrained=${constrained} boundary=${boundary}`);
        }
      }
    }
  }
});

test('larger scores (std 15) and the paper size 15×40×7 still agree to 1e-12', () => {
  for (const constrained of [false, true]) {
    compareToLogSpace(randomCase(15, 40, 7, { constrained, boundary: true }), `15×40×7 constrained=${constrained}`);
    compareToLogSpace(randomCase(8, 30, 5, { constrained, boundary: true, std: 15 }), `std 15 constrained=${constrained}`);
  }
});

test('small cases equal brute force, with and without constraints', () => {
  for (let K = 1; K <= 4; K++) {
    for (const constrained of [false, true]) {
      const c = randomCase(4, 5, K, { constrained, boundary: true });
      compareToBruteForce(c, crfForwardBackward(c.E, c.A, c.s, c.e, c.d), `K=${K} constrained=${constrained}`);
    }
  }
});

test('extreme scores (emissions ±500, transitions ±300): the log-space fallback keeps brute-force accuracy', () => {
  for (let trial = 0; trial < 30; trial++) {
    const K = 2 + (trial % 3), B = 4, T = 4;
    const c: Case = {
      E: uniform(B * T * K, 500), A: uniform(K * K, 300), s: uniform(K, 100), e: uniform(K, 100),
      d: { B, T, K, lengths: Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T))) },
    };
    if (trial % 2) for (let i = 0; i < K * K; i++) if (rng.uniform() < 0.3) c.A[i] = -Infinity;
    const got = crfForwardBackward(c.E, c.A, c.s, c.e, c.d);
    compareToBruteForce(c, got, `extreme trial ${trial}`);
    const want = crfForwardBackwardLogSpace(c.E, c.A, c.s, c.e, c.d);
    assertWithin(got.logZ, want.logZ, (i) => 1e-12 * Math.max(1, Math.abs(want.logZ[i])), `extreme trial ${trial} logZ vs log space`);
    assertClose(got.unary, want.unary, 1e-12, 1e-9, `extreme trial ${trial} unary vs log space`);
    assertClose(got.pairwise, want.pairwise, 1e-12, 1e-9, `extreme trial ${trial} pairwise vs log space`);
  }
  // Just inside what probability space can hold (shifted scores down to about −640, scales c_t
  // near 2^−1000), where some sentences stay on the scaled path and others fall back.
  for (let trial = 0; trial < 600; trial++) {
    const K = 2 + (trial % 3), B = 3, T = 2 + (trial % 5);
    const [es, as] = [[160, 300], [320, 300], [400, 340], [200, 340]][trial % 4];
    const c: Case = {
      E: uniform(B * T * K, es), A: uniform(K * K, as), s: uniform(K, as), e: uniform(K, as),
      d: { B, T, K, lengths: Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T))) },
    };
    if (trial % 2) for (let i = 0; i < K * K; i++) if (rng.uniform() < 0.3) c.A[i] = -Infinity;
    const got = crfForwardBackward(c.E, c.A, c.s, c.e, c.d);
    compareToBruteForce(c, got, `near-threshold trial ${trial}`);
    const want = crfForwardBackwardLogSpace(c.E, c.A, c.s, c.e, c.d);
    assertWithin(got.logZ, want.logZ, (i) => 1e-12 * Math.max(1, Math.abs(want.logZ[i])), `near-threshold trial ${trial} logZ vs log space`);
    assertClose(got.unary, want.unary, 1e-12, 1e-9, `near-threshold trial ${trial} unary vs log space`);
    assertClose(got.pairwise, want.pairwise, 1e-12, 1e-9, `near-threshold trial ${trial} pairwise vs log space`);
  }
  // Larger batches of extreme scores: every sentence must still match the log-space recursion.
  for (const [B, T, K] of [[15, 40, 7], [9, 25, 11]]) {
    const c: Case = { E: uniform(B * T * K, 500), A: uniform(K * K, 300), s: uniform(K, 100), e: uniform(K, 100), d: { B, T, K, lengths: Int32Array.from({ length: B }, (_, b) => 1 + ((b * 7) % T)) } };
    const got = crfForwardBackward(c.E, c.A, c.s, c.e, c.d), want = crfForwardBackwardLogSpace(c.E, c.A, c.s, c.e, c.d);
    assertWithin(got.logZ, want.logZ, (i) => 1e-12 * Math.max(1, Math.abs(want.logZ[i])), `extreme ${B}×${T}×${K} logZ`);
    assertClose(got.unary, want.unary, 1e-12, 1e-9, `extreme ${B}×${T}×${K} unary`);
    assertClose(got.pairwise, want.pairwise, 1e-12, 1e-9, `extreme ${B}×${T}×${K} pairwise`);
  }
});

test('a tag whose emission underflows probability space but whose paths dominate is not lost', () => {
  // E[1, 1] is 800 below E[1, 0], so exp(E − max) is exactly 0 in float64, yet the transition into
  // tag 1 and its end score are worth 450 each: paths ending in tag 1 win by 100 nats. A scaled
  // recursion that took the 0 at face value would give tag 1 probability 0 there.
  const K = 2, T = 2;
  const c: Case = {
    E: Float64Array.of(0, 0, 0, -800), A: Float64Array.of(0, 450, 0, 450), s: new Float64Array(K), e: Float64Array.of(0, 450),
    d: { B: 1, T, K, lengths: Int32Array.of(2) },
  };
  const got = crfForwardBackward(c.E, c.A, c.s, c.e, c.d);
  compareToBruteForce(c, got, 'underflowing emission');
  assert.ok(got.unary[K + 1] > 0.999, `p(y_1 = 1) = ${got.unary[K + 1]}`);
  // The same through a chain of representable steps: tag 1 loses 150 nats per position, so its
  // forward weight falls below 2^−1000 of tag 0's (and then to 0) before the last emission and the
  // end score (+600 each) make it win. Tag 1 cannot be re-entered (0 → 1 is forbidden).
  const L = 6;
  const chain: Case = {
    E: Float64Array.from({ length: L * K }, (_, i) => (i % K === 0 ? 0 : i < (L - 1) * K ? -150 : 600)), A: Float64Array.of(0, -Infinity, 0, 0),
    s: new Float64Array(K), e: Float64Array.of(0, 600), d: { B: 1, T: L, K, lengths: Int32Array.of(L) },
  };
  const m = crfForwardBackward(chain.E, chain.A, chain.s, chain.e, chain.d);
  compareToBruteForce(chain, m, 'chain');
  assert.ok(m.unary[(L - 1) * K + 1] > 0.999, `p(y_5 = 1) = ${m.unary[(L - 1) * K + 1]}`);
});

test('sentences with no allowed path: log Z = −∞ and zero marginals, neighbours unaffected', () => {
  const K = 3, T = 4;
  for (const fb of [crfForwardBackward, crfForwardBackwardLogSpace]) {
    // Start only in 0, 0 → 1 → 2 the only transitions, end only in 2: exactly one path of length 3,
    // none of length 1, 2 or 4.
    const A = new Float64Array(K * K).fill(-Infinity);
    A[0 * K + 1] = 0.5; A[1 * K + 2] = -0.25;
    const s = Float64Array.of(0.1, -Infinity, -Infinity), e = Float64Array.of(-Infinity, -Infinity, 0.3);
    const lengths = Int32Array.of(3, 1, 2, 4);
    const B = lengths.length;
    const E = normal(B * T * K, 1);
    const c: Case = { E, A, s, e, d: { B, T, K, lengths } };
    const m = fb(E, A, s, e, c.d);
    assertClose([m.logZ[0]], [0.1 + E[0] + 0.5 + E[K + 1] - 0.25 + E[2 * K + 2] + 0.3], 1e-12, 1e-12, `${fb.name} logZ of the one path`);
    for (const b of [1, 2, 3]) {
      assert.is(m.logZ[b], -Infinity, `${fb.name} logZ[${b}]`);
      assert.ok(m.unary.subarray(b * T * K, (b + 1) * T * K).every((v) => v === 0), `${fb.name} unary[${b}] zero`);
      assert.ok(m.pairwise.subarray(b * K * K, (b + 1) * K * K).every((v) => v === 0), `${fb.name} pairwise[${b}] zero`);
    }
    compareToBruteForce(c, m, fb.name);
    // A row of −∞ emissions, and every transition forbidden (only length-1 sentences survive).
    const E2 = normal(2 * T * K, 1);
    E2.fill(-Infinity, (T + 1) * K, (T + 2) * K);
    const none = fb(E2, new Float64Array(K * K).fill(-Infinity), new Float64Array(K), new Float64Array(K), { B: 2, T, K, lengths: Int32Array.of(1, 3) });
    assert.ok(Number.isFinite(none.logZ[0]));
    assert.is(none.logZ[1], -Infinity);
    assert.ok(none.unary.subarray(T * K).every((v) => v === 0) && none.pairwise.every((v) => v === 0), `${fb.name} no-path marginals`);
    const rowOut = fb(E2, new Float64Array(K * K), new Float64Array(K), new Float64Array(K), { B: 2, T, K, lengths: Int32Array.of(T, T) });
    assert.is(rowOut.logZ[1], -Infinity);
    assert.ok(Number.isFinite(rowOut.logZ[0]));
  }
});

test('float32 storage: float32 outputs, float64 arithmetic inside', () => {
  const c = randomCase(5, 12, 6, { constrained: true, boundary: true });
  const E = Float32Array.from(c.E), A = Float32Array.from(c.A), s = Float32Array.from(c.s), e = Float32Array.from(c.e);
  const got = crfForwardBackward(E, A, s, e, c.d);
  assert.ok(got.unary instanceof Float32Array && got.pairwise instanceof Float32Array && got.logZ instanceof Float64Array);
  const want = crfForwardBackward(Float64Array.from(E), Float64Array.from(A), Float64Array.from(s), Float64Array.from(e), c.d);
  assertRel(got.logZ, want.logZ, 1e-15, 'logZ is computed in float64');
  assertClose(got.unary, want.unary, 1e-7, 1e-7, 'unary');
  assertClose(got.pairwise, want.pairwise, 1e-6, 1e-7, 'pairwise');
});

test('lengths are validated with the same message', () => {
  const K = 2, T = 3, z = new Float64Array(K);
  for (const fb of [crfForwardBackward, crfForwardBackwardLogSpace]) {
    assertThrowsWith(() => fb(new Float64Array(2 * T * K), new Float64Array(K * K), z, z, { B: 2, T, K, lengths: Int32Array.of(3, 0) }), 'crfForwardBackward: sentence 1 has length 0, must lie in [1, 3]');
    assertThrowsWith(() => fb(new Float64Array(T * K), new Float64Array(K * K), z, z, { B: 1, T, K, lengths: Int32Array.of(4) }), 'length 4');
  }
});

test('viterbi and crfPathScore: best path equals the maximum over enumerated path scores', () => {
  for (const constrained of [false, true]) {
    for (let K = 1; K <= 4; K++) {
      const c = randomCase(5, 5, K, { constrained, boundary: true });
      const { B, T } = c.d;
      const v = viterbi(c.E, c.A, c.s, c.e, c.d);
      const score = crfPathScore(c.E, c.A, c.s, c.e, v.tags, c.d);
      for (let b = 0; b < B; b++) {
        const L = c.d.lengths[b];
        let paths: number[][] = [[]];
        for (let t = 0; t < L; t++) paths = paths.flatMap((p) => Array.from({ length: K }, (_, k) => [...p, k]));
        const tagsOf = (p: number[]) => { const tg = new Int32Array(B * T); tg.set(p, b * T); return tg; };
        let best = -Infinity;
        for (const p of paths) best = Math.max(best, crfPathScore(c.E, c.A, c.s, c.e, tagsOf(p), c.d)[b]);
        // (Viterbi and crfPathScore add the same terms in different orders: equal to rounding.)
        assertWithin([v.scores[b]], [best], () => 1e-12 * Math.max(1, Math.abs(best)), `viterbi score ${b}`);
        if (best > -Infinity) assertWithin([score[b]], [best], () => 1e-12 * Math.max(1, Math.abs(best)), `path score of the Viterbi path ${b}`);
        assert.ok(v.tags.subarray(b * T + L, (b + 1) * T).every((x) => x === -1));
      }
    }
  }
});

test.run();
