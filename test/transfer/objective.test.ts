/**
 * The La-DTL objective (paper E11, lib/transfer/objective.ts) on a tiny model cast to float64:
 * each method's loss against its terms and against an independent recomputation, and the gradient of
 * the whole objective w.r.t. every parameter against central differences (tight tolerance, the MMD
 * subsample re-drawn from the same seed for every evaluation).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/tensor/index.ts';
import { backward, noGrad } from '../../lib/autodiff/index.ts';
import { makeBatches, type Batch } from '../../lib/data/index.ts';
import { padTags, type TaggerConfig } from '../../lib/nn/index.ts';
import { buildVocab, encodeAll, decayedParameters } from '../../lib/train/index.ts';
import {
  TransferModel, METHODS, DEFAULT_HYPER, jointLoss, singleDomainLoss, regularizer, labelAwareMmd, globalMmd,
  domainFeatures, crfParameterTransfer, type TransferHyper, type MethodName,
} from '../../lib/transfer/index.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { assertClose } from '../helpers/assert.ts';

const sourceSentences = syntheticSentences(5, 1), targetSentences = syntheticSentences(4, 3);
const vocab = buildVocab([...sourceSentences, ...targetSentences], { minCount: 1, lowercase: false, normalizeDigits: false, chars: true, scheme: 'BIO' });
const sourceBatch: Batch = makeBatches(encodeAll(sourceSentences, vocab), 5, null)[0];
const targetBatch: Batch = makeBatches(encodeAll(targetSentences, vocab), 4, null)[0];

function config(char: 'cnn' | 'none', wordDim = 4, hidden = 3): TaggerConfig {
  return {
    encoder: { wordVocabularySize: vocab.words.size, wordDim, char, charVocabularySize: vocab.chars!.size, charDim: 2, charSize: 2, hidden, dropout: 0 },
    labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  };
}

/** A fresh model with every parameter cast to float64. */
function model64(char: 'cnn' | 'none' = 'cnn', seed = 1): TransferModel {
  const m = new TransferModel(config(char), new Rng(seed));
  for (const p of m.parameters()) p.value = p.value.cast('float64');
  return m;
}

const hyper: TransferHyper = { ...DEFAULT_HYPER, alpha: 0.3, mu: 0.5, muGlobal: 0.4, gammaW: 0.2, gammaB: 0.35, lambda: 0.01, bandwidths: [0.5, 1, 5] };

function loss(m: TransferModel, name: MethodName, h: TransferHyper = hyper, seed = 5) {
  return jointLoss(m, METHODS[name], sourceBatch, targetBatch, decayedParameters(m), h, new Rng(seed));
}

test('the batches are what the checks need: padding on both sides, several labels on both sides', () => {
  assert.ok(sourceBatch.tagIds.includes(-1) && targetBatch.tagIds.includes(-1));
  const both = [0, 1, 2, 3, 4].filter((y) => sourceBatch.tagIds.includes(y) && targetBatch.tagIds.includes(y));
  assert.ok(both.length >= 3, `labels on both sides: ${both}`);
  assert.ok(vocab.labels.tags.length === 5);
});

test("'mult': loss = α·L_s + (1 − α)·L_t + λ·Σ½‖θ‖², terms recomputed independently", () => {
  const m = model64();
  const r = loss(m, 'mult');
  assert.equal(Object.keys(r.terms).sort(), ['reg', 'source', 'target']);
  assert.is(r.loss.value.dtype, 'float64');
  const [ls, lt] = noGrad(() => [
    m.sourceCrf.nll(m.encoder.forward(sourceBatch, false), padTags(sourceBatch), sourceBatch.lengths).value.item(),
    m.targetCrf.nll(m.encoder.forward(targetBatch, false), padTags(targetBatch), targetBatch.lengths).value.item(),
  ]);
  assertClose([r.terms.source, r.terms.target], [ls, lt], 1e-12, 1e-12, 'CRF terms');
  let sq = 0;
  for (const [name, p] of m.namedParameters()) {
    if (name.endsWith('.table')) continue; // embedding tables are not decayed
    for (const x of p.value.values()) sq += x * x;
  }
  assertClose([r.terms.reg], [0.5 * hyper.lambda * sq], 1e-14, 1e-12, 'reg');
  assertClose([r.loss.value.item()], [hyper.alpha * ls + (1 - hyper.alpha) * lt + 0.5 * hyper.lambda * sq], 1e-12, 1e-12, 'loss');
  // λ = 0: no regulariser and no reg term.
  const r0 = loss(m, 'mult', { ...hyper, lambda: 0 });
  assert.equal(Object.keys(r0.terms).sort(), ['source', 'target']);
  assertClose([r0.loss.value.item()], [hyper.alpha * ls + (1 - hyper.alpha) * lt], 1e-12, 1e-12);
  // The default α = 0.2.
  const rd = loss(m, 'mult', { ...hyper, alpha: DEFAULT_HYPER.alpha, lambda: 0 });
  assertClose([rd.loss.value.item()], [0.2 * ls + 0.8 * lt], 1e-12, 1e-12);
});

