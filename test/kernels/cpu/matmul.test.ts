/** The blocked matmul kernel against a plain triple loop, for every transposition and awkward sizes. */
import { test } from 'uvu';
import { matmul } from '../../../kernels/cpu/matmul.ts';
import { Rng } from '../../../lib/tensor/index.ts';
import { assertClose } from '../../helpers/assert.ts';

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

const rng = new Rng(7);
const rand = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());

test('matches the triple loop for all transposition flags and sizes around the 4×4 tile and K block', () => {
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [4, 4, 4], [5, 7, 9], [8, 300, 6], [13, 257, 11], [1, 600, 17]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = rand(m * k), b = rand(k * n);
        const out = new Float64Array(m * n);
        matmul(a, b, out, { m, k, n, transA, transB });
        assertClose(out, naive(a, b, m, k, n, transA, transB), 1e-10, 1e-10, `${m}x${k}x${n} tA=${transA} tB=${transB}`);
      }
    }
  }
});

test('accumulate adds into the output; offsets address sub-blocks', () => {
  const m = 3, k = 4, n = 5;
  const a = rand(2 + m * k), b = rand(1 + k * n);
  const out = rand(3 + m * n);
  const before = out.slice();
  matmul(a, b, out, { m, k, n, accumulate: true, aOffset: 2, bOffset: 1, outOffset: 3 });
  const ref = naive(a.subarray(2), b.subarray(1), m, k, n, false, false);
  assertClose(out.subarray(3), ref.map((v, i) => v + before[3 + i]), 1e-10, 1e-10);
  assertClose(out.subarray(0, 3), before.subarray(0, 3), 0, 0, 'untouched prefix');
});

test('float32 storage agrees with float64 to single precision', () => {
  const m = 37, k = 200, n = 41;
  const a = rand(m * k), b = rand(k * n);
  const out32 = new Float32Array(m * n);
  matmul(Float32Array.from(a), Float32Array.from(b), out32, { m, k, n });
  assertClose(out32, naive(a, b, m, k, n, false, false), 1e-4, 1e-5);
});

test.run();
