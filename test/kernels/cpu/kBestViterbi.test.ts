/**
 * k-best Viterbi against brute-force enumeration of every tag path: the same k best paths in the
 * same order with the same scores, on random ragged batches with and without −∞ constraints,
 * k from 1 to past the number of allowed paths; k = 1 is Viterbi; BIO constraints hold on every
 * returned path; and the probabilities of all paths (k = K^L) sum to 1 with log Z.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kBestViterbi } from '../../../kernels/cpu/kBestViterbi.ts';
import { crfForwardBackward, viterbi, type CrfDims } from '../../../kernels/cpu/crf.ts';
import { schemeConstraints } from '../../../lib/nn/index.ts';
import { findTagProblem } from '../../../lib/data/index.ts';
import { Rng } from '../../../lib/tensor/index.ts';

const rng = new Rng(77);
const normal = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal(0, 2));

interface Case { E: Float64Array; A: Float64Array; s: Float64Array; e: Float64Array; d: CrfDims }

function randomCase(B: number, T: number, K: number, constrained: boolean): Case {
  const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
  const E = normal(B * T * K), A = normal(K * K), s = normal(K), e = normal(K);
  if (constrained) {
    for (let i = 0; i < K * K; i++) if (rng.uniform() < 0.35) A[i] = -Infinity;
    for (let k = 1; k < K; k++) { if (rng.uniform() < 0.3) s[k] = -Infinity; if (rng.uniform() < 0.3) e[k] = -Infinity; }
  }
  return { E, A, s, e, d: { B, T, K, lengths } };
}

/** Every path of sentence b with a finite score, best first. */
function enumerate(c: Case, b: number): { path: number[]; score: number }[] {
  const { T, K } = c.d, L = c.d.lengths[b];
  let paths: number[][] = [[]];
  for (let t = 0; t < L; t++) paths = paths.flatMap((p) => Array.from({ length: K }, (_, k) => [...p, k]));
  return paths.map((y) => {
    let v = c.s[y[0]] + c.e[y[L - 1]];
    y.forEach((k, t) => { v += c.E[(b * T + t) * K + k]; if (t > 0) v += c.A[y[t - 1] * K + k]; });
    return { path: y, score: v };
  }).filter((p) => p.score > -Infinity).sort((a, b2) => b2.score - a.score);
}

test('the k best paths equal brute force: order, tags and scores, K = 1..4, with and without constraints', () => {
  let compared = 0;
  for (let K = 1; K <= 4; K++) {
    for (const constrained of [false, true]) {
      const c = randomCase(5, 5, K, constrained);
      for (const k of [1, 2, 3, 7, 40, 2000]) {
        const got = kBestViterbi(c.E, c.A, c.s, c.e, c.d, k);
        for (let b = 0; b < c.d.B; b++) {
          const L = c.d.lengths[b], want = enumerate(c, b).slice(0, k);
          assert.is(got.counts[b], want.length, `K=${K} k=${k} b=${b}: paths found`);
          want.forEach((w, r) => {
            const row = (b * k + r) * c.d.T;
            assert.equal(Array.from(got.paths.subarray(row, row + L)), w.path, `K=${K} k=${k} b=${b} rank ${r}`);
            assert.ok(Array.from(got.paths.subarray(row + L, row + c.d.T)).every((v) => v === -1), 'padding is -1');
            assert.ok(Math.abs(got.scores[b * k + r] - w.score) <= 1e-12 * Math.max(1, Math.abs(w.score)), `score K=${K} k=${k} b=${b} rank ${r}`);
            compared++;
          });
          for (let r = want.length; r < k; r++) assert.is(got.scores[b * k + r], -Infinity);
        }
      }
    }
  }
  assert.ok(compared > 1000, `${compared} paths compared`);
});

test('k = 1 is Viterbi, at the paper size 15×40×7', () => {
  const c = randomCase(15, 40, 7, true);
  const one = kBestViterbi(c.E, c.A, c.s, c.e, c.d, 1), v = viterbi(c.E, c.A, c.s, c.e, c.d);
  assert.equal(Array.from(one.paths), Array.from(v.tags));
  assert.equal(Array.from(one.scores), Array.from(v.scores));
});

test('under BIO constraints every returned path is valid BIO, and all paths carry probability 1', () => {
  const tags = ['O', 'B-DIS', 'I-DIS', 'B-SYM', 'I-SYM'];
  const constraints = schemeConstraints(tags, 'BIO')!;
  const K = tags.length, T = 4;
  const c = randomCase(3, T, K, false);
  for (let i = 0; i < K * K; i++) if (!constraints.transitions[i]) c.A[i] = -Infinity;
  for (let k = 0; k < K; k++) { if (!constraints.start[k]) c.s[k] = -Infinity; if (!constraints.end[k]) c.e[k] = -Infinity; }
  const all = K ** T;
  const got = kBestViterbi(c.E, c.A, c.s, c.e, c.d, all);
  const { logZ } = crfForwardBackward(c.E, c.A, c.s, c.e, c.d, false);
  for (let b = 0; b < c.d.B; b++) {
    const L = c.d.lengths[b];
    assert.is(got.counts[b], enumerate(c, b).length);
    let total = 0;
    for (let r = 0; r < got.counts[b]; r++) {
      const row = (b * all + r) * T;
      const path = Array.from(got.paths.subarray(row, row + L), (id) => tags[id]);
      assert.is(findTagProblem(path, 'BIO'), null, `invalid BIO path ${path.join(' ')}`);
      total += Math.exp(got.scores[b * all + r] - logZ[b]);
    }
    assert.ok(Math.abs(total - 1) < 1e-12, `probabilities sum to ${total}`);
  }
});

test('bad k and bad lengths are refused', () => {
  const c = randomCase(1, 3, 2, false);
  assert.throws(() => kBestViterbi(c.E, c.A, c.s, c.e, c.d, 0), /k must be a positive integer/);
  assert.throws(() => kBestViterbi(c.E, c.A, c.s, c.e, { ...c.d, lengths: Int32Array.of(4) }, 2), /length 4/);
});

test.run();
