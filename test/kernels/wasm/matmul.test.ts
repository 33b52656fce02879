/**
 * The WebAssembly SIMD matmul against a float64 triple loop, and its fall-back to the JS kernel.
 *
 * Tolerance. The kernel computes each C element as a sequential float32 sum over p of rounded
 * float32 products (no FMA, no reassociation: SIMD lanes are different output columns), starting
 * from 0 or, when accumulating, from the old value. The reference is computed in float64 from the
 * same float32 inputs, so the only error is the kernel's rounding, and the classical bound for
 * recursive summation of products (Higham, Accuracy and Stability of Numerical Algorithms, §3.1)
 * applies: |ĉ − c| ≤ γₙ·(|c₀| + Σₚ|aᵢₚ||bₚⱼ|) with γₙ = n·u/(1 − n·u), u = 2⁻²⁴ and n = k + 1 terms.
 * That bound is rigorous, so the test cannot fail by bad luck; it is still tight enough to catch a
 * dropped, duplicated or misplaced term for the random inputs used (errors of order |aᵢₚbₚⱼ| ≈ 1 vs
 * a bound of at most ~0.02 at k = 600). Integer-valued inputs, whose float32 products and sums are
 * exact, are then compared exactly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matmul as jsMatmul, type MatmulArgs } from '../../../kernels/cpu/matmul.ts';
import { createWasmMatmul, describeWasmMatmul, matmul, wasmMatmulAvailable } from '../../../kernels/wasm/matmul.ts';
import { Rng } from '../../../lib/tensor/index.ts';

const U = 2 ** -24;

/** Reference: op(a)·op(b) (+ c0) in float64, plus Σ|a||b| + |c0| per element for the error bound. */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, args: MatmulArgs, c0?: ArrayLike<number>): { c: Float64Array; mag: Float64Array } {
  const { m, k, n } = args;
  const ao = args.aOffset ?? 0, bo = args.bOffset ?? 0, co = args.outOffset ?? 0;
  const c = new Float64Array(m * n), mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 && args.accumulate ? c0[co + i * n + j] : 0;
      let t = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const x = args.transA ? a[ao + p * m + i] : a[ao + i * k + p];
        const y = args.transB ? b[bo + j * k + p] : b[bo + p * n + j];
        s += x * y;
        t += Math.abs(x * y);
      }
      c[i * n + j] = s;
      mag[i * n + j] = t;
    }
  }
  return { c, mag };
}

/** Asserts out[outOffset ..] matches the reference within γ_{k+1}·mag, element by element. */
function assertWithinBound(out: Float32Array, ref: { c: Float64Array; mag: Float64Array }, args: MatmulArgs, what: string): void {
  const nTerms = args.k + 1;
  const gamma = (nTerms * U) / (1 - nTerms * U);
  const co = args.outOffset ?? 0;
  for (let i = 0; i < ref.c.length; i++) {
    const err = Math.abs(out[co + i] - ref.c[i]);
    if (!(err <= gamma * ref.mag[i])) assert.unreachable(`${what}: element ${i}: ${out[co + i]} vs ${ref.c[i]} (|err| ${err} > bound ${gamma * ref.mag[i]})`);
  }
}

const rng = new Rng(11);
const randF32 = (len: number): Float32Array => Float32Array.from({ length: len }, () => rng.normal());
const randInts = (len: number, r: number): Float32Array => Float32Array.from({ length: len }, () => rng.int(2 * r + 1) - r);

const SIZES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 2], [4, 4, 8], [5, 7, 9], [6, 1, 10], [8, 16, 8], [13, 257, 11],
  [1, 600, 17], [17, 600, 3], [33, 64, 65], [64, 300, 33], [9, 3, 100],
];

test('the wasm kernel is available on Node 20 (SIMD is on by default)', () => {
  assert.ok(wasmMatmulAvailable());
  assert.match(describeWasmMatmul(), 'wasm SIMD');
});

test('matches the float64 triple loop within the float32 summation bound, all transpositions', () => {
  for (const [m, k, n] of SIZES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const args = { m, k, n, transA, transB };
        const a = randF32(m * k), b = randF32(k * n), out = new Float32Array(m * n).fill(NaN);
        matmul(a, b, out, args);
        assertWithinBound(out, reference(a, b, args), args, `${m}x${k}x${n} tA=${transA} tB=${transB}`);
      }
    }
  }
});

