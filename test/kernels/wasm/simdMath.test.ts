/**
 * The inline SIMD transcendentals of kernels/wasm/simdMath.ts against Math.exp / Math.tanh and a
 * float64 sigmoid, over a dense grid plus random points and the clamp edges.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simdMapper } from '../../helpers/simdMapper.ts';
import { emitExpF32x4, emitSigmoidF32x4, emitTanhF32x4, EXP_MAX, EXP_MIN } from '../../../kernels/wasm/simdMath.ts';

type Emitter = typeof emitExpF32x4;

const mapper = (emit: Emitter) => simdMapper((c, l) => emit(c, l.x, l.y, l));

function grid(lo: number, hi: number, n: number): Float32Array {
  const out = new Float32Array(Math.ceil(n / 4) * 4);
  for (let i = 0; i < out.length; i++) out[i] = lo + ((hi - lo) * i) / (out.length - 1);
  return out;
}

test('exp: relative error below 2 float32 ulp on [EXP_MIN, EXP_MAX]', () => {
  const xs = grid(EXP_MIN, EXP_MAX, 200_000);
  const ys = mapper(emitExpF32x4)(xs);
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    const ref = Math.exp(xs[i]);
    worst = Math.max(worst, Math.abs(ys[i] - ref) / ref);
  }
  assert.ok(worst < 2.4e-7, `worst relative error ${worst}`);
});

test('exp: exact at 0, clamped (finite, positive) outside the range', () => {
  const ys = mapper(emitExpF32x4)(new Float32Array([0, -1000, 1000, -Infinity]));
  assert.is(ys[0], 1);
  assert.ok(ys[1] > 0 && ys[1] < 1e-37, `${ys[1]}`);
  assert.ok(Number.isFinite(ys[2]) && ys[2] > 1e38, `${ys[2]}`);
  assert.ok(ys[3] > 0 && ys[3] < 1e-37);
});

test('sigmoid and tanh: absolute error below 2.4e-7 on [−30, 30], saturate beyond', () => {
  const xs = grid(-30, 30, 100_000);
  const s = mapper(emitSigmoidF32x4)(xs), t = mapper(emitTanhF32x4)(xs);
  let ws = 0, wt = 0;
  for (let i = 0; i < xs.length; i++) {
    ws = Math.max(ws, Math.abs(s[i] - 1 / (1 + Math.exp(-xs[i]))));
    wt = Math.max(wt, Math.abs(t[i] - Math.tanh(xs[i])));
  }
  assert.ok(ws < 2.4e-7, `sigmoid worst ${ws}`);
  assert.ok(wt < 2.4e-7, `tanh worst ${wt}`);
  const edge = new Float32Array([-500, 500, 0, 0]);
  const se = mapper(emitSigmoidF32x4)(edge), te = mapper(emitTanhF32x4)(edge);
  assert.ok(se[0] >= 0 && se[0] < 1e-30); assert.is(se[1], 1); assert.is(se[2], 0.5);
  assert.is(te[0], -1); assert.is(te[1], 1); assert.is(te[2], 0);
});

test.run();
