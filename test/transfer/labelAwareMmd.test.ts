/**
 * Label-aware MMD (paper E6–E7, lib/transfer/labelAwareMmd.ts): its gradient by finite differences,
 * its value against per-label gaussianMmd computed independently, the one-label case against the
 * plain MMD, and the bookkeeping (absent labels, padding, exclusions, the per-label cap).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { type Variable, constant, parameter, backward } from '../../lib/autodiff/index.ts';
import { gaussianMmd } from '../../lib/ops/index.ts';
import { labelAwareMmd, globalMmd, domainFeatures, type DomainFeatures } from '../../lib/transfer/index.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose } from '../helpers/assert.ts';

const rng = new Rng(2024);

/** The rows of `t` [N, D] whose label is `y` (or every real row for null), as a new [n, D] tensor. */
function rowsOf(t: Tensor, labels: Int32Array, y: number | null): Tensor {
  const D = t.shape[1];
  const keep: number[] = [];
  labels.forEach((l, i) => { if (l >= 0 && (y === null || l === y)) keep.push(i); });
  const out = new Float64Array(keep.length * D);
  keep.forEach((r, k) => { for (let d = 0; d < D; d++) out[k * D + d] = t.get(r, d); });
  return new Tensor(out, [keep.length, D]);
}

function features(rows: Tensor | Variable, labels: number[]): DomainFeatures {
  return { rows: rows instanceof Tensor ? constant(rows) : rows, labels: Int32Array.from(labels) };
}

// Three labels. Source: label 2 absent; target: label 1 absent... except in `labelsT2`.
const labelsS = [0, 1, 0, -1, 1, 0, 2, -1];
const labelsT = [1, 0, 2, 0, -1, -1, 2];

test('finite differences w.r.t. source and target rows (small bandwidths, and the default 19 at scale 0.5)', () => {
  const S = randomInput(rng, [labelsS.length, 3]), T = randomInput(rng, [labelsT.length, 3], 1, 0.3);
  const ls = Int32Array.from(labelsS), lt = Int32Array.from(labelsT);
  const r1 = gradCheck((s, t) => labelAwareMmd({ rows: s, labels: ls }, { rows: t, labels: lt }, { numLabels: 3, mu: 0.7, bandwidths: [0.5, 1, 5] }).loss, [S, T]);
  assert.is(r1.checked, (labelsS.length + labelsT.length) * 3);
  gradCheck((s, t) => labelAwareMmd({ rows: s, labels: ls }, { rows: t, labels: lt }, { numLabels: 3, mu: 0.7, bandwidths: [0.5, 1, 5], unbiased: true }).loss, [S, T]);
  gradCheck(
    (s, t) => labelAwareMmd({ rows: s, labels: ls }, { rows: t, labels: lt }, { numLabels: 3 }).loss,
    [randomInput(rng, [labelsS.length, 6], 0.5), randomInput(rng, [labelsT.length, 6], 0.5, 0.2)],
  );
  // The global baseline too.
  gradCheck((s, t) => globalMmd({ rows: s, labels: ls }, { rows: t, labels: lt }, { mu: 0.3, bandwidths: [0.5, 1, 5] }).loss, [S, T]);
});

test('finite differences through domainFeatures (h [B, T, D] → rows), padding rows get zero gradient', () => {
  // B = 2 sentences of T = 3 positions, the second one of length 2.
  const tagsS = Int32Array.from([0, 1, 2, 1, 0, -1]), tagsT = Int32Array.from([2, 0, 1, 1, 0, -1]);
  gradCheck((hs, ht) => labelAwareMmd(domainFeatures(hs, tagsS), domainFeatures(ht, tagsT), { numLabels: 3, bandwidths: [0.5, 1, 5] }).loss,
    [randomInput(rng, [2, 3, 4]), randomInput(rng, [2, 3, 4], 1, 0.5)]);
  const hs = parameter(randomInput(rng, [2, 3, 4])), ht = parameter(randomInput(rng, [2, 3, 4]));
  backward(labelAwareMmd(domainFeatures(hs, tagsS), domainFeatures(ht, tagsT), { numLabels: 3, bandwidths: [0.5, 1, 5] }).loss);
  for (const h of [hs, ht]) {
    const g = h.grad!.values();
    assert.equal(Array.from(g.subarray(5 * 4, 6 * 4)), [0, 0, 0, 0], 'padding row gets no gradient');
    assert.ok(g.subarray(0, 5 * 4).some((x) => x !== 0), 'real rows do');
  }
});