test('integer-valued inputs give exact results (no term dropped, duplicated or misplaced)', () => {
  for (const [m, k, n] of SIZES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const args = { m, k, n, transA, transB };
        const a = randInts(m * k, 8), b = randInts(k * n, 8), out = new Float32Array(m * n);
        matmul(a, b, out, args); // |sums| ≤ 600·64 ≪ 2²⁴: every float32 operation is exact
        assert.equal(Array.from(out), Array.from(reference(a, b, args).c), `${m}x${k}x${n} tA=${transA} tB=${transB}`);
      }
    }
  }
});

test('accumulate adds into out and offsets address sub-blocks, leaving the rest untouched', () => {
  // n = 16 takes the path where the kernel itself accumulates onto C; n = 5 adds on the way back.
  for (const [m, k, n] of [[3, 4, 5], [7, 33, 16], [5, 257, 9]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const args: MatmulArgs = { m, k, n, transA, transB, accumulate: true, aOffset: 2, bOffset: 1, outOffset: 3 };
        const a = randF32(2 + m * k + 4), b = randF32(1 + k * n + 4), out = randF32(3 + m * n + 5);
        const before = out.slice();
        matmul(a, b, out, args);
        assertWithinBound(out, reference(a, b, args, before), args, `accumulate ${m}x${k}x${n} tA=${transA} tB=${transB}`);
        assert.equal(Array.from(out.subarray(0, 3)), Array.from(before.subarray(0, 3)), 'prefix untouched');
        assert.equal(Array.from(out.subarray(3 + m * n)), Array.from(before.subarray(3 + m * n)), 'suffix untouched');
      }
    }
    // Without accumulate the old contents are overwritten.
    const args: MatmulArgs = { m, k, n, aOffset: 1, outOffset: 2 };
    const a = randF32(1 + m * k), b = randF32(k * n), out = randF32(2 + m * n);
    matmul(a, b, out, args);
    assertWithinBound(out, reference(a, b, args), args, `overwrite ${m}x${k}x${n}`);
  }
});

test('empty dimensions: k = 0 zeroes the output (or leaves it when accumulating), m = 0 writes nothing', () => {
  const out = Float32Array.of(1, 2, 3, 4, 5, 6);
  matmul(new Float32Array(0), new Float32Array(0), out, { m: 2, k: 0, n: 2, outOffset: 1 });
  assert.equal(Array.from(out), [1, 0, 0, 0, 0, 6]);
  out.set([1, 2, 3, 4, 5, 6]);
  matmul(new Float32Array(0), new Float32Array(0), out, { m: 2, k: 0, n: 2, accumulate: true });
  assert.equal(Array.from(out), [1, 2, 3, 4, 5, 6]);
  matmul(new Float32Array(0), new Float32Array(6), out, { m: 0, k: 3, n: 2 });
  assert.equal(Array.from(out), [1, 2, 3, 4, 5, 6]);
});

test('the reused wasm memory leaks nothing between calls of different shapes', () => {
  // A large call leaves non-zero data everywhere (raw copies, panels, C); smaller calls with other
  // layouts must not pick any of it up.
  const big = { m: 70, k: 90, n: 50 };
  matmul(randF32(70 * 90).fill(7), randF32(90 * 50).fill(3), new Float32Array(70 * 50), big);
  for (const [m, k, n] of [[5, 7, 9], [2, 3, 1], [6, 90, 13]]) {
    const args = { m, k, n, transB: true };
    const a = randInts(m * k, 3), b = randInts(k * n, 3), out = new Float32Array(m * n);
    matmul(a, b, out, args);
    assert.equal(Array.from(out), Array.from(reference(a, b, args).c), `${m}x${k}x${n} after a larger call`);
  }
});

test('float64 arrays go to the JS kernel: bit-identical to kernels/cpu/matmul.ts', () => {
  for (const [m, k, n] of [[5, 7, 9], [13, 257, 11], [16, 100, 40]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const args = { m, k, n, transA, transB, accumulate, aOffset: 1, outOffset: 2 };
          const a = Float64Array.from({ length: 1 + m * k }, () => rng.normal());
          const b = Float64Array.from({ length: k * n }, () => rng.normal());
          const init = Float64Array.from({ length: 2 + m * n }, () => rng.normal());
          const viaWasmEntry = init.slice(), viaJs = init.slice();
          matmul(a, b, viaWasmEntry, args);
          jsMatmul(a, b, viaJs, args);
          const same = viaWasmEntry.every((x, i) => Object.is(x, viaJs[i]));
          assert.ok(same, `float64 ${m}x${k}x${n} tA=${transA} tB=${transB} acc=${accumulate} differs from the JS kernel`);
        }
      }
    }
  }
  // Mixed precision (float32 operands, float64 output) also takes the JS path.
  const a32 = randF32(12), b32 = randF32(12), o1 = new Float64Array(9), o2 = new Float64Array(9);
  matmul(a32, b32, o1, { m: 3, k: 4, n: 3 });
  jsMatmul(a32, b32, o2, { m: 3, k: 4, n: 3 });
  assert.equal(Array.from(o1), Array.from(o2));
});

