/**
 * La-DTL adaptation of a loaded model to a few target sentences: it starts from the loaded weights
 * (zero epochs would leave the tags unchanged), fits the target sentences, keeps vocabularies and
 * labels, round-trips through the model file, and refuses tags the model does not know.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fineTuneLaDtl, NerTagger } from '../../lib/embed/index.ts';
import { decodeTagger, encodeTagger } from '../../lib/io/index.ts';
import { evaluateSentences } from '../../lib/eval/index.ts';
import { encodeAll, predictTags } from '../../lib/train/index.ts';
import type { Sentence } from '../../lib/data/index.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { syntheticModel } from '../helpers/syntheticModel.ts';

/** A "new domain": held-out templates and disease names, every sentence lowercased and reversed in word order. */
function targetDomain(n: number, seed: number): Sentence[] {
  return syntheticSentences(n, seed, true).map((s) => ({ ...s, tokens: [...s.tokens].reverse(), tags: reverseBio([...s.tags].reverse()) }));
}

/** Reversing a sentence turns "B I I" into "I I B": re-mark the first token of each run as B. */
function reverseBio(tags: string[]): string[] {
  const types = tags.map((t) => (t === 'O' ? null : t.slice(2)));
  return types.map((ty, i) => (ty === null ? 'O' : `${i > 0 && types[i - 1] === ty ? 'I' : 'B'}-${ty}`));
}

function f1(loaded: ReturnType<typeof decodeTagger>, sentences: Sentence[]): number {
  const tags = predictTags(loaded.tagger, encodeAll(sentences, loaded.vocab), loaded.vocab.labels);
  return evaluateSentences(sentences.map((s, i) => ({ gold: s.tags, guess: tags[i] }))).f1;
}

test('fineTuneLaDtl: adapts to the target sentences, keeps labels and vocabularies, round-trips', () => {
  const { bytes } = syntheticModel();
  const loaded = decodeTagger(bytes);
  const target = targetDomain(12, 7), source = syntheticSentences(60, 1);
  const before = f1(loaded, target);
  const epochsSeen: number[] = [];
  const adapted = fineTuneLaDtl(loaded, target, source, { epochs: 15, onEpoch: (r) => epochsSeen.push(r.epoch) });
  const after = f1(adapted, target);
  if (process.env.LADTL_TEST_VERBOSE) console.log(`target F1 before ${before.toFixed(2)}, after ${after.toFixed(2)}`);
  assert.equal(epochsSeen, Array.from({ length: 15 }, (_, i) => i + 1));
  assert.ok(after > before && after >= 80, `F1 on the target sentences: before ${before.toFixed(2)}, after ${after.toFixed(2)}`);
  assert.equal(adapted.vocab.labels.tags, loaded.vocab.labels.tags);
  const again = NerTagger.fromBytes(encodeTagger(adapted.tagger, adapted.vocab, adapted.training));
  assert.equal(again.tag(target[0].tokens).tags, predictTags(adapted.tagger, encodeAll([target[0]], adapted.vocab), adapted.vocab.labels)[0]);
  assert.is((again.model.training.fineTuned as { targetSentences: number }).targetSentences, 12);
});

test('fineTuneLaDtl: starts from the loaded weights (one epoch at a tiny rate changes almost nothing)', () => {
  const loaded = decodeTagger(syntheticModel().bytes);
  const target = syntheticSentences(8, 4), source = syntheticSentences(20, 1);
  const adapted = fineTuneLaDtl(loaded, target, source, { epochs: 1, learningRate: 1e-7 });
  const a = loaded.tagger.namedParameters(), b = adapted.tagger.namedParameters();
  const w0 = a.get('encoder.lstm.forward.Whh')!.value.values(), w1 = b.get('encoder.lstm.forward.Whh')!.value.values();
  let d = 0;
  for (let i = 0; i < w0.length; i++) d = Math.max(d, Math.abs(w0[i] - w1[i]));
  assert.ok(d < 1e-5, `W_hh moved by ${d}`);
});

test('fineTuneLaDtl: a tag outside the model\'s labels, or no sentences, is an error', () => {
  const loaded = decodeTagger(syntheticModel().bytes);
  const bad = [{ tokens: ['aspirin'], tags: ['B-Chemical'], line: 3 }];
  assert.throws(() => fineTuneLaDtl(loaded, bad, syntheticSentences(5, 1)), /Chemical/);
  assert.throws(() => fineTuneLaDtl(loaded, [], syntheticSentences(5, 1)), /no target sentences/);
  assert.throws(() => fineTuneLaDtl(loaded, syntheticSentences(5, 2), []), /needs source sentences/);
  assert.throws(() => fineTuneLaDtl({ ...loaded, sample: [] }, syntheticSentences(5, 2)), /keeps none; pass them, or train with --keep-sample/);
});

test('the kept sample round-trips through the model file and is the default source', () => {
  const loaded = decodeTagger(syntheticModel().bytes);
  assert.is(loaded.sample.length, 40);
  assert.equal(loaded.sample[0].tokens.length, loaded.sample[0].tags.length);
  const adapted = fineTuneLaDtl(loaded, syntheticSentences(4, 9), undefined, { epochs: 2 });
  assert.is((adapted.training.fineTuned as { sourceSentences: number }).sourceSentences, 40);
  assert.is(decodeTagger(encodeTagger(adapted.tagger, adapted.vocab, adapted.training, adapted.sample)).sample.length, 40);
});

test.run();
