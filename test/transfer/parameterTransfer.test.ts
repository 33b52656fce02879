/**
 * CRF parameter transfer (paper E10, lib/transfer/parameterTransfer.ts):
 *   L_PT = γ_W·(½‖A_s − A_t‖² + ½‖W_s − W_t‖² [+ ½‖start_s − start_t‖² + ½‖end_s − end_t‖²]) + γ_b·½‖b_s − b_t‖²
 * against the hand formula, its gradient in closed form and by finite differences.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, type Tensor } from '../../lib/tensor/index.ts';
import { type Variable, backward } from '../../lib/autodiff/index.ts';
import { Crf } from '../../lib/nn/index.ts';
import { crfParameterTransfer } from '../../lib/transfer/index.ts';
import { gradCheck, randomInput } from '../helpers/gradcheck.ts';
import { assertClose, assertThrowsWith } from '../helpers/assert.ts';

const rng = new Rng(77);
const NAMES = ['W', 'b', 'transitions', 'start', 'end'] as const;

/** A CRF whose parameters are random float64 tensors (so that sums are exact enough to compare). */
function randomCrf(inputDim: number, K: number, boundary = true, scale = 1): Crf {
  const crf = new Crf({ inputDim, numTags: K, boundary }, rng);
  for (const name of NAMES) {
    const v = crf[name];
    if (v.requiresGrad) v.value = randomInput(rng, [...v.shape], scale);
    else v.value = v.value.cast('float64');
  }
  return crf;
}

function copyCrf(from: Crf, boundary = true): Crf {
  const c = new Crf({ inputDim: from.W.shape[0], numTags: from.numTags, boundary }, rng);
  for (const name of NAMES) if (c[name].requiresGrad) c[name].value = from[name].value.clone();
  return c;
}

function halfSq(a: Tensor, b: Tensor): number {
  const x = a.values(), y = b.values();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return s / 2;
}

function handFormula(s: Crf, t: Crf, gammaW: number, gammaB: number, boundary: boolean): number {
  const w = halfSq(s.transitions.value, t.transitions.value) + halfSq(s.W.value, t.W.value)
    + (boundary ? halfSq(s.start.value, t.start.value) + halfSq(s.end.value, t.end.value) : 0);
  return gammaW * w + gammaB * halfSq(s.b.value, t.b.value);
}

test('exactly 0 for equal CRFs (copied values), with and without boundary scores', () => {
  for (const boundary of [true, false]) {
    const s = randomCrf(6, 4, boundary);
    const pt = crfParameterTransfer(s, copyCrf(s, boundary), { gammaW: 0.3, gammaB: 0.7 });
    assert.is(pt.value.item(), 0);
    assert.equal(pt.shape, []);
  }
  // A CRF against itself, and the default coefficients.
  const s = randomCrf(3, 5);
  assert.is(crfParameterTransfer(s, s).value.item(), 0);
});

test('equals the hand formula for random CRFs (defaults γ_W = γ_b = 0.1, and other coefficients)', () => {
  for (const [inputDim, K, boundary] of [[6, 4, true], [3, 7, false], [1, 2, true]] as const) {
    const s = randomCrf(inputDim, K, boundary), t = randomCrf(inputDim, K, boundary);
    assertClose([crfParameterTransfer(s, t).value.item()], [handFormula(s, t, 0.1, 0.1, boundary)], 1e-12, 1e-12, 'defaults');
    for (const [gW, gB] of [[0.25, 0], [0, 0.4], [1.5, 0.3]]) {
      const got = crfParameterTransfer(s, t, { gammaW: gW, gammaB: gB }).value.item();
      assertClose([got], [handFormula(s, t, gW, gB, boundary)], 1e-12, 1e-12, `γ_W=${gW} γ_b=${gB} boundary=${boundary}`);
    }
    // Symmetric in source and target.
    assertClose([crfParameterTransfer(t, s).value.item()], [crfParameterTransfer(s, t).value.item()], 0, 1e-15);
  }
});

test('each part is weighted by its own γ: W, A, start, end by γ_W, b by γ_b', () => {
  const s = randomCrf(4, 3);
  for (const name of NAMES) {
    const t = copyCrf(s);
    const d = t[name].value.data;
    d[0] += 2; // ½·2² = 2 on exactly one part
    const v = crfParameterTransfer(s, t, { gammaW: 0.3, gammaB: 0.05 }).value.item();
    assertClose([v], [name === 'b' ? 0.1 : 0.6], 1e-12, 1e-12, name);
  }
});

test('without learned boundary scores start/end are left out (they are constants, not parameters)', () => {
  const s = randomCrf(4, 3, false), t = copyCrf(s, false);
  t.start.value.data[0] = 5; // a constant the CRF does not learn
  assert.is(crfParameterTransfer(s, t).value.item(), 0);
});

