/**
 * The Bi-LSTM op against the concatenation of its two directions (lstmSequence, which is checked
 * against primitive ops and finite differences in lstmSequence.test.ts): on the default backend in
 * float32 (fused path, both halves written in place, ∂x summed over directions) and on `js` in
 * float64 (the composition itself).
 */
import { test } from 'uvu';
import { Rng, Tensor } from '../../lib/tensor/index.ts';
import { type Variable, parameter, backward } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { setBackend, getBackend } from '../../lib/backend/index.ts';
import { randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(5);

function run(f32: boolean, inputs: Tensor[], R: Tensor, lengths: Int32Array, fused: boolean) {
  const cast = (t: Tensor) => (f32 ? new Tensor(Float32Array.from(t.values()), t.shape) : t.clone());
  const ps = inputs.map((t) => parameter(cast(t)));
  const [x, Wf, Uf, bf, Wb, Ub, bb] = ps;
  const y: Variable = fused
    ? ops.biLstmSequence(x, { Wih: Wf, Whh: Uf, bias: bf }, { Wih: Wb, Whh: Ub, bias: bb }, lengths)
    : ops.concat([ops.lstmSequence(x, Wf, Uf, bf, lengths, false), ops.lstmSequence(x, Wb, Ub, bb, lengths, true)], -1);
  backward(ops.sum(ops.mul(y, cast(R))));
  return { y: Array.from(y.value.values()), grads: ps.map((p) => Array.from(p.grad!.values())) };
}

for (const [B, T, I, H] of [[4, 6, 5, 8], [1, 1, 3, 4], [15, 12, 10, 12]]) {
  test(`biLstmSequence equals concat of the two directions (B=${B} T=${T} I=${I} H=${H})`, () => {
    const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
    const dir = () => [randomInput(rng, [I, 4 * H], 0.4), randomInput(rng, [H, 4 * H], 0.4), randomInput(rng, [4 * H], 0.4)];
    const inputs = [randomInput(rng, [B, T, I]), ...dir(), ...dir()];
    const R = randomInput(rng, [B, T, 2 * H]);
    // float32 on the default backend: the fused path against the per-direction fused ops.
    const a = run(true, inputs, R, lengths, true), b = run(true, inputs, R, lengths, false);
    assertClose(a.y, b.y, 1e-6, 1e-6, 'output');
    a.grads.forEach((g, i) => assertClose(g, b.grads[i], 1e-5, 1e-5, `gradient ${i}`));
    // float64 on js: the op is the composition.
    const previous = getBackend().name;
    setBackend('js');
    try {
      const c = run(false, inputs, R, lengths, true), d = run(false, inputs, R, lengths, false);
      assertClose(c.y, d.y, 0, 0, 'output (float64)');
      assertClose(a.y, c.y, 2e-6, 1e-5, 'float32 fused vs float64');
      a.grads.forEach((g, i) => assertClose(g, c.grads[i], 2e-5, 1e-4, `gradient ${i}, float32 fused vs float64`));
    } finally {
      setBackend(previous);
    }
  });
}

test('biLstmSequence refuses bad lengths like lstmSequence', () => {
  const x = new Tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]);
  const w = () => ({ Wih: new Tensor(new Float32Array(4 * 16), [4, 16]), Whh: new Tensor(new Float32Array(4 * 16), [4, 16]), bias: new Tensor(new Float32Array(16), [16]) });
  assertThrowsWith(() => ops.biLstmSequence(x, w(), w(), Int32Array.from([3, 0])), 'sentence 1 has length 0');
  assertThrowsWith(() => ops.biLstmSequence(x, w(), w(), Int32Array.from([3])), '1 lengths for a batch of 2');
});

test.run();