test("'la-dtl' adds exactly terms.mmd + terms.pt to 'mult'; each ablation adds its own term only", () => {
  const m = model64();
  const mult = loss(m, 'mult'), full = loss(m, 'la-dtl'), laMmd = loss(m, 'la-mmd'), pt = loss(m, 'pt'), gm = loss(m, 'mmd');
  assert.equal(Object.keys(full.terms).sort(), ['mmd', 'pt', 'reg', 'source', 'target']);
  assert.equal(Object.keys(laMmd.terms).sort(), ['mmd', 'reg', 'source', 'target']);
  assert.equal(Object.keys(pt.terms).sort(), ['pt', 'reg', 'source', 'target']);
  assert.equal(Object.keys(gm.terms).sort(), ['mmd', 'reg', 'source', 'target']);
  assert.ok(full.terms.mmd > 1e-3 && full.terms.pt > 1e-3, `non-trivial terms ${JSON.stringify(full.terms)}`);
  const base = mult.loss.value.item();
  assertClose([full.loss.value.item()], [base + full.terms.mmd + full.terms.pt], 1e-12, 1e-12, 'la-dtl');
  assertClose([laMmd.loss.value.item()], [base + laMmd.terms.mmd], 1e-12, 1e-12, 'la-mmd');
  assertClose([pt.loss.value.item()], [base + pt.terms.pt], 1e-12, 1e-12, 'pt');
  assertClose([gm.loss.value.item()], [base + gm.terms.mmd], 1e-12, 1e-12, 'mmd');
  for (const r of [full, laMmd, pt, gm]) {
    assert.is(r.terms.source, mult.terms.source);
    assert.is(r.terms.target, mult.terms.target);
    assert.is(r.terms.reg, mult.terms.reg);
  }
  // The terms are the label-aware MMD (μ, every label of the target CRF), the global one (μ_global) and E10.
  const { fs, ft } = noGrad(() => ({
    fs: domainFeatures(m.encoder.forward(sourceBatch, false), sourceBatch.tagIds),
    ft: domainFeatures(m.encoder.forward(targetBatch, false), targetBatch.tagIds),
  }));
  const la = labelAwareMmd(fs, ft, { numLabels: 5, mu: hyper.mu, bandwidths: hyper.bandwidths });
  assert.ok(la.terms.length >= 3);
  assertClose([full.terms.mmd, laMmd.terms.mmd], [la.loss.value.item(), la.loss.value.item()], 1e-12, 1e-12, 'La-MMD term');
  assertClose([gm.terms.mmd], [globalMmd(fs, ft, { mu: hyper.muGlobal, bandwidths: hyper.bandwidths }).loss.value.item()], 1e-12, 1e-12, 'global MMD term');
  // The estimator setting reaches the MMD.
  const unbiased = loss(m, 'la-mmd', { ...hyper, unbiased: true });
  const laU = labelAwareMmd(fs, ft, { numLabels: 5, mu: hyper.mu, bandwidths: hyper.bandwidths, unbiased: true }).loss.value.item();
  assert.ok(Math.abs(laU - la.loss.value.item()) > 1e-6);
  assertClose([unbiased.terms.mmd], [laU], 1e-12, 1e-12, 'unbiased La-MMD term');
  const e10 = crfParameterTransfer(m.sourceCrf, m.targetCrf, { gammaW: hyper.gammaW, gammaB: hyper.gammaB }).value.item();
  assertClose([full.terms.pt, pt.terms.pt], [e10, e10], 1e-12, 1e-12, 'PT term');
});

test('singleDomainLoss: one CRF\'s NLL plus the regulariser', () => {
  const m = model64();
  const decayed = decayedParameters(m);
  const r = singleDomainLoss(m, m.targetCrf, targetBatch, decayed, hyper);
  const nll = noGrad(() => m.targetCrf.nll(m.encoder.forward(targetBatch, false), padTags(targetBatch), targetBatch.lengths).value.item());
  assertClose([r.terms.nll], [nll], 1e-12, 1e-12);
  assertClose([r.loss.value.item()], [nll + regularizer(decayed, hyper.lambda)!.value.item()], 1e-12, 1e-12);
  assert.is(regularizer(decayed, 0), null);
  assert.is(regularizer([], 0.1), null);
});

/**
 * Central differences of the scalar objective against backward, for every parameter tensor of `m`:
 * all of its elements when it has at most `perTensor`, else `perTensor` of them drawn by a seeded Rng
 * (the suite must stay fast; each evaluation runs the whole model). The MMD Rng is re-created from
 * the same seed for every evaluation, so a subsample is the same in all of them.
 */
