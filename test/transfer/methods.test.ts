/**
 * The compared methods (lib/transfer/methods.ts) through the one trainer (lib/train/trainTransfer.ts):
 * parsing, every method end to end on tiny synthetic corpora, determinism, and the schedule facts
 * (which CRF each method trains, INIT's copy of the source CRF, which loss terms each step has).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sentence } from '../../lib/data/index.ts';
import { makeBatches } from '../../lib/data/index.ts';
import type { TaggerConfig } from '../../lib/nn/index.ts';
import type { EvalResult } from '../../lib/eval/index.ts';
import { METHODS, METHOD_NAMES, parseMethods, type MethodName, type TransferModel } from '../../lib/transfer/index.ts';
import { buildVocab, encodeSplit, evaluateTagger, trainTransfer, type TransferTrainOptions } from '../../lib/train/index.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

const ALL: MethodName[] = ['target-only', 'source-only', 'merged', 'init', 'mult', 'mmd', 'la-mmd', 'pt', 'la-dtl'];

test('parseMethods: all gives the 9 methods; lists are trimmed and case-insensitive; unknown names throw listing the known ones', () => {
  assert.equal(parseMethods('all').map((m) => m.name), ALL);
  assert.equal(parseMethods(' all ').length, 9);
  assert.equal(METHOD_NAMES, ALL);
  for (const name of ALL) assert.is(METHODS[name].name, name);
  assert.equal(parseMethods('mult, LA-DTL ,pt').map((m) => m.name), ['mult', 'la-dtl', 'pt']);
  assert.is(parseMethods('la-dtl')[0], METHODS['la-dtl']);
  assertThrowsWith(() => parseMethods('mult,fine-tune'), 'unknown method "fine-tune"', ...ALL);
  assertThrowsWith(() => parseMethods('mult,,pt'), 'unknown method ""');
  assertThrowsWith(() => parseMethods('all,mult'), 'unknown method "all"');
});

test('method table: the terms of E11 each method switches on', () => {
  const row = (n: MethodName) => [METHODS[n].schedule, METHODS[n].mmd, METHODS[n].parameterTransfer, METHODS[n].decodeWith];
  assert.equal(row('target-only'), ['target', 'none', false, 'target']);
  assert.equal(row('source-only'), ['source', 'none', false, 'source']);
  assert.equal(row('merged'), ['merged', 'none', false, 'target']);
  assert.equal(row('init'), ['pretrain-then-target', 'none', false, 'target']);
  assert.equal(row('mult'), ['joint', 'none', false, 'target']);
  assert.equal(row('mmd'), ['joint', 'global', false, 'target']);
  assert.equal(row('la-mmd'), ['joint', 'label-aware', false, 'target']);
  assert.equal(row('pt'), ['joint', 'none', true, 'target']);
  assert.equal(row('la-dtl'), ['joint', 'label-aware', true, 'target']);
});

// Tiny corpora: the source, a few target training sentences, held-out target dev sentences.
const source = syntheticSentences(60, 1), targetTrain = syntheticSentences(20, 3), targetDev = syntheticSentences(20, 4, true);
const vocab = buildVocab([...source, ...targetTrain], { minCount: 1, lowercase: false, normalizeDigits: false, chars: true, scheme: 'BIO' });
const split = (s: Sentence[]) => encodeSplit(s, vocab);
const data = { source: { train: split(source) }, target: { train: split(targetTrain), dev: split(targetDev) } };

function config(char: 'none' | 'cnn'): TaggerConfig {
  return {
    encoder: { wordVocabularySize: vocab.words.size, wordDim: 16, char, charVocabularySize: vocab.chars!.size, charDim: 8, charSize: 8, hidden: 16, dropout: 0.1 },
    labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  };
}

const options: TransferTrainOptions = {
  epochs: 2, pretrainEpochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.01, seed: 7,
  // A small cap so that the La-MMD and global MMD subsample (and must do so reproducibly).
  hyper: { maxPerLabel: 12 },
};

type Values = Map<string, Float64Array>;
const valuesOf = (model: TransferModel, prefix = ''): Values =>
  new Map([...model.namedParameters()].filter(([n]) => n.startsWith(prefix)).map(([n, p]) => [n, Float64Array.from(p.value.values())]));
function same(a: Values, b: Values): boolean {
  if (a.size !== b.size) return false;
  for (const [n, x] of a) {
    const y = b.get(n);
    if (!y || y.length !== x.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}
/** The same CRF parameters under the other CRF's prefix? */
function sameCrf(a: Values, from: string, b: Values, to: string): boolean {
  return same(new Map([...a].map(([n, v]) => [n.replace(from, 'crf.'), v])), new Map([...b].map(([n, v]) => [n.replace(to, 'crf.'), v])));
}

