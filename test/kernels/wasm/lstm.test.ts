/**
 * The fused wasm LSTM direction (kernels/wasm/lstm.ts) against its CPU twin: the TypeScript
 * sequence kernels and the op around them, run in float64 on the `js` backend. Values and all four
 * gradients, both directions, ragged and unsorted lengths, sizes that are and are not multiples of
 * the SIMD width and register tile, and the paper's size.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../../lib/tensor/index.ts';
import { parameter, backward } from '../../../lib/autodiff/index.ts';
import * as ops from '../../../lib/ops/index.ts';
import { setBackend, getBackend } from '../../../lib/backend/index.ts';
import { lstmDirectionForward, lstmDirectionBackward, wasmLstmSupports } from '../../../kernels/wasm/lstm.ts';

const rng = new Rng(2024);

function randomArray(n: number, scale: number): Float64Array {
  return Float64Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

/** max |a − ref| / max |ref|: float32 rounding of sums over k terms stays far below 1e-5 here. */
function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) {
    num = Math.max(num, Math.abs(a[i] - ref[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  return den === 0 ? num : num / den;
}

function reference(x: Float64Array, Wih: Float64Array, Whh: Float64Array, bias: Float64Array, dh: Float64Array, B: number, T: number, I: number, H: number, lengths: Int32Array, reverse: boolean) {
  const previous = getBackend().name;
  setBackend('js');
  try {
    const px = parameter(new Tensor(Float64Array.from(x), [B, T, I])), pi = parameter(new Tensor(Float64Array.from(Wih), [I, 4 * H]));
    const ph = parameter(new Tensor(Float64Array.from(Whh), [H, 4 * H])), pb = parameter(new Tensor(Float64Array.from(bias), [4 * H]));
    const h = ops.lstmSequence(px, pi, ph, pb, lengths, reverse);
    backward(ops.sum(ops.mul(h, new Tensor(Float64Array.from(dh), [B, T, H]))));
    return { h: h.value.values(), dx: px.grad!.values(), dWih: pi.grad!.values(), dWhh: ph.grad!.values(), dBias: pb.grad!.values() };
  } finally {
    setBackend(previous);
  }
}

const CASES: [number, number, number, number][] = [[15, 40, 100, 100], [3, 5, 6, 4], [1, 1, 3, 8], [5, 7, 9, 12], [6, 4, 16, 20], [9, 11, 5, 36]];

test('the fused kernels are available on Node 20 (WebAssembly SIMD)', () => {
  assert.ok(wasmLstmSupports({ H: 100, I: 100 }));
  assert.not.ok(wasmLstmSupports({ H: 6, I: 3 }), 'H not a multiple of 4 takes the TypeScript path');
});

for (const reverse of [false, true]) {
  test(`fused direction equals the float64 twin: h and all gradients (${reverse ? 'reverse' : 'forward'})`, () => {
    for (const [B, T, I, H] of CASES) {
      const lengths = Int32Array.from({ length: B }, (_, b) => (b === Math.floor(B / 2) ? T : 1 + rng.int(T)));
      const x = randomArray(B * T * I, 1), Wih = randomArray(I * 4 * H, 0.3), Whh = randomArray(H * 4 * H, 0.3), bias = randomArray(4 * H, 0.5);
      const dh = randomArray(B * T * H, 1);
      for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) for (let j = 0; j < H; j++) dh[(b * T + t) * H + j] = 0;
      const ref = reference(x, Wih, Whh, bias, dh, B, T, I, H, lengths, reverse);
      const d = { B, T, I, H, lengths, reverse };
      const f = (a: Float64Array) => Float32Array.from(a);
      const { h, saved } = lstmDirectionForward(f(x), f(Wih), f(Whh), f(bias), d, true);
      const g = lstmDirectionBackward(f(dh), saved!, f(x), f(Wih), f(Whh), d, true);
      const label = `B=${B} T=${T} I=${I} H=${H}`;
      assert.ok(relErr(h, ref.h) < 2e-6, `${label}: h ${relErr(h, ref.h)}`);
      for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) for (let j = 0; j < H; j++) assert.is(h[(b * T + t) * H + j], 0, 'padding is zero');
      assert.ok(relErr(g.dx!, ref.dx) < 1e-5, `${label}: dx ${relErr(g.dx!, ref.dx)}`);
      assert.ok(relErr(g.dWih, ref.dWih) < 1e-5, `${label}: dWih ${relErr(g.dWih, ref.dWih)}`);
      assert.ok(relErr(g.dWhh, ref.dWhh) < 1e-5, `${label}: dWhh ${relErr(g.dWhh, ref.dWhh)}`);
      assert.ok(relErr(g.dBias, ref.dBias) < 1e-5, `${label}: dBias ${relErr(g.dBias, ref.dBias)}`);
    }
  });
}

test('without keep nothing is saved; without dx none is computed; same inputs give bit-identical outputs', () => {
  const [B, T, I, H] = [4, 6, 5, 8];
  const lengths = Int32Array.from([6, 2, 5, 6]);
  const x = Float32Array.from(randomArray(B * T * I, 1)), Wih = Float32Array.from(randomArray(I * 4 * H, 0.3));
  const Whh = Float32Array.from(randomArray(H * 4 * H, 0.3)), bias = Float32Array.from(randomArray(4 * H, 0.3));
  const d = { B, T, I, H, lengths, reverse: false };
  const a = lstmDirectionForward(x, Wih, Whh, bias, d, false);
  assert.is(a.saved, null);
  const b = lstmDirectionForward(x, Wih, Whh, bias, d, true);
  assert.equal(Array.from(a.h), Array.from(b.h));
  const dh = Float32Array.from(randomArray(B * T * H, 1));
  const g1 = lstmDirectionBackward(dh, b.saved!, x, Wih, Whh, d, false);
  // One backward pass per forward pass: the saved buffers are recycled, a second use is refused.
  assert.throws(() => lstmDirectionBackward(dh, b.saved!, x, Wih, Whh, d, true), /already back-propagated/);
  const g2 = lstmDirectionBackward(dh, lstmDirectionForward(x, Wih, Whh, bias, d, true).saved!, x, Wih, Whh, d, true);
  assert.is(g1.dx, null);
  assert.equal(Array.from(g1.dWhh), Array.from(g2.dWhh));
  assert.equal(Array.from(g1.dWih), Array.from(g2.dWih));
});

test.run();
