/**
 * Transcendental functions for WebAssembly SIMD, emitted inline into a kernel's body (wasm has no
 * exp instruction; calling out to `Math.exp` per lane would cost more than the arithmetic around it).
 *
 * `exp` is the Cephes single-precision algorithm (S. L. Moshier, expf.c), the one Sleef and most
 * SIMD libraries also use: range reduction x = n·ln2 + r with n = round(x·log2 e) and ln2 split in
 * two constants so that n·ln2 is exact in float32, a degree-7 polynomial for e^r on |r| ≤ ln2/2,
 * then 2^n built in the exponent bits. Measured against Math.exp (test/kernels/wasm/simdMath.test.ts):
 * relative error below 2 float32 ulp (2.4e-7) over [−87, 88]. Inputs are clamped to that range, so
 * exp(x) for x < −87 returns exp(−87) ≈ 1.6e−38 instead of a denormal or 0, and x > 88 returns
 * exp(88) ≈ 1.65e38 instead of +Inf: harmless in the LSTM gates, which divide by 1 + exp.
 *
 * σ(x) = 1 / (1 + e^{−x}) and tanh(x) = 2σ(2x) − 1 follow; their absolute error is below 2.4e-7
 * (relative error of tanh near 0 is larger: tanh is used where absolute error is what matters).
 *
 * Each emitter reads its argument from a v128 local and writes the result to another (they may be
 * the same local); `tmp` provides scratch locals that the emitter clobbers.
 */
import { type Code, SimdOp } from './encoder.ts';

/** Scratch v128 locals an emitter may clobber. */
export interface SimdTemps {
  a: number;
  b: number;
}

const LOG2E = 1.44269504088896341;
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
/** Cephes expf polynomial, highest degree first (coefficients of r^7..r^2 after the r² factor). */
const EXP_POLY = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
/** The clamp keeps n in [−126, 127], so 2^n is a normal float32. */
export const EXP_MIN = -87;
export const EXP_MAX = 88;

/**
 * The shared range reduction of every exp here, for an already clamped xc: n = round(xc·log2 e),
 * r = xc − n·ln2 (ln2 in two parts), and leaves q = e^r − 1 = p(r)·r² + r in `q` and s = 2^n in
 * `ns` (which holds n on the way).
 */
function emitExpReduction(c: Code, xc: number, ns: number, q: number): void {
  c.localGet(xc).splatF32(LOG2E).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_nearest).localSet(ns);
  // r = xc − n·LN2_HI − n·LN2_LO (LN2_HI has 9 significant bits, so n·LN2_HI is exact)
  c.localGet(xc).localGet(ns).splatF32(LN2_HI).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_sub);
  c.localGet(ns).splatF32(LN2_LO).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_sub).localSet(q);
  // q = p(r)·r² + r by Horner
  c.splatF32(EXP_POLY[0]);
  for (let i = 1; i < EXP_POLY.length; i++) c.localGet(q).simd(SimdOp.f32x4_mul).splatF32(EXP_POLY[i]).simd(SimdOp.f32x4_add);
  c.localGet(q).localGet(q).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_mul);
  c.localGet(q).simd(SimdOp.f32x4_add).localSet(q);
  // 2^n: (n + 127) << 23 reinterpreted as f32
  c.localGet(ns).simd(SimdOp.i32x4_trunc_sat_f32x4_s).v128ConstI32([127, 127, 127, 127]).simd(SimdOp.i32x4_add);
  c.i32Const(23).simd(SimdOp.i32x4_shl).localSet(ns);
}

/** out = exp(x), lane-wise (f32x4). Uses tmp.a, tmp.b. */
export function emitExpF32x4(c: Code, x: number, out: number, tmp: SimdTemps): void {
  c.localGet(x).splatF32(EXP_MIN).simd(SimdOp.f32x4_max).splatF32(EXP_MAX).simd(SimdOp.f32x4_min).localSet(out);
  emitExpReduction(c, out, tmp.a, tmp.b);
  // e^x = 2^n·(1 + q)
  c.localGet(tmp.b).splatF32(1).simd(SimdOp.f32x4_add).localGet(tmp.a).simd(SimdOp.f32x4_mul).localSet(out);
}

/**
 * w = e^x and em1 = e^x − 1, lane-wise, for x ≤ 0, from the same reduction: with s = 2^n,
 *   e^x = s + s·q,      e^x − 1 = (s − 1) + s·q,
 * where s − 1 is exact for n ≥ −24 (and rounds to −1 below). For |x| < ln2/2, n = 0 and em1 = q: no
 * cancellation, unlike e^x − 1. x is clamped below at EXP_MIN, where w = e^−87 ≈ 1.6e−38 and
 * em1 = −1. Relative error of both: a couple of float32 ulp (test/kernels/wasm/mmd.test.ts; used by
 * the MMD kernel, whose sums of e^x − 1 let the constant 1 of each Gaussian cancel exactly).
 * Uses tmp.a, tmp.b; `w` may be `x`.
 */
export function emitExpAndExpm1F32x4(c: Code, x: number, w: number, em1: number, tmp: SimdTemps): void {
  const { a: s, b: q } = tmp;
  c.localGet(x).splatF32(EXP_MIN).simd(SimdOp.f32x4_max).localSet(w); // w = xc for now
  emitExpReduction(c, w, s, q);
  c.localGet(s).localGet(q).simd(SimdOp.f32x4_mul).localSet(q);
  c.localGet(s).splatF32(1).simd(SimdOp.f32x4_sub).localGet(q).simd(SimdOp.f32x4_add).localSet(em1);
  c.localGet(s).localGet(q).simd(SimdOp.f32x4_add).localSet(w);
}

/** out = σ(x) = 1 / (1 + exp(−x)). Uses tmp.a, tmp.b. */
export function emitSigmoidF32x4(c: Code, x: number, out: number, tmp: SimdTemps): void {
  c.localGet(x).simd(SimdOp.f32x4_neg).localSet(out);
  emitExpF32x4(c, out, out, tmp);
  c.splatF32(1).splatF32(1).localGet(out).simd(SimdOp.f32x4_add).simd(SimdOp.f32x4_div).localSet(out);
}

/** out = tanh(x) = 2σ(2x) − 1 = 1 − 2 / (1 + exp(2x)). Uses tmp.a, tmp.b. */
export function emitTanhF32x4(c: Code, x: number, out: number, tmp: SimdTemps): void {
  c.localGet(x).localGet(x).simd(SimdOp.f32x4_add).localSet(out);
  emitExpF32x4(c, out, out, tmp);
  c.splatF32(1).splatF32(2).splatF32(1).localGet(out).simd(SimdOp.f32x4_add).simd(SimdOp.f32x4_div).simd(SimdOp.f32x4_sub).localSet(out);
}
