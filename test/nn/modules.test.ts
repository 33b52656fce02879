/**
 * nn modules: shapes, parameter naming, masking (padding never changes real outputs), gradients
 * reaching every parameter, and the BIO/BIOES constraint tables.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, randNormal } from '../../lib/tensor/index.ts';
import { backward, noGrad } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { Encoder, CharEncoder, Crf, schemeConstraints, type EncoderInput } from '../../lib/nn/index.ts';
import { assertClose } from '../helpers/assert.ts';

function batch(lengths: number[], maxChars: number, rng: Rng): EncoderInput {
  const B = lengths.length, T = Math.max(...lengths);
  const wordIds = new Int32Array(B * T), charIds = new Int32Array(B * T * maxChars), charLengths = new Int32Array(B * T);
  lengths.forEach((L, b) => {
    for (let t = 0; t < L; t++) {
      wordIds[b * T + t] = 2 + rng.int(8);
      const n = 1 + rng.int(maxChars);
      charLengths[b * T + t] = n;
      for (let c = 0; c < n; c++) charIds[(b * T + t) * maxChars + c] = 2 + rng.int(6);
    }
  });
  return { size: B, maxLen: T, lengths: Int32Array.from(lengths), wordIds, charIds, charLengths, maxChars };
}

for (const char of ['none', 'cnn', 'lstm'] as const) {
  test(`Encoder (char ${char}): shape, padding-invariance, gradients reach every parameter`, () => {
    const rng = new Rng(5);
    const enc = new Encoder({ wordVocabularySize: 10, wordDim: 6, char, charVocabularySize: 8, charDim: 4, charSize: 3, hidden: 5, dropout: 0.5 }, new Rng(1));
    const b = batch([4, 2, 3], 3, rng);
    const h = enc.forward(b, false);
    assert.equal(h.shape, [3, 4, 10]);
    // Changing what sits in padding (word ids past the length, chars past each token's length)
    // must not change any real position's output.
    const b2 = { ...b, wordIds: b.wordIds.slice(), charIds: b.charIds.slice() };
    b2.wordIds[1 * 4 + 3] = 9;
    for (let i = 0; i < b2.charIds.length; i++) {
      const tok = Math.floor(i / 3), c = i % 3;
      if (c >= b.charLengths[tok]) b2.charIds[i] = 7;
    }
    const h2 = enc.forward(b2, false);
    assertClose(h2.value.toArray(), h.value.toArray(), 0, 0, 'padding changed outputs');
    const ht = enc.forward(b, true);
    backward(ops.sum(ops.square(ht)));
    for (const [name, p] of enc.namedParameters()) {
      assert.ok(p.grad !== null && p.grad.toArray().some((v) => v !== 0), `no gradient for ${name}`);
    }
    // Dropout at training time changes the outputs; evaluation is deterministic.
    assert.not.equal(ht.value.toArray(), h.value.toArray());
    assert.equal(enc.forward(b, false).value.toArray(), h.value.toArray());
  });
}

test('parameter names are dotted paths, stable across constructions', () => {
  const make = () => new Encoder({ wordVocabularySize: 10, wordDim: 4, char: 'cnn', charVocabularySize: 5, charDim: 3, charSize: 2, hidden: 3, dropout: 0 }, new Rng(2));
  const names = [...make().namedParameters().keys()];
  assert.equal(names, ['words.table', 'chars.embedding.table', 'chars.filters', 'chars.filterBias', 'lstm.forward.Wih', 'lstm.forward.Whh', 'lstm.forward.bias', 'lstm.backward.Wih', 'lstm.backward.Whh', 'lstm.backward.bias']);
  assert.equal(make().parameters().map((p) => p.value.toArray()), make().parameters().map((p) => p.value.toArray()), 'same seed, same initialisation');
});

test('CharEncoder works on one-character tokens (Chinese) in both modes', () => {
  for (const mode of ['cnn', 'lstm'] as const) {
    const enc = new CharEncoder({ mode, vocabularySize: 6, charDim: 4, size: 3 }, new Rng(3));
    const out = enc.forward({ ids: Int32Array.from([2, 3, 4]), lengths: Int32Array.from([1, 1, 1]), tokens: 3, maxChars: 1 });
    assert.equal(out.shape, [3, enc.outputDim]);
    assert.ok(out.value.toArray().every(Number.isFinite));
  }
});

test('BIO constraints: I-X only after B-X/I-X, never first', () => {
  const tags = ['O', 'B-A', 'I-A', 'B-B-x', 'I-B-x'];
  const c = schemeConstraints(tags, 'BIO')!;
  const allowed = (a: string, b: string): number => c.transitions[tags.indexOf(a) * 5 + tags.indexOf(b)];
  assert.is(allowed('O', 'I-A'), 0);
  assert.is(allowed('B-A', 'I-A'), 1);
  assert.is(allowed('I-A', 'I-A'), 1);
  assert.is(allowed('B-B-x', 'I-A'), 0);
  assert.is(allowed('B-B-x', 'I-B-x'), 1, 'types containing "-" compare whole');
  assert.is(allowed('I-A', 'O'), 1);
  assert.equal(Array.from(c.start), [1, 1, 0, 1, 0]);
  assert.equal(Array.from(c.end), [1, 1, 1, 1, 1]);
  assert.is(schemeConstraints(tags, 'IOB1'), undefined);
});

test('BIOES constraints: open chunks must continue, closed ones must not', () => {
  const tags = ['O', 'B-A', 'I-A', 'E-A', 'S-A'];
  const c = schemeConstraints(tags, 'BIOES')!;
  const allowed = (a: string, b: string): number => c.transitions[tags.indexOf(a) * 5 + tags.indexOf(b)];
  assert.is(allowed('B-A', 'E-A'), 1);
  assert.is(allowed('B-A', 'O'), 0);
  assert.is(allowed('I-A', 'I-A'), 1);
  assert.is(allowed('E-A', 'I-A'), 0);
  assert.is(allowed('S-A', 'B-A'), 1);
  assert.is(allowed('O', 'E-A'), 0);
  assert.equal(Array.from(c.start), [1, 1, 0, 0, 1]);
  assert.equal(Array.from(c.end), [1, 0, 0, 1, 1]);
});

test('Crf module: decode never violates constraints; marginals sum to one; training lowers the NLL', () => {
  const rng = new Rng(9);
  const tags = ['O', 'B-A', 'I-A'];
  const crf = new Crf({ inputDim: 4, numTags: 3, constraints: schemeConstraints(tags, 'BIO') }, rng);
  const h = ops.asVariable(randomH(rng, 2, 5, 4));
  const lengths = Int32Array.from([5, 3]);
  const gold = Int32Array.from([1, 2, 0, 1, 2, 0, 1, 2, 0, 0]);
  const paths = crf.decode(h, lengths);
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      const y = paths[b * 5 + t];
      if (y === 2) assert.ok(t > 0 && paths[b * 5 + t - 1] !== 0, 'I-A after O or at start');
    }
  }
  const m = crf.marginals(h, lengths);
  for (let t = 0; t < 5; t++) assertClose([m.get(0, t, 0) + m.get(0, t, 1) + m.get(0, t, 2)], [1], 1e-5);
  const before = noGrad(() => crf.nll(h, gold, lengths).value.item());
  for (let step = 0; step < 20; step++) {
    const loss = crf.nll(h, gold, lengths);
    for (const p of crf.parameters()) p.zeroGrad();
    backward(loss);
    for (const p of crf.parameters()) for (let i = 0; i < p.value.data.length; i++) p.value.data[i] -= 0.5 * p.grad!.data[i];
  }
  const after = noGrad(() => crf.nll(h, gold, lengths).value.item());
  assert.ok(after < before * 0.5, `nll ${before} -> ${after}`);
  assert.equal(Array.from(crf.decode(h, lengths)).slice(0, 5), [1, 2, 0, 1, 2]);
});

function randomH(rng: Rng, B: number, T: number, D: number) {
  return randNormal([B, T, D], rng);
}

test('output dropout: only while training; evaluation equals the encoder without it', () => {
  const cfg = { wordVocabularySize: 10, wordDim: 6, char: 'none' as const, charVocabularySize: 0, charDim: 4, charSize: 3, hidden: 5, dropout: 0 };
  const plain = new Encoder(cfg, new Rng(8)), withOut = new Encoder({ ...cfg, outputDropout: 0.5 }, new Rng(8));
  const b = batch([4, 3], 2, new Rng(2));
  assert.equal(withOut.forward(b, false).value.toArray(), plain.forward(b, false).value.toArray());
  const trained = withOut.forward(b, true).value.toArray();
  assert.ok(trained.some((v) => v === 0) && trained.some((v, i) => v !== 0 && Math.abs(v - 2 * plain.forward(b, false).value.toArray()[i]) < 1e-6), 'dropped or scaled by 1/(1-p)');
});

test.run();