test('one label: La-MMD / μ equals the plain MMD over the same rows, and globalMmd / μ_global', () => {
  const S = randomInput(rng, [7, 4], 0.8), T = randomInput(rng, [6, 4], 0.8, 1.5);
  const ls = [0, 0, -1, 0, 0, 0, -1], lt = [0, -1, 0, 0, 0, -1];
  for (const bandwidths of [undefined, [0.5, 1, 5]]) {
    for (const unbiased of [false, true]) {
      const fs = features(S, ls), ft = features(T, lt);
      const mu = 0.37, muGlobal = 0.11;
      const la = labelAwareMmd(fs, ft, { numLabels: 1, mu, bandwidths, unbiased });
      const plain = gaussianMmd(rowsOf(S, fs.labels, null), rowsOf(T, ft.labels, null), { bandwidths, unbiased }).value.item();
      assert.ok(plain > 1e-3, 'a non-trivial value');
      assertClose([la.loss.value.item() / mu], [plain], 1e-12, 1e-10, `La-MMD unbiased=${unbiased}`);
      const g = globalMmd(fs, ft, { mu: muGlobal, bandwidths, unbiased });
      assertClose([g.loss.value.item() / muGlobal], [plain], 1e-12, 1e-10, `global unbiased=${unbiased}`);
      assert.equal(la.terms.map((t) => [t.label, t.sourceCount, t.targetCount]), [[0, 5, 4]]);
      assert.equal(g.terms.map((t) => [t.label, t.sourceCount, t.targetCount]), [[-1, 5, 4]]);
      assertClose([la.terms[0].value, g.terms[0].value], [plain, plain], 1e-12, 1e-10);
    }
  }
  // With several labels the global MMD ignores them: it is the plain MMD over all real rows.
  const fs = features(S, [0, 1, -1, 2, 0, 1, -1]), ft = features(T, [2, -1, 0, 1, 1, -1]);
  assertClose([globalMmd(fs, ft, { mu: 1 }).loss.value.item()], [gaussianMmd(rowsOf(S, fs.labels, null), rowsOf(T, ft.labels, null)).value.item()], 1e-12, 1e-10);
});

test('value: Σ_y μ·MMD²(R^s_y, R^t_y) over the labels present on both sides; absent labels appear in no term', () => {
  // Labels 0..4: 0, 1, 3 on both sides; 2 only in the source; 4 only in the target.
  const ls = [0, 1, 2, 0, -1, 3, 1, 0, 2, -1, -1];
  const lt = [4, 0, 3, 3, 1, 0, -1, 4, 1];
  const S = randomInput(rng, [ls.length, 5], 0.7), T = randomInput(rng, [lt.length, 5], 0.7, 0.2);
  const fs = features(S, ls), ft = features(T, lt);
  for (const unbiased of [false, true]) {
    const mu = 0.05;
    const r = labelAwareMmd(fs, ft, { numLabels: 5, mu, unbiased });
    // Label 3 has one source row: enough for the biased estimate only.
    const expectedLabels = unbiased ? [0, 1] : [0, 1, 3];
    assert.equal(r.terms.map((t) => t.label), expectedLabels);
    let expected = 0;
    for (const term of r.terms) {
      const y = term.label;
      const P = rowsOf(S, fs.labels, y), Q = rowsOf(T, ft.labels, y);
      const v = gaussianMmd(P, Q, { unbiased }).value.item();
      assert.is(term.sourceCount, P.shape[0]);
      assert.is(term.targetCount, Q.shape[0]);
      assert.is(term.subsampled, false);
      assertClose([term.value], [v], 1e-12, 1e-10, `label ${y}`);
      expected += mu * v;
    }
    assertClose([r.loss.value.item()], [expected], 1e-12, 1e-10, `unbiased=${unbiased}`);
  }
  // Default μ = 0.02 (the authors' code).
  const d = labelAwareMmd(fs, ft, { numLabels: 5 });
  assertClose([d.loss.value.item()], [0.02 * d.terms.reduce((s, t) => s + t.value, 0)], 1e-12, 1e-10);
  // Labels beyond numLabels are not looked at.
  assert.equal(labelAwareMmd(fs, ft, { numLabels: 2 }).terms.map((t) => t.label), [0, 1]);
});

test('no label on both sides: a constant 0 with no terms', () => {
  const fs = features(randomInput(rng, [3, 2]), [0, 0, -1]), ft = features(randomInput(rng, [2, 2]), [1, -1]);
  const r = labelAwareMmd(fs, ft, { numLabels: 2 });
  assert.is(r.terms.length, 0);
  assert.is(r.loss.value.item(), 0);
  assert.is(r.loss.requiresGrad, false);
  const g = globalMmd(features(randomInput(rng, [2, 2]), [-1, -1]), ft, {});
  assert.is(g.terms.length, 0);
  assert.is(g.loss.value.item(), 0);
});