test('gradient: γ·(θ_t − θ_s) on the target, γ·(θ_s − θ_t) on the source; a small step on both pulls them together', () => {
  const gammaW = 0.3, gammaB = 0.7;
  const s = randomCrf(5, 4), t = randomCrf(5, 4);
  const pt = crfParameterTransfer(s, t, { gammaW, gammaB });
  backward(pt);
  for (const name of NAMES) {
    const g = name === 'b' ? gammaB : gammaW;
    const vs = s[name].value.values(), vt = t[name].value.values();
    assertClose(t[name].grad!.values(), Array.from(vt, (x, i) => g * (x - vs[i])), 1e-12, 1e-12, `target ${name}`);
    assertClose(s[name].grad!.values(), Array.from(vs, (x, i) => g * (x - vt[i])), 1e-12, 1e-12, `source ${name}`);
  }
  const before = pt.value.item();
  const lr = 0.1;
  for (const crf of [s, t]) for (const name of NAMES) {
    const v: Variable = crf[name];
    const d = v.value.data, gr = v.grad!.values();
    for (let i = 0; i < d.length; i++) d[i] -= lr * gr[i];
  }
  const after = crfParameterTransfer(s, t, { gammaW, gammaB }).value.item();
  assert.ok(after < before, `${after} < ${before}`);
  // Each difference shrinks by the factor (1 − 2·lr·γ), so the penalty by its square.
  const sW = (1 - 2 * lr * gammaW) ** 2, sB = (1 - 2 * lr * gammaB) ** 2;
  const s0 = randomCrf(5, 4), t0 = randomCrf(5, 4); // fresh pair for an exact check
  const partsW = crfParameterTransfer(s0, t0, { gammaW: 1, gammaB: 0 }).value.item();
  const partsB = crfParameterTransfer(s0, t0, { gammaW: 0, gammaB: 1 }).value.item();
  const p0 = crfParameterTransfer(s0, t0, { gammaW, gammaB });
  backward(p0);
  for (const crf of [s0, t0]) for (const name of NAMES) {
    const d = crf[name].value.data, gr = crf[name].grad!.values();
    for (let i = 0; i < d.length; i++) d[i] -= lr * gr[i];
  }
  assertClose([crfParameterTransfer(s0, t0, { gammaW, gammaB }).value.item()], [gammaW * sW * partsW + gammaB * sB * partsB], 1e-12, 1e-10, 'contraction');
});

test('finite differences w.r.t. every parameter of both CRFs', () => {
  const inputDim = 3, K = 4;
  const shapes = [[inputDim, K], [K], [K, K], [K], [K]];
  /** A Crf-like view over gradCheck's parameters: crfParameterTransfer reads numTags, W, b, transitions, start, end. */
  const view = (xs: Variable[]): Crf => ({ numTags: K, W: xs[0], b: xs[1], transitions: xs[2], start: xs[3], end: xs[4] }) as unknown as Crf;
  const inputs = [...shapes, ...shapes].map((sh) => randomInput(rng, sh));
  const r = gradCheck((...xs) => crfParameterTransfer(view(xs.slice(0, 5)), view(xs.slice(5)), { gammaW: 0.3, gammaB: 0.7 }), inputs);
  assert.is(r.checked, 2 * (inputDim * K + K + K * K + K + K));
  // And through real Crf modules: perturb their float64 values in place.
  const s = randomCrf(2, 3), t = randomCrf(2, 3);
  const f = (): number => crfParameterTransfer(s, t, { gammaW: 0.2, gammaB: 0.9 }).value.item();
  backward(crfParameterTransfer(s, t, { gammaW: 0.2, gammaB: 0.9 }));
  const eps = 1e-6;
  for (const crf of [s, t]) for (const name of NAMES) {
    const d = crf[name].value.data, analytic = crf[name].grad!.values();
    for (let i = 0; i < d.length; i++) {
      const x = d[i];
      d[i] = x + eps; const fp = f();
      d[i] = x - eps; const fm = f();
      d[i] = x;
      assertClose([analytic[i]], [(fp - fm) / (2 * eps)], 1e-7, 1e-6, `${name}[${i}]`);
    }
  }
});

test('CRFs of different shapes are refused', () => {
  assertThrowsWith(() => crfParameterTransfer(randomCrf(4, 3), randomCrf(4, 5)), 'crfParameterTransfer', 'differ');
  assertThrowsWith(() => crfParameterTransfer(randomCrf(4, 3), randomCrf(6, 3)), 'crfParameterTransfer', '4x3', '6x3');
});

test.run();
