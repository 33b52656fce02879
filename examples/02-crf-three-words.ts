/**
 * 02 — A linear-chain CRF on a three-word sentence, against brute force.
 *
 *   npx tsx examples/02-crf-three-words.ts
 *
 * Tags O, B-Disease, I-Disease for "breast cancer spreads". A path's score is
 *   s(y) = start[y₀] + Σ_t E[t, y_t] + Σ_t A[y_{t−1}, y_t] + end[y₂]          (paper E2–E3)
 * and p(y | x) = exp s(y) / Z. With 3 tags and 3 words there are 3³ = 27 paths, few enough to list:
 * we compute Z, the best path and each word's tag marginals by enumeration, then by the
 * forward-backward and Viterbi kernels ladtl trains with (which never enumerate: O(T·K²)), and
 * finally the NLL of the gold path and its gradient with respect to the emissions (= marginals − gold
 * indicators).
 */
import { backward, parameter } from '../lib/autodiff/index.ts';
import { getBackend } from '../lib/backend/index.ts';
import * as ops from '../lib/ops/index.ts';
import { tensor } from '../lib/tensor/index.ts';

const words = ['breast', 'cancer', 'spreads'];
const tags = ['O', 'B-Disease', 'I-Disease'];
const K = 3, T = 3;
// Emission scores E[t, k] (what the Bi-LSTM would produce), transitions A[i, j], start and end.
const E = [1.0, 2.2, 0.3, /* cancer */ 0.4, 0.9, 2.0, /* spreads */ 2.5, 0.1, 0.6];
// I-Disease after O is forbidden in BIO: a score of −∞ removes every path that uses it.
const A = [0.5, 0.2, -Infinity, /* from B */ 0.1, -0.3, 0.8, /* from I */ 0.3, -0.1, 0.4];
const start = [0.2, 0.1, -Infinity], end = [0.1, 0.0, 0.2];

function score(y: number[]): number {
  let s = start[y[0]] + end[y[T - 1]];
  for (let t = 0; t < T; t++) s += E[t * K + y[t]] + (t > 0 ? A[y[t - 1] * K + y[t]] : 0);
  return s;
}

// Brute force: all 27 paths.
const paths: number[][] = [];
for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let c = 0; c < K; c++) paths.push([a, b, c]);
const scores = paths.map(score);
const Z = scores.reduce((acc, s) => acc + Math.exp(s), 0);
const best = paths[scores.indexOf(Math.max(...scores))];
const allowed = scores.filter((s) => s > -Infinity).length;
console.log(`${paths.length} paths, ${allowed} allowed by the BIO constraints; log Z = ${Math.log(Z).toFixed(6)}`);
console.log('top paths:');
paths.map((p, i) => ({ p, s: scores[i] })).sort((u, v) => v.s - u.s).slice(0, 4)
  .forEach(({ p, s }) => console.log(`  ${p.map((k) => tags[k].padEnd(9)).join(' ')}  score ${s.toFixed(3)}  p = ${(Math.exp(s) / Z).toFixed(4)}`));
const marg = Array.from({ length: T * K }, (_, i) => paths.reduce((acc, p, j) => acc + (p[Math.floor(i / K)] === i % K ? Math.exp(scores[j]) / Z : 0), 0));

// The kernels: forward-backward (log Z, marginals) and Viterbi.
const dims = { B: 1, T, K, lengths: Int32Array.of(T) };
const f64 = (a: number[]) => Float64Array.from(a);
const fb = getBackend().crfForwardBackward(f64(E), f64(A), f64(start), f64(end), dims);
const vit = getBackend().viterbi(f64(E), f64(A), f64(start), f64(end), dims);
console.log(`\nforward-backward: log Z = ${fb.logZ[0].toFixed(6)} (brute force ${Math.log(Z).toFixed(6)})`);
console.log(`Viterbi: ${Array.from(vit.tags, (k) => tags[k]).join(' ')}  (brute force ${best.map((k) => tags[k]).join(' ')})`);
console.log('\nmarginals p(y_t = k):      ' + tags.map((t) => t.padStart(10)).join(''));
words.forEach((w, t) => console.log(`  ${w.padEnd(8)} kernel      ${tags.map((_, k) => fb.unary[t * K + k].toFixed(4).padStart(10)).join('')}`
  + `\n  ${''.padEnd(8)} brute force ${tags.map((_, k) => marg[t * K + k].toFixed(4).padStart(10)).join('')}`));

// Training signal: NLL of the gold path "B-Disease I-Disease O" and ∂NLL/∂E = marginals − gold.
const gold = Int32Array.of(1, 2, 0);
const Ev = parameter(tensor(E, [1, T, K], 'float64'), 'E');
const nll = ops.crfNll(Ev, tensor(A, [K, K], 'float64'), tensor(start, [K], 'float64'), tensor(end, [K], 'float64'), gold, Int32Array.of(T));
backward(ops.sum(nll));
console.log(`\nNLL of the gold path = log Z − s(gold) = ${nll.value.item().toFixed(6)} (by hand ${(Math.log(Z) - score([1, 2, 0])).toFixed(6)})`);
const g = Ev.grad!.values();
words.forEach((w, t) => console.log(`  ∂NLL/∂E[${w}] = ${tags.map((_, k) => g[t * K + k].toFixed(4).padStart(8)).join('')}   (marginal − [gold = k])`));