interface Observed {
  init: { encoder: Values; sourceCrf: Values; targetCrf: Values };
  /** CRF NLL calls per phase. */
  calls: Record<string, { source: number; target: number }>;
  /** The term names of every step. */
  stepTerms: Set<string>;
  phases: string[];
  epochDevs: (EvalResult | null)[];
  /** INIT: both CRFs at the first target NLL (i.e. right after the copy, before any fine-tuning step). */
  atFirstTargetStep?: { sourceCrf: Values; targetCrf: Values };
  /** Was the target CRF still at its initial values at every source step of the pre-training? */
  targetUntouchedDuringPretrain: boolean;
}

function train(name: MethodName, char: 'none' | 'cnn' = 'none', o: TransferTrainOptions = options) {
  // The phase of the step being computed (onStep reports a phase only after its step's update).
  const pretrainEpochs = o.pretrainEpochs ?? o.epochs;
  let phase = METHODS[name].schedule === 'pretrain-then-target' ? 'pretrain' : 'train';
  const seen: Observed = { init: null!, calls: {}, stepTerms: new Set(), phases: [], epochDevs: [], targetUntouchedDuringPretrain: true };
  const count = (which: 'source' | 'target') => { (seen.calls[phase] ??= { source: 0, target: 0 })[which]++; };
  const run = trainTransfer(METHODS[name], config(char), vocab, data, {
    ...o,
    init: (model) => {
      seen.init = { encoder: valuesOf(model, 'encoder.'), sourceCrf: valuesOf(model, 'sourceCrf.'), targetCrf: valuesOf(model, 'targetCrf.') };
      // Watch each CRF's loss: called (before the update) exactly on the steps that train that CRF.
      const s = model.sourceCrf, t = model.targetCrf;
      const sNll = s.nll.bind(s), tNll = t.nll.bind(t);
      s.nll = (h, tags, lengths) => {
        count('source');
        if (phase === 'pretrain' && !same(valuesOf(model, 'targetCrf.'), seen.init.targetCrf)) seen.targetUntouchedDuringPretrain = false;
        return sNll(h, tags, lengths);
      };
      t.nll = (h, tags, lengths) => {
        count('target');
        if (phase === 'fine-tune' && !seen.atFirstTargetStep) seen.atFirstTargetStep = { sourceCrf: valuesOf(model, 'sourceCrf.'), targetCrf: valuesOf(model, 'targetCrf.') };
        return tNll(h, tags, lengths);
      };
    },
    onStep: (p) => {
      assert.is(p.phase, phase);
      for (const k of Object.keys(p.terms ?? {})) seen.stepTerms.add(k);
    },
    onEpoch: (r) => {
      seen.phases.push(r.phase);
      seen.epochDevs.push(r.dev);
      if (r.phase === 'pretrain' && r.epoch === pretrainEpochs) phase = 'fine-tune';
    },
  });
  return { run, seen };
}

