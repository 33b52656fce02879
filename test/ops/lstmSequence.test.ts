/**
 * The fused LSTM op against the same LSTM composed from primitive ops (values and gradients, both
 * directions, ragged batches), and by finite differences.
 */
import { test } from 'uvu';
import { Rng, Tensor, zeros } from '../../lib/tensor/index.ts';
import { type Variable, parameter, backward } from '../../lib/autodiff/index.ts';
import * as ops from '../../lib/ops/index.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(77);

/** The reference: paper E1's LSTM written with primitive ops, one sentence and one step at a time. */
function composedLstm(x: Variable, Wih: Variable, Whh: Variable, bias: Variable, lengths: Int32Array, reverse: boolean): Variable {
  const [B, T, I] = x.shape;
  const H = Whh.shape[0];
  const rows: Variable[] = [];
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    let h: Variable = parameterFree(zeros([1, H], 'float64'));
    let c: Variable = parameterFree(zeros([1, H], 'float64'));
    const outs: Variable[] = new Array(T);
    for (let s = 0; s < L; s++) {
      const t = reverse ? L - 1 - s : s;
      const xt = ops.reshape(ops.slice(x, [b, t, 0], [1, 1, I]), [1, I]);
      const pre = ops.add(ops.add(ops.matmul(xt, Wih), ops.matmul(h, Whh)), bias);
      const gate = (k: number) => ops.slice(pre, [0, k * H], [1, H]);
      const i = ops.sigmoid(gate(0)), f = ops.sigmoid(gate(1)), g = ops.tanh(gate(2)), o = ops.sigmoid(gate(3));
      c = ops.add(ops.mul(f, c), ops.mul(i, g));
      h = ops.mul(o, ops.tanh(c));
      outs[t] = h;
    }
    for (let t = L; t < T; t++) outs[t] = parameterFree(zeros([1, H], 'float64'));
    rows.push(ops.concat(outs, 0));
  }
  return ops.stack(rows, 0);
}

function parameterFree(t: Tensor): Variable {
  return ops.asVariable(t);
}

function randomCase(B: number, T: number, I: number, H: number) {
  return {
    x: randomInput(rng, [B, T, I]),
    Wih: randomInput(rng, [I, 4 * H], 0.5),
    Whh: randomInput(rng, [H, 4 * H], 0.5),
    bias: randomInput(rng, [4 * H], 0.5),
    lengths: Int32Array.from({ length: B }, (_, b) => (b === 1 ? T : 1 + rng.int(T))),
  };
}

for (const reverse of [false, true]) {
  test(`fused equals composed: values and all four gradients (${reverse ? 'reverse' : 'forward'})`, () => {
    for (const [B, T, I, H] of [[3, 5, 4, 3], [1, 1, 2, 2], [2, 6, 3, 5]]) {
      const c = randomCase(B, T, I, H);
      const R = randomInput(rng, [B, T, H]);
      const run = (f: (x: Variable, a: Variable, b: Variable, bias: Variable, lengths: Int32Array, reverse: boolean) => Variable) => {
        const ps = [parameter(c.x.clone()), parameter(c.Wih.clone()), parameter(c.Whh.clone()), parameter(c.bias.clone())];
        const out = f(ps[0], ps[1], ps[2], ps[3], c.lengths, reverse);
        backward(ops.sum(ops.mul(out, R)));
        return { out: out.value.toArray(), grads: ps.map((p) => p.grad!.toArray()) };
      };
      const fused = run(ops.lstmSequence);
      const composed = run(composedLstm);
      assertClose(fused.out, composed.out, 1e-12, 1e-10, 'h');
      ['dx', 'dWih', 'dWhh', 'dbias'].forEach((name, i) => assertClose(fused.grads[i], composed.grads[i], 1e-12, 1e-10, name));
    }
  });
}

test('finite differences of the fused op (ragged batch, both directions)', () => {
  const c = randomCase(3, 4, 3, 2);
  for (const reverse of [false, true]) {
    gradCheck((x, a, b, bias) => ops.lstmSequence(x, a, b, bias, c.lengths, reverse), [c.x, c.Wih, c.Whh, c.bias]);
  }
});

test('shape and length errors', () => {
  const c = randomCase(2, 3, 4, 2);
  assertThrowsWith(() => ops.lstmSequence(c.x, c.Whh, c.Whh, c.bias, c.lengths, false), 'lstmSequence', '[2, 3, 4]', '[2, 8]');
  assertThrowsWith(() => ops.lstmSequence(c.x, c.Wih, c.Whh, c.bias, Int32Array.from([1]), false), '1 lengths');
  assertThrowsWith(() => ops.lstmSequence(c.x, c.Wih, c.Whh, c.bias, Int32Array.from([1, 4]), false), 'length 4');
});

test.run();
