/**
 * The inference cache of input projections (lib/nn/inputProjection.ts): the encoder's output with
 * cached rows equals, bit for bit, the output computed from x; rows are never used stale (changed
 * embedding rows or W_ih); the memory bound holds and emptying the cache changes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { noGrad } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { getBackend } from '../../lib/backend/index.ts';
import { Encoder, BiLstm, type EncoderInput } from '../../lib/nn/index.ts';
import { InputProjectionCache } from '../../lib/nn/inputProjection.ts';

const fused = getBackend().lstmDirection !== undefined;

function batch(lengths: number[], vocabulary: number, maxChars: number, rng: Rng): EncoderInput {
  const B = lengths.length, T = Math.max(...lengths);
  const wordIds = new Int32Array(B * T), charIds = new Int32Array(B * T * maxChars), charLengths = new Int32Array(B * T);
  lengths.forEach((L, b) => {
    for (let t = 0; t < L; t++) {
      wordIds[b * T + t] = 2 + rng.int(vocabulary - 2);
      const n = 1 + rng.int(maxChars);
      charLengths[b * T + t] = n;
      for (let c = 0; c < n; c++) charIds[(b * T + t) * maxChars + c] = 2 + rng.int(6);
    }
  });
  return { size: B, maxLen: T, lengths: Int32Array.from(lengths), wordIds, charIds, charLengths, maxChars };
}

/** The encoder's output bits: through the cache (no gradients) and from x (gradients recorded: no cache). */
function bothPaths(enc: Encoder, b: EncoderInput): { cached: Int32Array; direct: Int32Array } {
  const cached = noGrad(() => enc.forward(b, false)).value.values() as Float32Array;
  const direct = enc.forward(b, false).value.values() as Float32Array;
  return { cached: new Int32Array(cached.slice().buffer), direct: new Int32Array(direct.slice().buffer) };
}

function assertSameBits(a: Int32Array, b: Int32Array, what: string): void {
  assert.is(a.length, b.length, what);
  const at = a.findIndex((v, i) => v !== b[i]);
  assert.is(at, -1, `${what}: first differing element ${at}`);
}

for (const char of ['none', 'cnn'] as const) {
  test(`Encoder (char ${char}): cached input projections give the same bits as the product from x`, () => {
    if (!fused) return console.log('  (skipped: no fused LSTM on this backend)');
    const rng = new Rng(11);
    const enc = new Encoder({ wordVocabularySize: 40, wordDim: 12, char, charVocabularySize: 8, charDim: 4, charSize: 5, hidden: 8, dropout: 0.5 }, rng);
    for (let round = 0; round < 4; round++) {
      const b = batch([9, 3, 7, 9, 1], 40, 4, rng);
      const { cached, direct } = bothPaths(enc, b);
      assertSameBits(cached, direct, `round ${round}`);
    }
  });
}

test('InputProjectionCache: no stale rows after a changed embedding row or W_ih', () => {
  if (!fused) return console.log('  (skipped: no fused LSTM on this backend)');
  const rng = new Rng(12);
  const enc = new Encoder({ wordVocabularySize: 20, wordDim: 8, char: 'none', charVocabularySize: 4, charDim: 2, charSize: 2, hidden: 4, dropout: 0 }, rng);
  const b = batch([6, 6, 4], 20, 1, rng);
  const before = bothPaths(enc, b);
  assertSameBits(before.cached, before.direct, 'before');
  // Change one word's embedding row (a word of the batch), then one W_ih value of the reverse direction.
  const table = enc.words.table.value.data as Float32Array;
  table[b.wordIds[0] * 8 + 3] += 0.5;
  const afterRow = bothPaths(enc, b);
  assertSameBits(afterRow.cached, afterRow.direct, 'after an embedding change');
  assert.ok(afterRow.cached.some((v, i) => v !== before.cached[i]), 'the change is visible');
  (enc.lstm.backwardLstm.Wih.value.data as Float32Array)[5] -= 0.25;
  const afterWih = bothPaths(enc, b);
  assertSameBits(afterWih.cached, afterWih.direct, 'after a W_ih change');
  assert.ok(afterWih.cached.some((v, i) => v !== afterRow.cached[i]), 'the change is visible');
});

test('InputProjectionCache: bounded by maxBytes; emptying it changes no result', () => {
  if (!fused) return console.log('  (skipped: no fused LSTM on this backend)');
  const rng = new Rng(13);
  const I = 8, H = 4, G = 4 * H;
  const lstm = new BiLstm(I, H, rng);
  const embedding = Float32Array.from({ length: 50 * I }, () => rng.normal());
  // Room for 10 rows: (2·16 + 8 floats) · 4 bytes each.
  const cache = new InputProjectionCache(10 * 4 * (2 * G + I));
  const weights = { embedding, dim: I, forwardWih: lstm.forwardLstm.Wih.value.data as Float32Array, backwardWih: lstm.backwardLstm.Wih.value.data as Float32Array, gates: G };
  for (let round = 0; round < 6; round++) {
    const b = batch([5, 4], 50, 1, rng);
    const x = ops.gather(new Tensor(embedding, [50, I]), b.wordIds, [b.size, b.maxLen]);
    const projection = cache.lookup(b.wordIds, weights);
    assert.ok(projection, 'a projection on the fused backend');
    const distinct = new Set(b.wordIds).size;
    assert.ok(cache.size <= Math.max(10, distinct), `${cache.size} rows cached, room for 10 (batch: ${distinct} words)`);
    const viaCache = noGrad(() => lstm.forward(x, b.lengths, projection)).value.values() as Float32Array;
    const direct = noGrad(() => lstm.forward(x, b.lengths)).value.values() as Float32Array;
    assertSameBits(new Int32Array(viaCache.slice().buffer), new Int32Array(direct.slice().buffer), `round ${round}`);
  }
});

test.run();
