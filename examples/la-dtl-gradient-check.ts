/**
 * Is the La-DTL gradient right on the real data of a pair, at the real model size? The unit tests
 * check E11's gradient by central differences on a tiny synthetic model; this runs the same check on
 * one real source batch and one real target batch of each named pair, with the experiment's model
 * (100-d words, 100 hidden units per direction, the char CNN on word-level corpora) and the paper's
 * coefficients, cast to float64 and without dropout so that the loss is a deterministic function.
 *
 *   npx tsx examples/la-dtl-gradient-check.ts [pair-id ...] [--data DIR]
 *
 * Per parameter tensor it checks the 2 partial derivatives of largest magnitude and 2 at random, and
 * prints each pair's worst relative error and the gradient norm each term of E11 sends to the
 * Bi-LSTM's input weights (how hard it steers the shared encoder), and PT's against the target CRF
 * loss's on the target CRF's emission weights (PT reaches only the CRFs). docs/results.md cites its output.
 */
import { makeBatches } from '../lib/data/index.ts';
import { Rng } from '../lib/tensor/index.ts';
import { backward, noGrad, type Variable } from '../lib/autodiff/index.ts';
import * as ops from '../lib/ops/index.ts';
import { padTags } from '../lib/nn/index.ts';
import { decayedParameters } from '../lib/train/index.ts';
import { TransferModel, METHODS, DEFAULT_HYPER, jointLoss, labelAwareMmd, domainFeatures, crfParameterTransfer } from '../lib/transfer/index.ts';
import { loadPairs } from '../lib/experiment/pairFiles.ts';
import { preparePair } from '../lib/experiment/index.ts';

const args = process.argv.slice(2);
const dataAt = args.indexOf('--data');
if (dataAt >= 0 && (args[dataAt + 1] === undefined || args[dataAt + 1].startsWith('--'))) throw new Error('--data needs a folder: --data DIR');
const dataDir = dataAt >= 0 ? args[dataAt + 1] : process.env.LADTL_DATA ?? '../shared/data';
const ids = args.filter((a, i) => !a.startsWith('--') && (dataAt < 0 || i !== dataAt + 1));

function check(pairId: string): void {
  const [pair] = loadPairs(`${dataDir}/pairs.json`, [pairId]);
  const { corpus, char } = preparePair(pair, 0.1);
  const model = new TransferModel({
    encoder: { wordVocabularySize: corpus.vocab.words.size, wordDim: 100, char, charVocabularySize: corpus.vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: 100, dropout: 0 },
    labels: [...corpus.vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(1));
  for (const p of model.parameters()) p.value = p.value.cast('float64');
  const rng = new Rng(2);
  const sb = makeBatches(corpus.data.source!.train.encoded, 15, rng)[0];
  const tb = makeBatches(corpus.data.target.train.encoded, 15, rng)[0];
  const h = DEFAULT_HYPER;
  const decayed = decayedParameters(model);
  // The MMD subsample is drawn from this seed in every evaluation, so the loss is one function.
  const loss = (): Variable => jointLoss(model, METHODS['la-dtl'], sb, tb, decayed, h, new Rng(5)).loss;
  const named = model.namedParameters();
  for (const p of named.values()) p.zeroGrad();
  backward(loss());
  const pick = new Rng(31), eps = 1e-6;
  let worst = 0, worstAt = '', checked = 0;
  for (const [name, p] of named) {
    const data = p.value.data;
    const analytic = p.grad ? p.grad.values() : new Float64Array(data.length);
    const byMagnitude = Array.from(analytic.keys()).sort((a, b) => Math.abs(analytic[b]) - Math.abs(analytic[a])).slice(0, 2);
    const random = data.length <= 2 ? [] : pick.permutation(data.length).slice(0, 2);
    for (const i of new Set([...byMagnitude, ...random])) {
      const x = data[i];
      data[i] = x + eps; const lp = noGrad(() => loss().value.item());
      data[i] = x - eps; const lm = noGrad(() => loss().value.item());
      data[i] = x;
      const numeric = (lp - lm) / (2 * eps);
      const scale = Math.abs(analytic[i]) + Math.abs(numeric);
      // Relative where the derivative is not tiny; absolute (against 1e-6) where it is.
      const err = Math.abs(analytic[i] - numeric) / Math.max(scale, 1e-6);
      checked++;
      if (err > worst) { worst = err; worstAt = `${name}[${i}] analytic ${analytic[i].toExponential(4)} numeric ${numeric.toExponential(4)}`; }
    }
  }
  // How hard each term pulls on the shared encoder: the gradient norm it alone sends to W_ih.
  const normOf = (l: Variable, of = 'encoder.lstm.forward.Wih'): number => {
    for (const p of named.values()) p.zeroGrad();
    backward(l);
    const g = named.get(of)!.grad;
    if (!g) return 0;
    let sq = 0;
    for (const v of g.values()) sq += v * v;
    return Math.sqrt(sq);
  };
  const hs = () => model.encoder.forward(sb, false), ht = () => model.encoder.forward(tb, false);
  const norms = {
    'α·L_s': normOf(ops.mul(model.sourceCrf.nll(hs(), padTags(sb), sb.lengths), h.alpha)),
    '(1−α)·L_t': normOf(ops.mul(model.targetCrf.nll(ht(), padTags(tb), tb.lengths), 1 - h.alpha)),
    'La-MMD': normOf(labelAwareMmd(domainFeatures(hs(), sb.tagIds), domainFeatures(ht(), tb.tagIds), { numLabels: model.targetCrf.numTags, mu: h.mu, bandwidths: h.bandwidths, unbiased: h.unbiased, maxPerLabel: h.maxPerLabel, rng: new Rng(5) }).loss),
    // PT reaches only the CRFs: compared with the target CRF loss on the target CRF's weights.
    'L_t on W_t': normOf(ops.mul(model.targetCrf.nll(ht(), padTags(tb), tb.lengths), 1 - h.alpha), 'targetCrf.W'),
    'PT on W_t': normOf(crfParameterTransfer(model.sourceCrf, model.targetCrf, { gammaW: h.gammaW, gammaB: h.gammaB }), 'targetCrf.W'),
  };
  console.log(`| ${pairId} | ${checked} | ${worst.toExponential(1)} | ${Object.values(norms).map((n) => n.toExponential(2)).join(' | ')} |`);
  console.log(`  (worst: ${worstAt})`);
}

console.log('| pair | derivatives checked | worst relative error | ‖∂/∂W_ih‖ of α·L_s | of (1−α)·L_t | of La-MMD | ‖∂/∂W_t‖ of (1−α)·L_t | of PT |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const id of ids.length ? ids : ['zh-history-to-course']) check(id);
