/**
 * The fused char CNN (lib/ops/charCnn.ts, kernels/cpu/charCnn.ts) against the composition it
 * replaces in the char encoder (mask padded characters → conv1d over the padded row → + bias →
 * max over the real positions), values and gradients of all three inputs, in float64 on the
 * `js` backend and in float32 on the default backend (wasm matmul); and by finite differences.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { type Variable, parameter, backward } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { setBackend, getBackend } from '../../lib/backend/index.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(31);

/** The reference: what lib/nn/charEncoder.ts computed before the fused op. */
function composed(e: Variable, w: Variable, bias: Variable, lengths: Int32Array): Variable {
  const [N, C] = e.shape;
  const keep = new Float64Array(N * C), pushDown = new Float64Array(N * C);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) if (c < lengths[n]) keep[n * C + c] = 1; else pushDown[n * C + c] = -1e9;
  const masked = ops.mul(e, new Tensor(keep, [N, C, 1]));
  const conv = ops.add(ops.conv1d(masked, w, (w.shape[0] - 1) / 2), bias);
  return ops.max(ops.add(conv, new Tensor(pushDown, [N, C, 1])), 1);
}

function gradsOf(f: (e: Variable, w: Variable, b: Variable) => Variable, inputs: Tensor[], R: Tensor) {
  const ps = inputs.map((t) => parameter(t.clone()));
  const y = f(ps[0], ps[1], ps[2]);
  backward(ops.sum(ops.mul(y, R)));
  return { y: Array.from(y.value.values()), grads: ps.map((p) => Array.from(p.grad!.values())) };
}

for (const [N, C, D, F, K] of [[5, 6, 3, 4, 3], [1, 1, 2, 3, 3], [7, 9, 4, 5, 5], [4, 3, 2, 2, 1]]) {
  test(`fused equals the composition (N=${N} C=${C} D=${D} F=${F} K=${K}), float64 and float32`, () => {
    const lengths = Int32Array.from({ length: N }, (_, n) => (n === 0 ? C : 1 + rng.int(C)));
    const e = randomInput(rng, [N, C, D]), w = randomInput(rng, [K, D, F], 0.5), b = randomInput(rng, [F], 0.5);
    const R = randomInput(rng, [N, F]);
    const previous = getBackend().name;
    setBackend('js');
    let ref;
    try {
      ref = gradsOf((x, y, z) => composed(x, y, z, lengths), [e, w, b], R);
      const got = gradsOf((x, y, z) => ops.charCnn(x, y, z, lengths), [e, w, b], R);
      assertClose(got.y, ref.y, 1e-12, 1e-12, 'output (float64)');
      got.grads.forEach((g, i) => assertClose(g, ref!.grads[i], 1e-12, 1e-12, `gradient ${i} (float64)`));
    } finally {
      setBackend(previous);
    }
    const f32 = (t: Tensor) => new Tensor(Float32Array.from(t.values()), t.shape);
    const got32 = gradsOf((x, y, z) => ops.charCnn(x, y, z, lengths), [f32(e), f32(w), f32(b)], f32(R));
    assertClose(got32.y, ref.y, 1e-5, 1e-5, 'output (float32, default backend)');
    got32.grads.forEach((g, i) => assertClose(g, ref!.grads[i], 1e-5, 1e-5, `gradient ${i} (float32)`));
  });
}

test('finite differences through all three inputs', () => {
  const lengths = Int32Array.from([3, 1, 4]);
  const previous = getBackend().name;
  setBackend('js');
  try {
    gradCheck((e, w, b) => ops.charCnn(e, w, b, lengths), [randomInput(rng, [3, 4, 2]), randomInput(rng, [3, 2, 3], 0.5), randomInput(rng, [3], 0.5)]);
  } finally {
    setBackend(previous);
  }
});

test('bad shapes and lengths are refused with a message', () => {
  const e = randomInput(rng, [2, 3, 2]), w = randomInput(rng, [3, 2, 4]), b = randomInput(rng, [4]);
  assertThrowsWith(() => ops.charCnn(e, w, b, Int32Array.from([3, 0])), 'token 1 has 0 characters');
  assertThrowsWith(() => ops.charCnn(e, w, b, Int32Array.from([3])), '1 lengths for 2 tokens');
  assertThrowsWith(() => ops.charCnn(e, randomInput(rng, [2, 2, 4]), b, Int32Array.from([1, 1])), 'must be odd');
  assert.ok(true);
});

test.run();
