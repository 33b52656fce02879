/**
 * The SIMD dropout kernel against its TypeScript twin (kernels/cpu/dropout.ts): the same bits for
 * any length, keys and rate; and the counter-hash mask behaves like independent coin flips (rate
 * within binomial noise, no correlation between neighbours or between calls with different keys).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dropoutApply, dropoutHash, dropoutThreshold } from '../../../kernels/cpu/index.ts';
import { dropoutApply as simdDropoutApply, wasmDropoutAvailable } from '../../../kernels/wasm/dropout.ts';

test('SIMD dropout equals the TypeScript twin bit for bit', () => {
  assert.ok(wasmDropoutAvailable());
  for (const n of [1, 3, 4, 5, 64, 1001, 60_000]) {
    for (const p of [0.5, 0.1, 0.9, 1e-6]) {
      const x = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 3));
      const k1 = (n * 2654435761) >>> 0, k2 = (n * 40503 + 7) >>> 0;
      const keep = Math.fround(1 / (1 - p));
      const a = new Float32Array(n), b = new Float32Array(n);
      dropoutApply(x, a, n, k1, k2, dropoutThreshold(p), keep);
      simdDropoutApply(x, b, n, k1, k2, dropoutThreshold(p), keep);
      assert.ok(a.every((v, i) => Object.is(v, b[i])), `n=${n} p=${p}`);
    }
  }
});

test('the hash mask: rate p within noise, neighbours and keys uncorrelated', () => {
  const n = 200_000;
  for (const p of [0.5, 0.2]) {
    const t = dropoutThreshold(p);
    let dropped = 0, both = 0, sameAcrossKeys = 0;
    for (let i = 0; i < n; i++) {
      const d = dropoutHash(123, 456, i) < t, next = dropoutHash(123, 456, i + 1) < t, other = dropoutHash(124, 456, i) < t;
      if (d) dropped++;
      if (d && next) both++;
      if (d === other) sameAcrossKeys++;
    }
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(dropped - n * p) < 5 * sd, `rate ${dropped / n} for p=${p}`);
    assert.ok(Math.abs(both - n * p * p) < 5 * Math.sqrt(n * p * p), `neighbours both dropped ${both / n}, independent: ${p * p}`);
    const agree = p * p + (1 - p) * (1 - p);
    assert.ok(Math.abs(sameAcrossKeys - n * agree) < 5 * Math.sqrt(n * agree * (1 - agree)), `keys k1 and k1+1 agree on ${sameAcrossKeys / n}, independent: ${agree}`);
  }
});

test.run();