/** The tagger decodes: tag ids in range on real tokens, −1 on padding; and it reproduces the reported dev F1. */
function checkTagger(run: ReturnType<typeof train>['run'], name: MethodName): void {
  const batch = makeBatches(data.target.dev.encoded, 20, null)[0];
  const ids = run.tagger.decode(batch);
  const K = vocab.labels.tags.length;
  for (let b = 0; b < batch.size; b++) {
    for (let t = 0; t < batch.maxLen; t++) {
      const y = ids[b * batch.maxLen + t];
      if (t < batch.lengths[b]) assert.ok(y >= 0 && y < K, `${name}: tag id ${y}`);
      else assert.is(y, -1);
    }
  }
  const again = evaluateTagger(run.tagger, data.target.dev.sentences, data.target.dev.encoded, vocab);
  assert.is(again.f1, run.dev!.f1, `${name}: the returned tagger holds the best epoch's parameters`);
  assert.is(run.tagger.crf, METHODS[name].decodeWith === 'source' ? run.model.sourceCrf : run.model.targetCrf);
  assert.is(run.tagger.encoder, run.model.encoder);
}

for (const name of ALL) {
  test(`${name}: trains end to end (2 epochs), finite dev F1, a decoding tagger, the right CRFs trained`, () => {
    // Source-only counts its epochs over the source with pretrainEpochs; give it the same 2 epochs.
    const { run, seen } = train(name, 'none', name === 'source-only' ? { ...options, pretrainEpochs: 2 } : options);
    const spec = METHODS[name];
    assert.ok(run.dev, `${name}: a dev result`);
    assert.ok(Number.isFinite(run.dev!.f1) && run.dev!.f1 >= 0 && run.dev!.f1 <= 100, `${name}: F1 ${run.dev!.f1}`);
    assert.is(run.result.epochs.length, 2);
    assert.ok(run.result.bestEpoch === 1 || run.result.bestEpoch === 2);
    assert.is(run.dev!.f1, run.result.bestScore);
    for (const e of run.result.epochs) assert.ok(Number.isFinite(e.meanLoss) && e.meanLoss > 0, `${name}: loss ${e.meanLoss}`);
    assert.ok(run.result.epochs[1].meanLoss < run.result.epochs[0].meanLoss, `${name}: loss falls ${run.result.epochs.map((e) => e.meanLoss)}`);
    checkTagger(run, name);

    const final = { encoder: valuesOf(run.model, 'encoder.'), sourceCrf: valuesOf(run.model, 'sourceCrf.'), targetCrf: valuesOf(run.model, 'targetCrf.') };
    assert.ok(!same(final.encoder, seen.init.encoder), `${name}: the encoder is trained`);
    const trainsSource = spec.schedule === 'source' || spec.schedule === 'joint' || spec.schedule === 'pretrain-then-target';
    const trainsTarget = spec.schedule !== 'source';
    assert.is(!same(final.sourceCrf, seen.init.sourceCrf), trainsSource, `${name}: source CRF ${trainsSource ? '' : 'un'}changed`);
    assert.is(!same(final.targetCrf, seen.init.targetCrf), trainsTarget, `${name}: target CRF ${trainsTarget ? '' : 'un'}changed`);

    const calls = Object.values(seen.calls).reduce((a, c) => ({ source: a.source + c.source, target: a.target + c.target }), { source: 0, target: 0 });
    if (!trainsSource) assert.is(calls.source, 0, `${name}: never computes the source CRF loss`);
    if (!trainsTarget) assert.is(calls.target, 0, `${name}: never computes the target CRF loss`);
    if (spec.schedule === 'joint') {
      // Every step pairs one target batch with one source batch: 20 target sentences / 8 = 3 steps per epoch.
      assert.equal(seen.calls.train, { source: 6, target: 6 });
      assert.equal(seen.phases, ['train', 'train']);
    }
    if (spec.schedule === 'target') assert.equal(seen.calls.train, { source: 0, target: 6 });
    // Merged pairs each target batch with a source batch, both through the target CRF: 2 CRF calls per step, 3 steps per epoch.
    if (spec.schedule === 'merged') assert.equal(seen.calls.train, { source: 0, target: 2 * 2 * 3 });
    if (spec.schedule === 'source') assert.equal(seen.calls.train, { source: 2 * Math.ceil(60 / 8), target: 0 });

    // Loss terms of each step: E11's terms exactly as the method switches them on.
    const expected = spec.schedule === 'joint'
      ? ['reg', 'source', 'target', ...(spec.mmd !== 'none' ? ['mmd'] : []), ...(spec.parameterTransfer ? ['pt'] : [])]
      : spec.schedule === 'merged' ? ['reg', 'source', 'target'] : ['nll', 'reg'];
    assert.equal([...seen.stepTerms].sort(), expected.sort(), `${name}: step terms`);

    if (spec.schedule === 'pretrain-then-target') {
      // One pre-training epoch (no dev evaluation), then two fine-tuning epochs selected on dev.
      assert.equal(seen.phases, ['pretrain', 'fine-tune', 'fine-tune']);
      assert.is(seen.epochDevs[0], null);
      assert.ok(seen.epochDevs[1] && seen.epochDevs[2]);
      assert.equal(seen.calls.pretrain, { source: Math.ceil(60 / 8), target: 0 });
      assert.equal(seen.calls['fine-tune'], { source: 0, target: 6 });
      assert.ok(seen.targetUntouchedDuringPretrain, 'pre-training leaves the target CRF alone');
      const at = seen.atFirstTargetStep!;
      assert.ok(!same(at.sourceCrf, seen.init.sourceCrf), 'the source CRF was pre-trained');
      assert.ok(sameCrf(at.targetCrf, 'targetCrf.', at.sourceCrf, 'sourceCrf.'), 'fine-tuning starts from a copy of the source CRF');
      assert.ok(same(final.sourceCrf, at.sourceCrf), 'fine-tuning leaves the source CRF alone');
      assert.ok(!sameCrf(final.targetCrf, 'targetCrf.', final.sourceCrf, 'sourceCrf.'), 'then the target CRF moves away');
    } else {
      assert.ok(seen.epochDevs.every((d) => d !== null), `${name}: dev evaluated after every epoch`);
    }
  });
}

