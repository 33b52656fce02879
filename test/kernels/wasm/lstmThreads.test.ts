/**
 * The two-core Bi-LSTM (kernels/wasm/lstmThreads.ts, reverse direction on a worker thread) against
 * its single-thread twin `lstmBidirectionalForward/Backward`: outputs and all gradients bit-identical,
 * with two forward passes in flight before their backward passes (a La-DTL step's source and target),
 * a batch that grows the shared buffer, and a training run whose parameters end identical.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../lib/tensor/index.ts';
import { LstmThreads } from '../../../kernels/wasm/lstmThreads.ts';
import { lstmBidirectionalForward, lstmBidirectionalBackward, type LstmWeights } from '../../../kernels/wasm/lstm.ts';
import { backward } from '../../../lib/autodiff/index.ts';
import { Tagger } from '../../../lib/nn/index.ts';
import { Adam } from '../../../lib/train/index.ts';
import { useLstmThreads } from '../../../lib/backend/threads.ts';
import { syntheticBatch, paperTaggerConfig } from '../../../bench/peers/syntheticBatch.ts';

const rng = new Rng(12);
const rand = (n: number, s = 0.3) => Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * s);
const weights = (I: number, H: number): LstmWeights => ({ Wih: rand(I * 4 * H), Whh: rand(H * 4 * H), bias: rand(4 * H) });
const same = (a: Float32Array | null, b: Float32Array | null, what: string) => assert.ok(a !== null && b !== null && a.length === b.length && a.every((v, i) => Object.is(v, b[i])), `${what} differs`);

test('threaded Bi-LSTM equals the single-thread twin bit for bit (two passes in flight, buffer growth)', () => {
  const threads = new LstmThreads();
  try {
    const cases = [[3, 5, 6, 4], [15, 40, 100, 100], [2, 3, 5, 8]].map(([B, T, I, H]) => {
      const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
      return { d: { B, T, I, H, lengths, reverse: false }, x: rand(B * T * I, 1), f: weights(I, H), b: weights(I, H), dh: rand(B * T * 2 * H, 1) };
    });
    const passes = cases.map((c) => ({ c, mine: threads.forward(c.x, c.f, c.b, c.d, true), ref: lstmBidirectionalForward(c.x, c.f, c.b, c.d, true) }));
    for (const { c, mine, ref } of passes.reverse()) {
      same(mine.h, ref.h, 'h');
      const g = threads.backward(c.dh, mine.saved!, c.x, c.f, c.b, c.d, true);
      const r = lstmBidirectionalBackward(c.dh, ref.saved!, c.x, c.f, c.b, c.d, true);
      same(g.dx, r.dx, 'dx');
      for (const side of ['forward', 'backward'] as const) {
        same(g[side].dWih, r[side].dWih, `${side} dWih`);
        same(g[side].dWhh, r[side].dWhh, `${side} dWhh`);
        same(g[side].dBias, r[side].dBias, `${side} dBias`);
      }
    }
    // A second backward of the same pass is refused with a message, not a wrong answer.
    const c = passes[0].c;
    const p = threads.forward(c.x, c.f, c.b, c.d, true);
    threads.backward(c.dh, p.saved!, c.x, c.f, c.b, c.d, false);
    assert.throws(() => threads.backward(c.dh, p.saved!, c.x, c.f, c.b, c.d, false), /no saved forward pass|already back-propagated/);
  } finally {
    threads.close();
  }
});

test('training with 2 threads gives the same parameters as with 1', () => {
  const train = (n: number) => {
    useLstmThreads(n);
    const r = new Rng(4);
    const tagger = new Tagger(paperTaggerConfig('none'), r);
    const opt = new Adam(tagger.parameters(), 0.002);
    for (let s = 0; s < 3; s++) {
      const loss = tagger.loss(syntheticBatch(r, 6, 12, 5000, 80, 1), true);
      opt.zeroGrad();
      backward(loss);
      opt.step();
    }
    return tagger.parameters().map((p) => Float32Array.from(p.value.values()));
  };
  try {
    const one = train(1), two = train(2);
    one.forEach((p, i) => same(p, two[i], `parameter ${i}`));
  } finally {
    useLstmThreads(1);
  }
});

test.run();