function checkObjectiveGradient(m: TransferModel, name: MethodName, h: TransferHyper, perTensor = 12, eps = 1e-6, atol = 1e-7, rtol = 1e-5): { checked: number; nonZero: number; maxErr: number } {
  const params = m.namedParameters();
  for (const p of params.values()) p.zeroGrad();
  backward(loss(m, name, h).loss);
  const evalLoss = (): number => noGrad(() => loss(m, name, h).loss.value.item());
  const pickRng = new Rng(31);
  let checked = 0, nonZero = 0, maxErr = 0;
  for (const [pname, p] of params) {
    const data = p.value.data;
    const analytic = p.grad ? p.grad.values() : new Float64Array(data.length);
    const indices = data.length <= perTensor ? Array.from(data.keys()) : pickRng.permutation(data.length).slice(0, perTensor);
    for (const i of indices) {
      const x = data[i];
      data[i] = x + eps; const lp = evalLoss();
      data[i] = x - eps; const lm = evalLoss();
      data[i] = x;
      const numeric = (lp - lm) / (2 * eps);
      const err = Math.abs(analytic[i] - numeric);
      maxErr = Math.max(maxErr, err);
      checked++;
      if (numeric !== 0) nonZero++;
      if (!(err <= atol + rtol * Math.abs(numeric))) assert.unreachable(`${name}: ∂L/∂${pname}[${i}] analytic ${analytic[i]} vs numeric ${numeric}`);
    }
  }
  return { checked, nonZero, maxErr };
}

test('gradient of the whole objective (la-dtl, float64) w.r.t. every parameter tensor matches central differences', () => {
  const m = model64('cnn', 3);
  assert.ok(m.parameters().every((p) => p.value.dtype === 'float64'));
  // A cap of 3 tokens per label and side: O and Disease are subsampled, so the check also covers a
  // subsample that must be the same in every evaluation.
  const h = { ...hyper, maxPerLabel: 3 };
  const probe = loss(m, 'la-dtl', h);
  assert.ok(probe.terms.mmd > 1e-3, `MMD term ${probe.terms.mmd}`);
  const capped = noGrad(() => labelAwareMmd(
    domainFeatures(m.encoder.forward(sourceBatch, false), sourceBatch.tagIds),
    domainFeatures(m.encoder.forward(targetBatch, false), targetBatch.tagIds),
    { numLabels: 5, mu: h.mu, bandwidths: h.bandwidths, maxPerLabel: 3, rng: new Rng(5) }));
  assert.ok(capped.terms.some((t) => t.subsampled) && capped.terms.some((t) => !t.subsampled), 'some labels subsampled, some not');
  assertClose([capped.loss.value.item()], [probe.terms.mmd], 1e-12, 1e-12, 'the same subsample as jointLoss draws');
  const r = checkObjectiveGradient(m, 'la-dtl', h, 16);
  assert.ok(r.checked > 200, `${r.checked} checked`);
  assert.ok(r.nonZero > r.checked / 3, `${r.nonZero} of ${r.checked} partial derivatives are non-zero`);
});

test('gradient of the objective: the MMD and PT parts alone, the global MMD, the default 19 bandwidths', () => {
  const m = model64('none', 4);
  // Only the transfer terms (α's CRF terms still present but λ off): a wrong MMD/PT gradient cannot hide behind the CRF's.
  checkObjectiveGradient(m, 'la-dtl', { ...hyper, mu: 5, gammaW: 2, gammaB: 3, lambda: 0, maxPerLabel: 256 }, 8);
  checkObjectiveGradient(m, 'mmd', { ...hyper, muGlobal: 5, lambda: 0, maxPerLabel: 6 }, 8);
  // The paper's 19 kernel variances (1e-6 … 1e6): tiny ones are flat away from coinciding rows.
  checkObjectiveGradient(m, 'la-mmd', { ...hyper, bandwidths: undefined, mu: 5, lambda: 0 }, 8, 1e-6, 1e-6, 1e-4);
});

test('the MMD gradient reaches the shared encoder: la-mmd and mult differ only through it', () => {
  const m = model64('none', 6);
  const grads = (name: MethodName): Map<string, Float64Array> => {
    for (const p of m.parameters()) p.zeroGrad();
    backward(loss(m, name, { ...hyper, mu: 5 }).loss);
    return new Map([...m.namedParameters()].map(([n, p]) => [n, Float64Array.from(p.grad ? p.grad.values() : new Float64Array(p.value.size))]));
  };
  const a = grads('mult'), b = grads('la-mmd');
  for (const [n, ga] of a) {
    const gb = b.get(n)!;
    const differs = ga.some((x, i) => Math.abs(x - gb[i]) > 1e-12);
    if (n.startsWith('sourceCrf.') || n.startsWith('targetCrf.')) assert.ok(!differs, `${n}: MMD does not see the CRFs`);
    else if (n.startsWith('encoder.lstm.')) assert.ok(differs, `${n}: MMD reaches the Bi-LSTM`);
  }
});

test.run();
