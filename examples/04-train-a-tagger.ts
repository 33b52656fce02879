/**
 * 04 — Training a Bi-LSTM-CRF tagger on a shared corpus, then tagging raw text with it.
 *
 *   npx tsx examples/04-train-a-tagger.ts [data-dir]        (default ../shared/data or $LADTL_DATA)
 *
 * The CCKS 2017 `course` sections (Chinese clinical records, character level, five entity types):
 * vocabulary → model (embeddings → Bi-LSTM → CRF, paper E1–E5) → a few epochs of Adam, printing loss
 * and dev F1 (conlleval's entity-level F1) after each, → test F1 → the model written to bytes and
 * loaded by the embedding API (lib/embed), which tags a raw sentence with character offsets and
 * CRF-marginal confidences. `ladtl train` does the same from the command line.
 */
import { readCorpusFile } from '../lib/data/nodeFiles.ts';
import { NerTagger } from '../lib/embed/index.ts';
import { encodeTagger } from '../lib/io/index.ts';
import { buildVocab, encodeAll, encodeSplit, evaluateTagger, trainTagger } from '../lib/train/index.ts';

const dataDir = process.argv[2] ?? process.env.LADTL_DATA ?? '../shared/data';
const read = (split: string) => readCorpusFile(`${dataDir}/zh-ccks2017/course/${split}.tsv`);
const train = read('train'), dev = read('dev'), test = read('test');
const vocab = buildVocab(train, { minCount: 1, lowercase: false, normalizeDigits: true, chars: false, scheme: 'BIO' });
console.log(`train ${train.length} / dev ${dev.length} / test ${test.length} sentences; ${vocab.words.size} characters; labels ${vocab.labels.tags.join(' ')}`);

const { tagger } = trainTagger({
  encoder: { wordVocabularySize: vocab.words.size, wordDim: 100, char: 'none', charVocabularySize: 0, charDim: 30, charSize: 50, hidden: 100, dropout: 0.5 },
  labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
}, vocab, { train: encodeSplit(train, vocab), dev: encodeSplit(dev, vocab) }, {
  epochs: 8, batchSize: 15, optimizer: 'adam', learningRate: 0.002, clipNorm: 5, weightDecay: 0.001, seed: 1,
  onEpoch: (r) => console.log(`epoch ${r.epoch}: mean loss ${r.meanLoss.toFixed(3)}, ${r.tokensPerSecond.toFixed(0)} tokens/s, dev F1 ${r.dev.f1.toFixed(2)}${r.best ? '  (best so far: kept)' : ''}`),
});
const scores = evaluateTagger(tagger, test, encodeAll(test, vocab), vocab);
console.log(`test: P ${scores.precision.toFixed(2)}  R ${scores.recall.toFixed(2)}  F1 ${scores.f1.toFixed(2)} (best dev epoch's parameters)`);

const bytes = encodeTagger(tagger, vocab);
const ner = NerTagger.fromBytes(bytes);
const text = '患者于入院后行胸部CT检查，提示右肺下叶炎症，予头孢呋辛抗感染治疗。';
console.log(`\nmodel file: ${(bytes.length / 1024).toFixed(0)} KiB; tagging: ${text}`);
for (const e of ner.tag(text).entities) console.log(`  ${e.type.padEnd(10)} ${e.text.padEnd(10)} chars ${e.start}–${e.end}  confidence ${e.confidence.toFixed(3)}`);
