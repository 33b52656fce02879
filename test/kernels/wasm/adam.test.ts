/**
 * The SIMD Adam (kernels/wasm/adam.ts, used by lib/train/adam.ts for float32 parameters) against
 * its twin, the TypeScript loop run in float64, over many steps; and checkpoints of the resident
 * moments: state() then loadState() into a fresh optimizer continues exactly like the original.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, Rng } from '../../../lib/tensor/index.ts';
import { parameter, type Variable } from '../../../lib/autodiff/index.ts';
import { Adam } from '../../../lib/train/index.ts';
import { wasmAdamAvailable } from '../../../kernels/wasm/adam.ts';

const SIZES = [7, 16, 1, 403];

function params(dtype: 'float32' | 'float64', seed: number): Variable[] {
  const rng = new Rng(seed);
  return SIZES.map((n) => {
    const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.fround(rng.uniform() * 2 - 1);
    return parameter(new Tensor(data, [n]));
  });
}

function setGrads(ps: Variable[], rng: Rng): void {
  for (const p of ps) {
    const g = p.value.dtype === 'float32' ? new Float32Array(p.value.size) : new Float64Array(p.value.size);
    for (let i = 0; i < g.length; i++) g[i] = Math.fround((rng.uniform() * 2 - 1) * (i % 5 === 0 ? 1e-4 : 1));
    p.grad = new Tensor(g, [g.length]);
  }
}

test('SIMD Adam is available and equals the float64 twin to float32 rounding over 50 steps', () => {
  assert.ok(wasmAdamAvailable());
  const p32 = params('float32', 1), p64 = params('float64', 1);
  const o32 = new Adam(p32, 0.01), o64 = new Adam(p64, 0.01);
  const r32 = new Rng(9), r64 = new Rng(9);
  for (let s = 0; s < 50; s++) {
    setGrads(p32, r32); setGrads(p64, r64);
    o32.step(); o64.step();
  }
  p32.forEach((p, k) => {
    const a = p.value.data, b = p64[k].value.data;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-6 * (1 + Math.abs(b[i])), `param ${k}[${i}]: ${a[i]} vs ${b[i]}`);
  });
  const m32 = o32.state().slots.m, m64 = o64.state().slots.m;
  m32.forEach((m, k) => { for (let i = 0; i < m!.length; i++) assert.ok(Math.abs(m![i] - m64[k]![i]) <= 1e-6 * (1 + Math.abs(m64[k]![i]))); });
});

test('checkpoint of the resident moments: a restored optimizer continues bit-identically', () => {
  const a = params('float32', 2), b = params('float32', 2);
  const oa = new Adam(a, 0.003);
  const ra = new Rng(5);
  for (let s = 0; s < 7; s++) { setGrads(a, ra); oa.step(); }
  const saved = oa.state();
  b.forEach((p, k) => p.value.data.set(a[k].value.data));
  const ob = new Adam(b, 0.003);
  ob.loadState(saved);
  const rb = new Rng(77), rc = new Rng(77);
  for (let s = 0; s < 5; s++) { setGrads(a, rb); oa.step(); setGrads(b, rc); ob.step(); }
  a.forEach((p, k) => assert.equal(Array.from(p.value.data), Array.from(b[k].value.data), `param ${k}`));
  // The state handed out is a copy: changing it does not touch the optimizer.
  const st = oa.state();
  st.slots.m[0]![0] = 1e9;
  assert.not.equal(oa.state().slots.m[0]![0], 1e9);
});

test.run();