test('other tile shapes and small blocks (k and m blocking, unrolled loops) give the same products', () => {
  const variants = [
    { shape: { mr: 4, nv: 2, unroll: 1 }, kc: 7, mc: 8 },
    { shape: { mr: 4, nv: 2, unroll: 3 }, kc: 64, mc: 4 },
    { shape: { mr: 6, nv: 2, unroll: 2 } },
    { shape: { mr: 2, nv: 4, unroll: 1 }, kc: 5 },
    { shape: { mr: 1, nv: 1, unroll: 2 }, kc: 3, mc: 1 },
  ];
  for (const options of variants) {
    const kernel = createWasmMatmul(options);
    for (const [m, k, n] of [[1, 1, 1], [5, 7, 9], [13, 257, 11], [30, 40, 70]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            const args = { m, k, n, transA, transB, accumulate };
            const a = randInts(m * k, 6), b = randInts(k * n, 6), out = randInts(m * n, 100);
            const ref = reference(a, b, args, out.slice());
            kernel.matmul(a, b, out, args);
            assert.equal(Array.from(out), Array.from(ref.c), `${JSON.stringify(options)} ${m}x${k}x${n} tA=${transA} tB=${transB} acc=${accumulate}`);
          }
        }
      }
    }
  }
});

test('float32 results agree with the JS kernel to single precision on a training-sized product', () => {
  const args = { m: 600, k: 200, n: 400 };
  const a = randF32(600 * 200), b = randF32(200 * 400);
  const w = new Float32Array(600 * 400), j = new Float32Array(600 * 400);
  matmul(a, b, w, args);
  jsMatmul(a, b, j, args);
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < w.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(w[i] - j[i]));
    maxAbs = Math.max(maxAbs, Math.abs(j[i]));
  }
  assert.ok(maxDiff / maxAbs < 1e-5, `max |wasm − js| / max |js| = ${maxDiff / maxAbs}`);
});

test('operands too short for their offset and size are rejected', () => {
  assert.throws(() => matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, k: 3, n: 2 }), /too short/);
  assert.throws(() => matmul(new Float32Array(6), new Float32Array(6), new Float32Array(4), { m: 2, k: 3, n: 2, bOffset: 1 }), /too short/);
});

/** Imports a fresh copy of the wrapper (its own module state) while `patch` is applied to WebAssembly. */
async function freshWrapperWith(patch: () => () => void): Promise<typeof import('../../../kernels/wasm/matmul.ts')> {
  const restore = patch();
  try {
    const url = new URL('../../../kernels/wasm/matmul.ts', import.meta.url).href + `?fresh=${Math.random()}`;
    const mod = (await import(url)) as typeof import('../../../kernels/wasm/matmul.ts');
    mod.wasmMatmulAvailable(); // the kernel is compiled (or refused) now, under the patch
    return mod;
  } finally {
    restore();
  }
}

test('without SIMD, or when compilation is refused (CSP), float32 products run on the JS kernel', async () => {
  const noSimd = await freshWrapperWith(() => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = () => false;
    return () => void (WebAssembly.validate = validate);
  });
  const csp = await freshWrapperWith(() => {
    const Module = WebAssembly.Module;
    (WebAssembly as { Module: unknown }).Module = function () {
      throw new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source");
    };
    return () => void ((WebAssembly as { Module: unknown }).Module = Module);
  });
  for (const [mod, reason] of [[noSimd, 'no WebAssembly SIMD'], [csp, 'wasm-unsafe-eval']] as const) {
    assert.not.ok(mod.wasmMatmulAvailable());
    assert.match(mod.describeWasmMatmul(), reason);
    assert.match(mod.describeWasmMatmul(), 'using the JS kernel');
    const args = { m: 5, k: 7, n: 9, transB: true, accumulate: true };
    const a = randF32(35), b = randF32(63), o1 = randF32(45), o2 = o1.slice();
    mod.matmul(a, b, o1, args);
    jsMatmul(a, b, o2, args);
    assert.equal(Array.from(o1), Array.from(o2), `${reason}: identical to the JS kernel`);
  }
  // The shared default kernel is unaffected.
  assert.ok(wasmMatmulAvailable());
});

test.run();