test('same seed: identical dev F1, losses and parameters (la-dtl with char CNN, dropout and MMD subsampling); another seed differs', () => {
  const a = train('la-dtl', 'cnn').run, b = train('la-dtl', 'cnn').run;
  assert.is(a.dev!.f1, b.dev!.f1);
  assert.equal(a.result.epochs.map((e) => e.meanLoss), b.result.epochs.map((e) => e.meanLoss));
  assert.ok(same(valuesOf(a.model), valuesOf(b.model)), 'identical parameters');
  const c = train('la-dtl', 'cnn', { ...options, seed: 8 }).run;
  assert.ok(!same(valuesOf(a.model), valuesOf(c.model)));
  assert.ok(c.result.epochs[0].meanLoss !== a.result.epochs[0].meanLoss);
});

test('methods that need the source refuse to run without it', () => {
  const targetOnly = { target: data.target };
  for (const name of ALL.filter((n) => n !== 'target-only')) {
    assertThrowsWith(() => trainTransfer(METHODS[name], config('none'), vocab, targetOnly, options), name, 'source');
  }
});

/**
 * Regression: an epoch that `evalEvery` skips must neither select nor count toward `patience` (it
 * used to count as "no improvement", stopping training before any evaluation).
 */
test('evalEvery > 1 with patience: skipped epochs do not count toward patience', () => {
  const run = trainTransfer(METHODS['target-only'], config('none'), vocab, { target: data.target }, { ...options, epochs: 4, evalEvery: 2, patience: 1 });
  assert.ok(run.dev !== null, 'at least one dev evaluation happened and selected an epoch');
  assert.ok(run.result.epochs.length >= 2, `ran ${run.result.epochs.length} epoch(s)`);
  assert.is(run.result.bestEpoch % 2, 0, 'the selected epoch is an evaluated one');
});

test('source-only runs pretrainEpochs passes over the source, not epochs', () => {
  const run = trainTransfer(METHODS['source-only'], config('none'), vocab, data, { ...options, epochs: 3, pretrainEpochs: 1 });
  assert.is(run.result.epochs.length, 1);
});

test.run();
