/**
 * A run interrupted after any epoch and resumed from its checkpoint (through the binary checkpoint
 * file) ends bit-identical to the uninterrupted run: parameters, selected epoch, dev scores and
 * per-epoch history. Every method's schedule is covered (INIT across its phase change, the joint
 * methods with the source queue half consumed, early stopping with its patience count).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sentence } from '../../lib/data/index.ts';
import type { TaggerConfig } from '../../lib/nn/index.ts';
import { METHODS, type MethodName } from '../../lib/transfer/index.ts';
import { buildVocab, encodeSplit, trainTransfer, type TransferTrainOptions, type TransferCheckpoint, type TransferRun } from '../../lib/train/index.ts';
import { encodeCheckpoint, decodeCheckpoint } from '../../lib/experiment/checkpointFile.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

const source = syntheticSentences(50, 1), targetTrain = syntheticSentences(20, 3), targetDev = syntheticSentences(16, 4, true);
const vocab = buildVocab([...source, ...targetTrain], { minCount: 1, lowercase: false, normalizeDigits: false, chars: true, scheme: 'BIO' });
const split = (s: Sentence[]) => encodeSplit(s, vocab);
const data = { source: { train: split(source) }, target: { train: split(targetTrain), dev: split(targetDev) } };
const config: TaggerConfig = {
  encoder: { wordVocabularySize: vocab.words.size, wordDim: 12, char: 'cnn', charVocabularySize: vocab.chars!.size, charDim: 6, charSize: 6, hidden: 10, dropout: 0.2 },
  labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
};
// Batch 6 over 50 source and 20 target sentences: a joint epoch of 4 steps takes 4 of the 9 source
// batches of a pass, so checkpoints fall inside source passes.
const options: TransferTrainOptions = { epochs: 5, pretrainEpochs: 2, batchSize: 6, optimizer: 'adam', learningRate: 0.02, seed: 11, evalEvery: 2, hyper: { maxPerLabel: 10 } };
const ID = (method: string) => ({ configHash: 'cafe0001', method, seed: 11 });

interface Outcome { params: number[][]; bestEpoch: number; devF1: number | null; history: string }

function outcome(run: TransferRun): Outcome {
  return {
    params: run.model.parameters().map((p) => [...p.value.values()]),
    bestEpoch: run.result.bestEpoch,
    devF1: run.dev?.f1 ?? null,
    // Everything of the history but wall-clock times.
    history: JSON.stringify(run.history.map((e) => ({ ...e, seconds: 0, evalSeconds: 0, tokensPerSecond: 0 }))),
  };
}

function runWithCheckpoints(method: MethodName, o: TransferTrainOptions): { run: TransferRun; checkpoints: Uint8Array[] } {
  const checkpoints: Uint8Array[] = [];
  const run = trainTransfer(METHODS[method], config, vocab, data, { ...o, onCheckpoint: (c) => checkpoints.push(encodeCheckpoint(ID(method), c)) });
  return { run, checkpoints };
}

for (const method of ['init', 'la-dtl', 'merged', 'target-only', 'source-only', 'mmd'] as MethodName[]) {
  test(`${method}: resumed from the checkpoint of every epoch, the run ends bit-identical to the uninterrupted one`, () => {
    const whole = runWithCheckpoints(method, options);
    const expected = outcome(whole.run);
    // INIT: 2 pretraining epochs then 5 fine-tuning epochs, a checkpoint after each epoch but each phase's last.
    const phases = method === 'init' ? 1 + 4 : method === 'source-only' ? 1 : 4;
    assert.is(whole.checkpoints.length, phases);
    whole.checkpoints.forEach((bytes, k) => {
      const resume: TransferCheckpoint = decodeCheckpoint(bytes, `checkpoint ${k}`, ID(method));
      const resumed = trainTransfer(METHODS[method], config, vocab, data, { ...options, resume });
      const got = outcome(resumed);
      assert.is(got.bestEpoch, expected.bestEpoch, `checkpoint ${k}: best epoch`);
      assert.is(got.devF1, expected.devF1, `checkpoint ${k}: dev F1`);
      assert.is(got.history, expected.history, `checkpoint ${k}: history`);
      got.params.forEach((p, i) => assert.ok(p.every((v, j) => Object.is(v, expected.params[i][j])), `checkpoint ${k}: parameter ${i} differs`));
    });
  });
}

test('early stopping: a run resumed after patience ran out mid-phase stops where the uninterrupted run stopped', () => {
  const o = { ...options, epochs: 12, evalEvery: 1, patience: 2, learningRate: 0.05 };
  const whole = runWithCheckpoints('mult', o);
  const expected = outcome(whole.run);
  assert.ok(whole.run.result.stoppedEarly, 'the setting must stop early for this test to mean anything');
  for (const [k, bytes] of whole.checkpoints.entries()) {
    const run = trainTransfer(METHODS.mult, config, vocab, data, { ...o, resume: decodeCheckpoint(bytes, `checkpoint ${k}`, ID('mult')) });
    const got = outcome(run);
    assert.is(got.history, expected.history, `checkpoint ${k}`);
    assert.equal(got.params, expected.params);
  }
});

test('a checkpoint is refused for another run, another kind of file, or damaged bytes', () => {
  const { checkpoints } = runWithCheckpoints('pt', { ...options, epochs: 2 });
  const bytes = checkpoints[0];
  assertThrowsWith(() => decodeCheckpoint(bytes, 'x.ckpt', { ...ID('pt'), seed: 12 }), 'x.ckpt', 'another run');
  assertThrowsWith(() => decodeCheckpoint(bytes, 'x.ckpt', { ...ID('pt'), configHash: 'beef0002' }), 'another run');
  const damaged = bytes.slice();
  damaged[damaged.length - 3] ^= 0x40;
  assertThrowsWith(() => decodeCheckpoint(damaged, 'y.ckpt', ID('pt')), 'y.ckpt');
});

test.run();
