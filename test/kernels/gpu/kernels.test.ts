/**
 * Every GPU.js kernel against its CPU twin (the checks and their tolerances are in twinCases.ts) in
 * each GPU.js mode this process can run (modes.ts), plus the context's compile-once and size rules.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cpu from '../../../kernels/cpu/index.ts';
import { createGpuContext, gpuGaussianMmd, gpuMatmul } from '../../../kernels/gpu/index.ts';
import { Rng } from '../../../lib/tensor/index.ts';
import { gpuContexts } from './modes.ts';
import { randomArray, twinCases } from './twinCases.ts';

for (const ctx of gpuContexts()) {
  for (const c of twinCases(ctx, { largeMmdInCpuMode: process.env.LADTL_SLOW_TESTS === '1' })) test(c.name, c.run);
}

test('context: each kernel compiles once and is reused across shapes; oversized work is refused by name', () => {
  const rng = new Rng(7);
  for (const ctx of gpuContexts()) {
    const before = ctx.compiledKernels();
    assert.ok(before > 0, `[${ctx.mode}] the twin checks compiled no kernel`);
    for (const [m, k, n] of [[2, 3, 4], [5, 1, 7], [9, 9, 9]]) gpuMatmul(ctx, randomArray(rng, m * k), randomArray(rng, k * n), new Float32Array(m * n), { m, k, n });
    // matmul already ran in the tests above (same context), so no new kernel may appear.
    assert.is(ctx.compiledKernels(), before, `[${ctx.mode}] kernels compiled`);
  }
  const small = createGpuContext('cpu', { maxElements: 100 });
  assert.throws(() => gpuMatmul(small, randomArray(rng, 110), randomArray(rng, 10), new Float32Array(110), { m: 110, k: 1, n: 10 }),
    (e: Error) => /matmul needs 1100 outputs, more than the 100 this device allows/.test(e.message));
  assert.throws(() => gpuGaussianMmd(small, randomArray(rng, 8 * 20), 8, randomArray(rng, 8 * 20), 8, 20, cpu.DEFAULT_MMD_BANDWIDTHS, false, true),
    (e: Error) => /mmdDistances needs 192 outputs/.test(e.message));
  assert.is(small.fallback, null);
});

test.run();
