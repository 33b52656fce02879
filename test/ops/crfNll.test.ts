/**
 * The CRF against brute force: on tiny inputs every tag path is enumerated, so log Z, the NLL, the
 * marginals (= gradients) and the Viterbi path have exact reference values. With and without BIO-style
 * constraints, with padded batches. Plus finite differences of the fused op.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, tensor, zeros } from '../../lib/tensor/index.ts';
import { parameter, backward } from '../../lib/autodiff/index.ts';
import { crfNll, constrainedScores, sum, type CrfConstraints } from '../../lib/ops/index.ts';
import { viterbi } from '../../kernels/cpu/index.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(31);

/** Every tag path of length L over K tags. */
function allPaths(L: number, K: number): number[][] {
  let paths: number[][] = [[]];
  for (let t = 0; t < L; t++) paths = paths.flatMap((p) => Array.from({ length: K }, (_, k) => [...p, k]));
  return paths;
}

function pathScore(E: number[], A: number[], s: number[], e: number[], K: number, path: number[]): number {
  let v = s[path[0]] + e[path[path.length - 1]];
  path.forEach((y, t) => { v += E[t * K + y]; if (t > 0) v += A[path[t - 1] * K + y]; });
  return v;
}

/** Reference quantities for one sentence by enumeration. */
function bruteForce(E: number[], A: number[], s: number[], e: number[], K: number, L: number) {
  const paths = allPaths(L, K);
  const scores = paths.map((p) => pathScore(E, A, s, e, K, p));
  const max = Math.max(...scores);
  const logZ = max === -Infinity ? -Infinity : max + Math.log(scores.reduce((acc, v) => acc + Math.exp(v - max), 0));
  const unary = new Array(L * K).fill(0), pairwise = new Array(K * K).fill(0);
  paths.forEach((p, i) => {
    const prob = Math.exp(scores[i] - logZ);
    p.forEach((y, t) => { unary[t * K + y] += prob; if (t > 0) pairwise[p[t - 1] * K + y] += prob; });
  });
  const best = paths[scores.indexOf(max)];
  return { logZ, unary, pairwise, best, bestScore: max };
}

// Tags for a 2-type BIO set: 0 O, 1 B-X, 2 I-X, 3 B-Y, 4 I-Y.
function bioConstraints(): CrfConstraints {
  const K = 5;
  const transitions = new Uint8Array(K * K).fill(1);
  const start = new Uint8Array(K).fill(1), end = new Uint8Array(K).fill(1);
  for (let from = 0; from < K; from++) {
    for (const [to, ok] of [[2, new Set([1, 2])], [4, new Set([3, 4])]] as const) {
      if (!ok.has(from)) transitions[from * K + to] = 0;
    }
  }
  start[2] = 0; start[4] = 0;
  return { transitions, start, end };
}

function randomCase(B: number, T: number, K: number) {
  const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
  const E = randomInput(rng, [B, T, K]), A = randomInput(rng, [K, K]), s = randomInput(rng, [K]), e = randomInput(rng, [K]);
  const tags = new Int32Array(B * T);
  for (let i = 0; i < tags.length; i++) tags[i] = rng.int(K);
  return { lengths, E, A, s, e, tags };
}