test('padding rows (−1) never count: changing them changes nothing', () => {
  const ls = [0, -1, 1, 0, -1], lt = [-1, 1, 0, 0];
  const S = randomInput(rng, [5, 3]), T = randomInput(rng, [4, 3]);
  const before = labelAwareMmd(features(S, ls), features(T, lt), { numLabels: 2 });
  const S2 = S.clone(), T2 = T.clone();
  for (const [t, r] of [[S2, 1], [S2, 4], [T2, 0]] as const) for (let d = 0; d < 3; d++) t.set(100 + 37 * d, r, d);
  const after = labelAwareMmd(features(S2, ls), features(T2, lt), { numLabels: 2 });
  assert.is(after.loss.value.item(), before.loss.value.item());
  assert.equal(after.terms, before.terms);
  assert.equal(before.terms.map((t) => [t.label, t.sourceCount, t.targetCount]), [[0, 2, 2], [1, 1, 1]]);
  // And the global MMD counts real tokens only.
  assert.equal(globalMmd(features(S, ls), features(T, lt), {}).terms.map((t) => [t.sourceCount, t.targetCount]), [[3, 3]]);
});

test('exclude leaves a label out of the sum', () => {
  const ls = [0, 1, 2, 0, 1, 2, 0], lt = [2, 1, 0, 0, 1, 2];
  const S = randomInput(rng, [7, 3]), T = randomInput(rng, [6, 3], 1, 0.5);
  const fs = features(S, ls), ft = features(T, lt);
  const full = labelAwareMmd(fs, ft, { numLabels: 3, mu: 1 });
  assert.equal(full.terms.map((t) => t.label), [0, 1, 2]);
  const noO = labelAwareMmd(fs, ft, { numLabels: 3, mu: 1, exclude: new Set([0]) });
  assert.equal(noO.terms.map((t) => t.label), [1, 2]);
  assertClose([noO.loss.value.item()], [full.loss.value.item() - full.terms[0].value], 1e-12, 1e-10);
  const only1 = labelAwareMmd(fs, ft, { numLabels: 3, mu: 1, exclude: new Set([0, 2]) });
  assertClose([only1.loss.value.item()], [full.terms[1].value], 1e-12, 1e-10);
});

test('maxPerLabel caps each side of each label, reports it, and is reproducible from the seed', () => {
  // Label 0: 9 source / 6 target rows; label 1: 2 / 3 rows.
  const ls = [0, 0, 1, 0, 0, 0, 0, -1, 0, 1, 0, 0];
  const lt = [0, 1, 0, 0, 1, 0, 0, 1, 0, -1];
  const S = randomInput(rng, [ls.length, 3]), T = randomInput(rng, [lt.length, 3], 1, 0.2);
  const fs = features(S, ls), ft = features(T, lt);
  const capped = labelAwareMmd(fs, ft, { numLabels: 2, maxPerLabel: 3, rng: new Rng(9) });
  assert.equal(capped.terms.map((t) => [t.label, t.sourceCount, t.targetCount, t.subsampled]), [[0, 3, 3, true], [1, 2, 3, false]]);
  const again = labelAwareMmd(fs, ft, { numLabels: 2, maxPerLabel: 3, rng: new Rng(9) });
  assert.is(again.loss.value.item(), capped.loss.value.item());
  // An uncapped label's term is the exact one.
  const exact = labelAwareMmd(fs, ft, { numLabels: 2 });
  assert.equal(exact.terms.map((t) => [t.label, t.sourceCount, t.targetCount, t.subsampled]), [[0, 9, 6, false], [1, 2, 3, false]]);
  assert.is(capped.terms[1].value, exact.terms[1].value);
  // A capped term is the MMD of some 3-row subsets: its value differs from the full one for most seeds.
  const values = new Set([1, 2, 3, 4, 5, 6].map((s) => labelAwareMmd(fs, ft, { numLabels: 2, maxPerLabel: 3, rng: new Rng(s) }).terms[0].value));
  assert.ok(values.size > 1, 'the sample follows the seed');
  // A cap no label reaches changes nothing.
  const loose = labelAwareMmd(fs, ft, { numLabels: 2, maxPerLabel: 9, rng: new Rng(9) });
  assert.is(loose.loss.value.item(), exact.loss.value.item());
  assert.ok(loose.terms.every((t) => !t.subsampled));
});

test.run();
