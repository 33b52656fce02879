/**
 * Dropout masks from a counter-based hash instead of a sequential generator: element i of a call
 * with keys (k1, k2) is dropped when h(k1, k2, i) < threshold, where
 *
 *   h = fmix32(fmix32(i·0x9e3779b9 ⊕ k1) + k2)     (fmix32: MurmurHash3's 32-bit finaliser)
 *
 * and the keys are two 32-bit draws of the op's seeded `Rng`, so a seed still fixes every mask.
 * Being a function of (keys, i), the mask needs no storage: the backward pass recomputes it, and a
 * SIMD kernel (kernels/wasm/dropout.ts) computes exactly the same bits four lanes at a time. With two
 * independent keys per call, two calls share a mask only if both keys collide (probability 2⁻⁶⁴).
 * Survivors are scaled by `keep` = fround(1/(1−p)); out = x·keep or 0, rounded once like the kernel.
 */
import { type FloatArray } from './types.ts';

function fmix32(z: number): number {
  z ^= z >>> 16;
  z = Math.imul(z, 0x85ebca6b);
  z ^= z >>> 13;
  z = Math.imul(z, 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The hash of element i (an unsigned 32-bit integer). */
export function dropoutHash(k1: number, k2: number, i: number): number {
  return fmix32((fmix32(Math.imul(i, 0x9e3779b9) ^ k1) + k2) | 0);
}

/** The drop threshold of rate p: elements whose hash is below it are dropped. */
export function dropoutThreshold(p: number): number {
  return Math.min(2 ** 32 - 1, Math.round(p * 2 ** 32));
}

/** out[i] = h(k1, k2, i) < threshold ? 0 : x[i]·keep for i < n. */
export function dropoutApply(x: FloatArray, out: FloatArray, n: number, k1: number, k2: number, threshold: number, keep: number): void {
  for (let i = 0; i < n; i++) out[i] = dropoutHash(k1, k2, i) < threshold ? 0 : x[i] * keep;
}
