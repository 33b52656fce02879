/**
 * The backends agree: `cpu` (wasm SIMD float32 matmul inside every kernel that multiplies) and `gpu`
 * (GPU.js kernels, in whatever mode GPU.js gives here) against `js` (pure TypeScript, the
 * reference), on a whole tagger's loss, gradients and decoding.
 * Tolerance: float32 sums of a few hundred products in a different order differ by ~1e-6 relative;
 * 1e-4 relative (+1e-5 absolute) leaves room for the accumulation through the LSTM's 40 steps.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/tensor/index.ts';
import { backward } from '../../lib/autodiff/index.ts';
import { Tagger, type TaggerBatch } from '../../lib/nn/index.ts';
import '../../lib/backend/gpu.ts';
import { setBackend, getBackend, listBackends } from '../../lib/backend/index.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

function batch(rng: Rng): TaggerBatch {
  const B = 5, T = 12, C = 6;
  const lengths = Int32Array.from({ length: B }, (_, b) => T - 2 * b);
  const wordIds = new Int32Array(B * T), tagIds = new Int32Array(B * T).fill(-1), charIds = new Int32Array(B * T * C), charLengths = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      wordIds[b * T + t] = 2 + rng.int(40);
      tagIds[b * T + t] = rng.int(3);
      if (tagIds[b * T + t] === 2 && (t === 0 || tagIds[b * T + t - 1] === 0)) tagIds[b * T + t] = 1;
      charLengths[b * T + t] = 1 + rng.int(C);
      for (let c = 0; c < charLengths[b * T + t]; c++) charIds[(b * T + t) * C + c] = 2 + rng.int(20);
    }
  }
  return { size: B, maxLen: T, lengths, wordIds, tagIds, charIds, charLengths, maxChars: C };
}

function run(name: string) {
  setBackend(name);
  const tagger = new Tagger({
    encoder: { wordVocabularySize: 50, wordDim: 24, char: 'cnn', charVocabularySize: 30, charDim: 8, charSize: 12, hidden: 20, dropout: 0 },
    labels: ['O', 'B-X', 'I-X'], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(3));
  const b = batch(new Rng(4));
  const loss = tagger.loss(b, true);
  backward(loss);
  return { loss: loss.value.item(), grads: tagger.parameters().map((p) => p.grad!.toArray()), decoded: Array.from(tagger.decode(b)) };
}

// Same tolerance for both: each is float32 like js; only summation orders differ.
for (const [name, what] of [['cpu', 'wasm matmul'], ['gpu', 'GPU.js kernels for matmul, LSTM cells, CRF, Viterbi']] as const) {
  test(`${name} (${what}) and js agree on loss, every gradient and the Viterbi path`, () => {
    try {
      const js = run('js'), other = run(name);
      assert.match(getBackend().description, name === 'gpu' ? /^gpu \(GPU\.js \w+ mode/ : /^cpu/);
      assertClose([other.loss], [js.loss], 1e-5, 1e-4, 'loss');
      other.grads.forEach((g, i) => assertClose(g, js.grads[i], 1e-5, 1e-4, `gradient ${i}`));
      assert.equal(other.decoded, js.decoded);
    } finally {
      setBackend('cpu');
    }
  });
}

test('registry: every backend listed, describe themselves, unknown names refused', () => {
  assert.ok(listBackends().includes('cpu') && listBackends().includes('js') && listBackends().includes('gpu'));
  assert.match(getBackend().description, /^cpu/);
  assertThrowsWith(() => setBackend('tpu'), 'unknown backend "tpu"', 'cpu', 'js', 'gpu');
});

test.run();