for (const constrained of [false, true]) {
  test(`NLL, gradients (marginals) and Viterbi equal brute force${constrained ? ' under BIO constraints' : ''}`, () => {
    const K = constrained ? 5 : 3, T = 4, B = 3;
    for (let trial = 0; trial < 4; trial++) {
      const c = randomCase(B, T, K);
      const cons = constrained ? bioConstraints() : undefined;
      if (constrained) {
        // Gold paths must be valid: use O/B tags only (always allowed).
        for (let i = 0; i < c.tags.length; i++) c.tags[i] = [0, 1, 3][c.tags[i] % 3];
      }
      const pE = parameter(c.E), pA = parameter(c.A), ps = parameter(c.s), pe = parameter(c.e);
      const nll = crfNll(pE, pA, ps, pe, c.tags, c.lengths, cons);
      backward(sum(nll));
      const eff = constrainedScores(c.A, c.s, c.e, cons);
      const A = Array.from(eff.A), s = Array.from(eff.s), e = Array.from(eff.e);
      const dA = new Array(K * K).fill(0), ds = new Array(K).fill(0), de = new Array(K).fill(0);
      const vit = viterbi(c.E.values(), eff.A, eff.s, eff.e, { B, T, K, lengths: c.lengths });
      for (let b = 0; b < B; b++) {
        const L = c.lengths[b];
        const E = Array.from(c.E.values().subarray(b * T * K, b * T * K + L * K));
        const ref = bruteForce(E, A, s, e, K, L);
        const gold = Array.from(c.tags.subarray(b * T, b * T + L));
        assertClose([nll.value.get(b)], [ref.logZ - pathScore(E, A, s, e, K, gold)], 1e-9, 1e-9, `nll[${b}]`);
        // ∂nll/∂E = marginals − one-hot(gold); padding positions get nothing.
        const expectedE = ref.unary.map((p, i) => p - (gold[Math.floor(i / K)] === i % K ? 1 : 0));
        assertClose(Array.from(pE.grad!.values().subarray(b * T * K, b * T * K + L * K)), expectedE, 1e-9, 1e-9, `dE[${b}]`);
        assertClose(Array.from(pE.grad!.values().subarray(b * T * K + L * K, (b + 1) * T * K)), new Array((T - L) * K).fill(0), 0, 0, 'padding');
        ref.pairwise.forEach((p, i) => { dA[i] += p; });
        gold.forEach((y, t) => { if (t > 0) dA[gold[t - 1] * K + y] -= 1; });
        for (let k = 0; k < K; k++) { ds[k] += ref.unary[k]; de[k] += ref.unary[(L - 1) * K + k]; }
        ds[gold[0]] -= 1; de[gold[L - 1]] -= 1;
        assert.equal(Array.from(vit.tags.subarray(b * T, b * T + L)), ref.best, `viterbi path ${b}`);
        assertClose([vit.scores[b]], [ref.bestScore], 1e-9, 1e-9, 'viterbi score');
        assert.ok(vit.tags.subarray(b * T + L, (b + 1) * T).every((v) => v === -1));
      }
      assertClose(pA.grad!.toArray(), dA, 1e-9, 1e-9, 'dA');
      assertClose(ps.grad!.toArray(), ds, 1e-9, 1e-9, 'dstart');
      assertClose(pe.grad!.toArray(), de, 1e-9, 1e-9, 'dend');
      if (constrained) {
        // Forbidden transitions carry no probability and the decoder never uses them.
        const cons2 = bioConstraints();
        for (let i = 0; i < K * K; i++) if (!cons2.transitions[i]) assert.ok(Math.abs(pA.grad!.data[i]) === 0);
      }
    }
  });
}

test('length-1 sentences and a single tag', () => {
  const E = tensor([0.3, -1.2], [1, 1, 2], 'float64');
  const zero = zeros([2], 'float64');
  const nll = crfNll(E, zeros([2, 2], 'float64'), zero, zero, Int32Array.from([1]), Int32Array.from([1]));
  assertClose(nll.value.toArray(), [Math.log(Math.exp(0.3) + Math.exp(-1.2)) + 1.2], 1e-12);
  const one = crfNll(tensor([5, 7], [1, 2, 1], 'float64'), zeros([1, 1], 'float64'), zeros([1], 'float64'), zeros([1], 'float64'), Int32Array.from([0, 0]), Int32Array.from([2]));
  assertClose(one.value.toArray(), [0], 1e-12);
});

test('finite differences of the fused op, with padding and constraints', () => {
  const c = randomCase(3, 4, 5);
  for (let i = 0; i < c.tags.length; i++) c.tags[i] = [0, 1, 3][c.tags[i] % 3];
  gradCheck((E, A, s, e) => crfNll(E, A, s, e, c.tags, c.lengths), [c.E, c.A, c.s, c.e]);
  gradCheck((E, A, s, e) => crfNll(E, A, s, e, c.tags, c.lengths, bioConstraints()), [c.E, c.A, c.s, c.e]);
});

test('stable for large scores', () => {
  const E = tensor([800, -800, 900, 100, -50, 850], [1, 3, 2], 'float64');
  const nll = crfNll(E, tensor([500, -500, 0, 700], [2, 2], 'float64'), zeros([2], 'float64'), zeros([2], 'float64'), Int32Array.from([0, 0, 1]), Int32Array.from([3]));
  assert.ok(Number.isFinite(nll.value.item()) && nll.value.item() >= 0);
});

test('bad shapes, lengths and tag ids are refused', () => {
  const E = zeros([2, 3, 4]);
  const A = zeros([4, 4]), s = zeros([4]);
  assertThrowsWith(() => crfNll(E, zeros([3, 3]), s, s, new Int32Array(6), Int32Array.from([3, 3])), 'crfNll', '[2, 3, 4]', '[3, 3]');
  assertThrowsWith(() => crfNll(E, A, s, s, new Int32Array(6), Int32Array.from([3])), 'crfNll', '1 lengths');
  assertThrowsWith(() => crfNll(E, A, s, s, Int32Array.from([0, 0, 9, 0, 0, 0]), Int32Array.from([3, 3])), 'tag id 9', 'sentence 0, position 2');
  assertThrowsWith(() => crfNll(E, A, s, s, new Int32Array(6), Int32Array.from([3, 0])), 'length 0');
});

test.run();
