/**
 * 05 — La-DTL against training on the target alone, on a shared pair.
 *
 *   npx tsx examples/05-la-dtl-vs-target-only.ts [pair-id] [data-dir]   (default zh-history-to-course)
 *
 * The target domain keeps 10% of its labelled sentences; the source keeps all of them. Target-only
 * trains a tagger on the 10%; La-DTL (paper E11) trains one shared Bi-LSTM with two CRFs on source
 * and target batches together, adding the label-aware MMD between the two domains' features of each
 * label (E6–E9) and the L2 tie between the two CRFs (E10). Both use the same seed, epochs and model
 * selection on target dev; the test F1 of each is printed at the end. One seed and 20 epochs keep
 * this to a few minutes; `ladtl experiment` runs the full comparison (every method, several seeds),
 * and docs/results.md reports what it found (on this pair La-DTL beats target-only by about 2.5 F1
 * but not INIT or Merged).
 */
import { evaluateTagger, trainTransfer } from '../lib/train/index.ts';
import { METHODS } from '../lib/transfer/index.ts';
import { loadPairCorpus } from './pairCorpus.ts';

const pairId = process.argv[2] ?? 'zh-history-to-course';
const dataDir = process.argv[3] ?? process.env.LADTL_DATA ?? '../shared/data';
const { corpus, charLevel } = loadPairCorpus(pairId, dataDir, 0.1);
console.log(`${pairId}: source ${corpus.data.source!.train.sentences.length} sentences, target ${corpus.data.target.train.sentences.length} (10%), labels ${corpus.vocab.labels.tags.join(' ')}`);
const config = {
  encoder: { wordVocabularySize: corpus.vocab.words.size, wordDim: 100, char: charLevel ? 'none' as const : 'cnn' as const, charVocabularySize: corpus.vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: 100, dropout: 0.5 },
  labels: [...corpus.vocab.labels.tags], scheme: 'BIO' as const, constrained: true, boundary: true,
};

const results: string[] = [];
for (const name of ['target-only', 'la-dtl'] as const) {
  console.log(`\n${METHODS[name].title}:`);
  const run = trainTransfer(METHODS[name], config, corpus.vocab, corpus.data, {
    epochs: 20, batchSize: 15, optimizer: 'adam', learningRate: 0.002, clipNorm: 5, patience: 10, evalEvery: 1, seed: 1,
    onEpoch: (r) => console.log(`  ${r.phase} epoch ${String(r.epoch).padStart(2)}: loss ${r.meanLoss.toFixed(3)}${r.dev ? `, target dev F1 ${r.dev.f1.toFixed(2)}` : ''}${r.best ? ' (best so far)' : ''}`),
  });
  const test = evaluateTagger(run.tagger, corpus.targetTest.sentences, corpus.targetTest.encoded, corpus.vocab);
  results.push(`${METHODS[name].title.padEnd(12)} dev F1 ${run.dev!.f1.toFixed(2)}  test F1 ${test.f1.toFixed(2)}`);
}
console.log(`\n${results.join('\n')}`);
