/**
 * How big is each term of the La-DTL objective (paper E11), and how hard does each pull on the shared
 * encoder? Prints, for one source batch and one target batch of a shared pair at initialisation,
 * every term's value and the gradient norm it sends to a few parameters, plus each label's MMD².
 *
 *   npx tsx examples/la-dtl-term-scales.ts [pair-id] [data-dir]
 *
 * This is the check docs/results.md refers to when it compares the MMD and PT terms with the CRF loss.
 */
import { makeBatches } from '../lib/data/index.ts';
import { Rng } from '../lib/tensor/index.ts';
import { backward, type Variable } from '../lib/autodiff/index.ts';
import * as ops from '../lib/ops/index.ts';
import { padTags } from '../lib/nn/index.ts';
import { loadPairCorpus } from './pairCorpus.ts';
import { TransferModel, labelAwareMmd, domainFeatures, crfParameterTransfer, DEFAULT_HYPER } from '../lib/transfer/index.ts';

const pairId = process.argv[2] ?? 'zh-history-to-course';
const dataDir = process.argv[3] ?? process.env.LADTL_DATA ?? '../shared/data';
const { corpus, charLevel } = loadPairCorpus(pairId, dataDir, 0.1);
const model = new TransferModel({
  encoder: { wordVocabularySize: corpus.vocab.words.size, wordDim: 100, char: charLevel ? 'none' : 'cnn', charVocabularySize: corpus.vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: 100, dropout: 0.5 },
  labels: [...corpus.vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
}, new Rng(1));
const rng = new Rng(2);
const sb = makeBatches(corpus.data.source!.train.encoded, 15, rng)[0];
const tb = makeBatches(corpus.data.target.train.encoded, 15, rng)[0];
const h = DEFAULT_HYPER;

const watched = ['encoder.lstm.forward.Wih', 'encoder.words.table', 'sourceCrf.W', 'targetCrf.W', 'targetCrf.transitions'];
function gradientNorms(loss: Variable): string {
  for (const p of model.parameters()) p.zeroGrad();
  backward(loss);
  const named = model.namedParameters();
  return watched.map((name) => {
    const g = named.get(name)!.grad;
    const norm = g ? Math.sqrt(g.toArray().reduce((a, v) => a + v * v, 0)) : 0;
    return `${name.split('.').slice(-2).join('.')} ${norm.toExponential(2)}`;
  }).join(', ');
}

console.log(`${pairId}: source batch ${sb.size} sentences, target batch ${tb.size}; labels ${corpus.vocab.labels.tags.join(' ')}`);
console.log(`coefficients (paper code defaults): α ${h.alpha}, μ ${h.mu}, γ_W ${h.gammaW}, γ_b ${h.gammaB}\n`);
console.log('term                value     gradient norms it sends');
const terms: [string, () => Variable][] = [
  ['α·L_CRF^s', () => ops.mul(model.sourceCrf.nll(model.encoder.forward(sb, false), padTags(sb), sb.lengths), h.alpha)],
  ['(1−α)·L_CRF^t', () => ops.mul(model.targetCrf.nll(model.encoder.forward(tb, false), padTags(tb), tb.lengths), 1 - h.alpha)],
  ['L_La-MMD', () => {
    const m = labelAwareMmd(domainFeatures(model.encoder.forward(sb, false), sb.tagIds), domainFeatures(model.encoder.forward(tb, false), tb.tagIds), { numLabels: corpus.vocab.labels.size, mu: h.mu, maxPerLabel: h.maxPerLabel, rng });
    console.log(`  per label (source/target tokens = MMD²): ${m.terms.map((t) => `${corpus.vocab.labels.tag(t.label)} ${t.sourceCount}/${t.targetCount} = ${t.value.toFixed(3)}`).join('; ')}`);
    return m.loss;
  }],
  ['L_PT', () => crfParameterTransfer(model.sourceCrf, model.targetCrf, { gammaW: h.gammaW, gammaB: h.gammaB })],
];
for (const [name, make] of terms) {
  const loss = make();
  console.log(`${name.padEnd(16)} ${loss.value.item().toFixed(4).padStart(9)}   ${gradientNorms(loss)}`);
}
