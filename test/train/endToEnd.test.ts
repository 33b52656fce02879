/**
 * End to end: a tagger trained on a small corpus lowers its loss and beats the per-token majority
 * baseline (each token gets the tag it had most often in training; unseen tokens get O) on held-out
 * sentences. Run on a self-written synthetic corpus always, and on a slice of a shared corpus when
 * the shared corpora are present.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sentence } from '../../lib/data/index.ts';
import { readCorpusFile } from '../../lib/data/nodeFiles.ts';
import { evaluateSentences } from '../../lib/eval/index.ts';
import { buildVocab, encodeSplit, trainTagger, type EpochReport } from '../../lib/train/index.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { hasSharedData, sharedPath } from '../data/util.ts';
import '../../lib/backend/gpu.ts';
import { getBackend, setBackend } from '../../lib/backend/index.ts';

/** |got − want| ≤ rel·|want| + 0.05 (the absolute part for the last epochs' losses near 0). */
function assertRelativelyClose(got: number, want: number, rel: number, what: string): void {
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want) + 0.05, `${what}: ${got} vs ${want} (more than ${rel * 100}% + 0.05 apart)`);
}

function majorityBaselineF1(train: readonly Sentence[], heldOut: readonly Sentence[]): number {
  const counts = new Map<string, Map<string, number>>();
  for (const s of train) {
    s.tokens.forEach((t, i) => {
      const m = counts.get(t) ?? new Map<string, number>();
      m.set(s.tags[i], (m.get(s.tags[i]) ?? 0) + 1);
      counts.set(t, m);
    });
  }
  const majority = (t: string): string => {
    const m = counts.get(t);
    return m ? [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0] : 'O';
  };
  return evaluateSentences(heldOut.map((s) => ({ gold: s.tags, guess: s.tokens.map(majority) }))).f1;
}

function trainSmall(train: Sentence[], dev: Sentence[], char: 'cnn' | 'none', epochs: number) {
  const vocab = buildVocab(train, { minCount: 1, lowercase: false, normalizeDigits: false, chars: char !== 'none', scheme: 'BIO' });
  const data = { train: encodeSplit(train, vocab), dev: encodeSplit(dev, vocab) };
  const epochsSeen: EpochReport[] = [];
  const { dev: best } = trainTagger({
    encoder: { wordVocabularySize: vocab.words.size, wordDim: 32, char, charVocabularySize: vocab.chars?.size ?? 0, charDim: 16, charSize: 16, hidden: 32, dropout: 0.2 },
    labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, vocab, data, { epochs, batchSize: 8, optimizer: 'adam', learningRate: 0.01, clipNorm: 5, weightDecay: 0, seed: 1, onEpoch: (r) => epochsSeen.push(r) });
  return { epochs: epochsSeen, f1: best!.f1 };
}

test('synthetic corpus: loss falls, dev F1 beats the per-token majority baseline', () => {
  // The held-out sentences use a seed of their own, so their combinations are new.
  const train = syntheticSentences(120, 1), dev = syntheticSentences(40, 2, true);
  const { epochs, f1 } = trainSmall(train, dev, 'cnn', 6);
  const baseline = majorityBaselineF1(train, dev);
  if (process.env.LADTL_TEST_VERBOSE) console.log(`F1 ${f1.toFixed(2)}, baseline ${baseline.toFixed(2)}, loss ${epochs.map((e) => e.meanLoss.toFixed(2)).join(" → ")}`);
  assert.ok(epochs[epochs.length - 1].meanLoss < epochs[0].meanLoss / 3, `loss ${epochs.map((e) => e.meanLoss.toFixed(2)).join(' → ')}`);
  assert.ok(f1 > baseline, `F1 ${f1.toFixed(2)} vs baseline ${baseline.toFixed(2)}`);
});

test('gpu backend: training gives the cpu backend\'s dev F1 within noise (same seed, same data)', () => {
  const train = syntheticSentences(120, 1), dev = syntheticSentences(40, 2, true);
  const cpu = trainSmall(train, dev, 'cnn', 6);
  setBackend('gpu');
  try {
    const gpu = trainSmall(train, dev, 'cnn', 6);
    if (process.env.LADTL_TEST_VERBOSE) console.log(`${getBackend().description}: F1 ${gpu.f1.toFixed(2)} vs cpu ${cpu.f1.toFixed(2)}`);
    // Float32 rounding in different orders lets two runs drift apart over 6 epochs, so equality is
    // not expected; a kernel error would show as a collapse of F1 or a diverging loss.
    assert.ok(Math.abs(gpu.f1 - cpu.f1) <= 5, `gpu F1 ${gpu.f1.toFixed(2)} vs cpu ${cpu.f1.toFixed(2)}`);
    gpu.epochs.forEach((e, i) => assertRelativelyClose(e.meanLoss, cpu.epochs[i].meanLoss, 0.1, `epoch ${i + 1} mean loss`));
  } finally {
    setBackend('cpu');
  }
});

(hasSharedData ? test : test.skip)('zh-ccks2017/course slice (150 train sentences): loss falls, F1 beats the majority baseline', () => {
  const train = readCorpusFile(sharedPath('zh-ccks2017/course/train.tsv')).slice(0, 150);
  const dev = readCorpusFile(sharedPath('zh-ccks2017/course/dev.tsv')).slice(0, 100);
  const { epochs, f1 } = trainSmall(train, dev, 'none', 6);
  const baseline = majorityBaselineF1(train, dev);
  if (process.env.LADTL_TEST_VERBOSE) console.log(`F1 ${f1.toFixed(2)}, baseline ${baseline.toFixed(2)}, loss ${epochs.map((e) => e.meanLoss.toFixed(2)).join(" → ")}`);
  assert.ok(epochs[epochs.length - 1].meanLoss < epochs[0].meanLoss / 3, `loss ${epochs.map((e) => e.meanLoss.toFixed(2)).join(' → ')}`);
  assert.ok(f1 > baseline + 10, `F1 ${f1.toFixed(2)} vs baseline ${baseline.toFixed(2)}`);
});

test.run();
