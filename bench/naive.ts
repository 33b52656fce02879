/**
 * The textbook matrix product, kept deliberately unoptimised: it is the baseline that shows what
 * the blocking and register tiling of `kernels/cpu/matmul.ts` buy over the obvious code.
 */

/**
 * out[m×n] = a[m×k] · b[k×n], row-major, in i, j, p loop order. The inner loop walks `b` down a
 * column (stride n), which is exactly the cache-unfriendly access pattern the real kernel avoids by
 * packing. The sum is kept in a JS number (double) and rounded to float32 once per element, like
 * the real kernel does, so the two can be compared tightly.
 */
export function naiveMatmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p] * b[p * n + j];
      out[i * n + j] = acc;
    }
  }
}
