/**
 * The WebAssembly SIMD kernels of the float32 Gaussian-sum MMD (paper E8–E9), generated with
 * `encoder.ts`. The driver (mmd.ts) puts them in one module with the `gemm` and pack functions of
 * matmulModule.ts, so Gram matrices, the kernel pass and the gradient product share one memory.
 *
 * The driver treats P [n, d] and Q [m, d] as one sample X = [P; Q] of N = n + m rows and one
 * symmetric N×N weight matrix M (zero diagonal) with M_ij = W_ij g(x_i, x_j), W = 2c_PP, c_PQ or
 * 2c_QQ by block. `block` fills the upper triangle of one block of M (all of K_PQ, the strict upper
 * triangle of K_PP, K_QQ) from a Gram matrix, and returns the block's kernel sum; `finish` mirrors
 * M and takes its row sums. All addresses are byte addresses in the imported memory; rows of X are
 * `dp` floats apart (d rounded up to 4, zero-padded).
 *
 * `block(gram, gs, na, nb, xa, xb, ga, gb, mp, ms, rows, cols, sym, w, bw, nbw, dp, tau, grad) → f64`,
 * per row i and four columns j at a time (j > i only when `sym`):
 * 1. d² = ‖a_i‖² + ‖b_j‖² − 2 gram_ij from the (centred) norms `na`, `nb` and the Gram row, clamped
 *    at 0. In float32 this has an absolute error of a few ulp of ‖a‖² + ‖b‖², so where
 *    d² < τ(‖a‖² + ‖b‖²) (a "near" pair, e.g. a duplicate or a near-duplicate token, exactly where the
 *    1e-6..1e-2 bandwidths matter) d² is recomputed as Σ(a − b)² from the original rows `xa`, `xb`
 *    (`direct`), which is accurate to a few ulp of d² itself;
 * 2. the Gaussian sum over the bandwidth table `bw` (pairs −1/(2σ), 1/σ, sorted by decreasing σ):
 *    x = −d²/(2σ), w = e^x, g += w/σ, and k̃ += e^x − 1 = expm1(x) (see `emitExpAndExpm1F32x4` in simdMath.ts). Summing
 *    expm1 instead of exp drops the constant 1 of every Gaussian, which cancels exactly in MMD²
 *    (Σ of the block weights times their pair counts is 1 + 1 − 2 = 0, biased and unbiased), so the
 *    wide bandwidths (σ ≥ 1e3, where e^x = 1 − 1e-5) keep their precision in float32. Lanes with
 *    x < −87 (beyond the exp's clamp, e^x < 1.6e-38) are skipped: w = 0, expm1 = −1; once every lane
 *    is beyond it the remaining (narrower) bandwidths contribute −1 each and no exp is evaluated;
 * 3. the four k̃ are added, in float64, to the block's sum (the return value);
 * 4. with `grad`: m = w·g goes into M, except for near pairs, whose gradient
 *    w g (b_j − a_i) is added to the rows i of `ga` and subtracted from the rows j of `gb` directly,
 *    from differences of the original rows (`axpy`), and whose M entry stays 0. The driver's
 *    M·X − rowsum(M) ⊙ X then only sees pairs whose |a − b| is at least √τ·(‖a‖² + ‖b‖²)^½, so its
 *    cancellation costs at most a factor ~1/√τ of float32 rounding, and exact duplicates contribute
 *    exactly 0 (their g = Σ1/σ ≈ 1.1e6 would otherwise multiply the rounding of ‖a‖).
 * Stores into M keep the lanes past `cols` (and, for `sym`, j ≤ i) as they were, so blocks that
 * share rows of M may be filled in any order; reads past `cols` (norms, Gram, M) must stay inside
 * the memory (the driver leaves 4 floats of slack) and are masked.
 */
import { Code, Op, SimdOp, ValType, type FuncDef } from './encoder.ts';
import { Locals } from './matmulModule.ts';
import { EXP_MIN, emitExpAndExpm1F32x4 } from './simdMath.ts';

const BLOCK_PARAMS = ['gram', 'gs', 'na', 'nb', 'xa', 'xb', 'ga', 'gb', 'mp', 'ms', 'rows', 'cols', 'sym', 'w', 'bw', 'nbw', 'dp', 'tau', 'grad'] as const;
type BlockParam = (typeof BLOCK_PARAMS)[number];
const F32_PARAMS: ReadonlySet<BlockParam> = new Set(['w', 'tau']);

/** Function indices in the module: gemm, packA, packB come first (gemmKernels.ts). */
export const MMD_FUNC_BASE = 3;
const DIRECT = MMD_FUNC_BASE + 1, AXPY = MMD_FUNC_BASE + 2;

/** `block(...)`: see the file comment. */
function blockFunc(): FuncDef {
  const P = Object.fromEntries(BLOCK_PARAMS.map((name, i) => [name, i])) as Record<BlockParam, number>;
  const L = new Locals(BLOCK_PARAMS.length);
  const i = L.add(ValType.i32), j = L.add(ValType.i32), lo = L.add(ValType.i32), dpb = L.add(ValType.i32);
  const gRow = L.add(ValType.i32), mRow = L.add(ValType.i32), xaRow = L.add(ValType.i32), gaRow = L.add(ValType.i32);
  const bp = L.add(ValType.i32), bEnd = L.add(ValType.i32), anyNear = L.add(ValType.i32);
  const naS = L.add(ValType.v128), s = L.add(ValType.v128), d2 = L.add(ValType.v128), valid = L.add(ValType.v128), near = L.add(ValType.v128);
  const kt = L.add(ValType.v128), g = L.add(ValType.v128), x = L.add(ValType.v128), mask = L.add(ValType.v128);
  const w = L.add(ValType.v128), em1 = L.add(ValType.v128), kacc = L.add(ValType.v128);
  const tmp = { a: L.add(ValType.v128), b: L.add(ValType.v128) };
  const c = new Code();
  const addI = (local: number, by: () => void): void => {
    c.localGet(local);
    by();
    c.op(Op.i32_add).localSet(local);
  };
  /** Pushes the byte address of row j + lane of B-side rows starting at `base` (stride dpb). */
  const laneRow = (base: number, lane: number): void => {
    c.localGet(base).localGet(j).i32Const(lane).op(Op.i32_add).localGet(dpb).op(Op.i32_mul).op(Op.i32_add);
  };

  c.localGet(P.dp).i32Const(4).op(Op.i32_mul).localSet(dpb);
  c.localGet(P.bw).localGet(P.nbw).i32Const(8).op(Op.i32_mul).op(Op.i32_add).localSet(bEnd);
  c.v128ConstF64([0, 0]).localSet(kacc);
  c.i32Const(0).localSet(i);
  c.block().localGet(P.rows).i32Const(0).op(Op.i32_le_s).brIf(0).loop();
  {
    // Row pointers; lo = i (sym: only j > i) or −1; j starts at lo + 1 rounded down to 4.
    c.localGet(P.gram).localGet(i).localGet(P.gs).op(Op.i32_mul).op(Op.i32_add).localSet(gRow);
    c.localGet(P.mp).localGet(i).localGet(P.ms).op(Op.i32_mul).op(Op.i32_add).localSet(mRow);
    c.localGet(P.xa).localGet(i).localGet(dpb).op(Op.i32_mul).op(Op.i32_add).localSet(xaRow);
    c.localGet(P.ga).localGet(i).localGet(dpb).op(Op.i32_mul).op(Op.i32_add).localSet(gaRow);
    c.localGet(i).i32Const(-1).localGet(P.sym).op(Op.select).localSet(lo);
    c.localGet(lo).i32Const(1).op(Op.i32_add).i32Const(-4).op(Op.i32_and).localSet(j);
    c.localGet(P.na).localGet(i).i32Const(4).op(Op.i32_mul).op(Op.i32_add).v128Load32Splat().localSet(naS);

    c.block().localGet(j).localGet(P.cols).op(Op.i32_ge_s).brIf(0).loop();
    {
      // valid = lo < j+l < cols
      c.localGet(j).simd(SimdOp.i32x4_splat).v128ConstI32([0, 1, 2, 3]).simd(SimdOp.i32x4_add).localSet(x);
      c.localGet(x).localGet(P.cols).simd(SimdOp.i32x4_splat).simd(SimdOp.i32x4_lt_s);
      c.localGet(x).localGet(lo).simd(SimdOp.i32x4_splat).simd(SimdOp.i32x4_gt_s).simd(SimdOp.v128_and).localSet(valid);
      // s = ‖a‖² + ‖b‖²; d² = max(s − 2 gram, 0)
      c.localGet(naS).localGet(P.nb).localGet(j).i32Const(4).op(Op.i32_mul).op(Op.i32_add).v128Load().simd(SimdOp.f32x4_add).localSet(s);
      c.localGet(s).localGet(gRow).localGet(j).i32Const(4).op(Op.i32_mul).op(Op.i32_add).v128Load();
      c.splatF32(2).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_sub).splatF32(0).simd(SimdOp.f32x4_max).localSet(d2);
      // near = d² < τ s, on valid lanes: recompute d² from differences.
      c.localGet(d2).localGet(s).localGet(P.tau).simd(SimdOp.f32x4_splat).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_lt);
      c.localGet(valid).simd(SimdOp.v128_and).localTee(near).simd(SimdOp.v128_any_true).localTee(anyNear);
      c.if();
      for (let l = 0; l < 4; l++) {
        c.localGet(near).simdLane(SimdOp.i32x4_extract_lane, l).if();
        c.localGet(d2).localGet(xaRow);
        laneRow(P.xb, l);
        c.localGet(P.dp);
        c.call(DIRECT);
        c.simdLane(SimdOp.f32x4_replace_lane, l).localSet(d2);
        c.end();
      }
      c.end();
      // Invalid lanes: d² = +∞, so every bandwidth skips them (w = 0) and the early exit still works.
      c.localGet(d2).splatF32(Infinity).localGet(valid).simd(SimdOp.v128_bitselect).localSet(d2);

      // Bandwidths, widest first: x = d²·(−1/2σ); stop when every lane is past the clamp.
      c.v128ConstF32([0, 0, 0, 0]).localTee(kt).localSet(g);
      c.localGet(P.bw).localSet(bp);
      c.block().loop();
      {
        c.localGet(d2).localGet(bp).v128Load32Splat(0).simd(SimdOp.f32x4_mul).localTee(x);
        c.splatF32(EXP_MIN).simd(SimdOp.f32x4_lt).localTee(mask).simd(SimdOp.i32x4_all_true).brIf(1);
        emitExpAndExpm1F32x4(c, x, w, em1, tmp);
        c.localGet(kt).localGet(em1).simd(SimdOp.f32x4_add).localSet(kt);
        c.localGet(g).localGet(w).localGet(mask).simd(SimdOp.v128_andnot).localGet(bp).v128Load32Splat(4).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(g);
        addI(bp, () => c.i32Const(8));
        c.localGet(bp).localGet(bEnd).op(Op.i32_lt_u).brIf(0);
      }
      c.end().end();
      // kt −= bandwidths left (each expm1 = −1); then only valid lanes count.
      c.localGet(kt).localGet(bEnd).localGet(bp).op(Op.i32_sub).i32Const(3).op(Op.i32_shr_s).op(Op.f32_convert_i32_s).simd(SimdOp.f32x4_splat);
      c.simd(SimdOp.f32x4_sub).localGet(valid).simd(SimdOp.v128_and).localSet(kt);
      c.localGet(kacc).localGet(kt).simd(SimdOp.f64x2_promote_low_f32x4).simd(SimdOp.f64x2_add);
      c.localGet(kt).localGet(kt).shuffle32([2, 3, 2, 3]).simd(SimdOp.f64x2_promote_low_f32x4).simd(SimdOp.f64x2_add).localSet(kacc);

      c.localGet(P.grad).if();
      {
        // m = W·g (0 on invalid lanes: their w was masked)
        c.localGet(g).localGet(P.w).simd(SimdOp.f32x4_splat).simd(SimdOp.f32x4_mul).localSet(g);
        c.localGet(anyNear).if();
        for (let l = 0; l < 4; l++) {
          c.localGet(near).simdLane(SimdOp.i32x4_extract_lane, l).if();
          c.localGet(xaRow);
          laneRow(P.xb, l);
          c.localGet(gaRow);
          laneRow(P.gb, l);
          c.localGet(P.dp).localGet(g).simdLane(SimdOp.f32x4_extract_lane, l);
          c.call(AXPY);
          c.end();
        }
        c.end();
        // M[i, j..j+3] = near ? 0 : m on valid lanes, unchanged elsewhere.
        c.localGet(mRow).localGet(j).i32Const(4).op(Op.i32_mul).op(Op.i32_add).localTee(bp);
        c.localGet(g).localGet(near).simd(SimdOp.v128_andnot);
        c.localGet(bp).v128Load().localGet(valid).simd(SimdOp.v128_bitselect).v128Store();
      }
      c.end();

      addI(j, () => c.i32Const(4));
      c.localGet(j).localGet(P.cols).op(Op.i32_lt_s).brIf(0);
    }
    c.end().end();

    addI(i, () => c.i32Const(1));
    c.localGet(i).localGet(P.rows).op(Op.i32_lt_s).brIf(0);
  }
  c.end().end();
  c.localGet(kacc).simdLane(SimdOp.f64x2_extract_lane, 0).localGet(kacc).simdLane(SimdOp.f64x2_extract_lane, 1).op(Op.f64_add);
  return {
    params: BLOCK_PARAMS.map((p) => (F32_PARAMS.has(p) ? ValType.f32 : ValType.i32)),
    results: [ValType.f64],
    locals: L.types,
    body: c,
    export: 'block',
  };
}

/** `direct(a, b, dp) → f32`: Σ_t (a_t − b_t)² over dp floats (a multiple of 4, ≥ 4). */
function directFunc(): FuncDef {
  const [a, b, dp] = [0, 1, 2];
  const L = new Locals(3);
  const t = L.add(ValType.i32), end = L.add(ValType.i32), acc = L.add(ValType.v128), v = L.add(ValType.v128);
  const c = new Code();
  c.localGet(dp).i32Const(4).op(Op.i32_mul).localSet(end);
  c.v128ConstF32([0, 0, 0, 0]).localSet(acc).i32Const(0).localSet(t);
  c.loop();
  c.localGet(a).localGet(t).op(Op.i32_add).v128Load().localGet(b).localGet(t).op(Op.i32_add).v128Load().simd(SimdOp.f32x4_sub).localTee(v);
  c.localGet(v).simd(SimdOp.f32x4_mul).localGet(acc).simd(SimdOp.f32x4_add).localSet(acc);
  c.localGet(t).i32Const(16).op(Op.i32_add).localTee(t).localGet(end).op(Op.i32_lt_s).brIf(0);
  c.end();
  for (let l = 0; l < 4; l++) {
    c.localGet(acc).simdLane(SimdOp.f32x4_extract_lane, l);
    if (l > 0) c.op(Op.f32_add);
  }
  return { params: [ValType.i32, ValType.i32, ValType.i32], results: [ValType.f32], locals: L.types, body: c };
}

/** `axpy(a, b, ga, gb, dp, w)`: v = w (b − a); ga += v; gb −= v (dp floats each). */
function axpyFunc(): FuncDef {
  const [a, b, ga, gb, dp, wv] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const t = L.add(ValType.i32), end = L.add(ValType.i32), ws = L.add(ValType.v128), v = L.add(ValType.v128);
  const c = new Code();
  c.localGet(dp).i32Const(4).op(Op.i32_mul).localSet(end);
  c.localGet(wv).simd(SimdOp.f32x4_splat).localSet(ws).i32Const(0).localSet(t);
  c.loop();
  c.localGet(b).localGet(t).op(Op.i32_add).v128Load().localGet(a).localGet(t).op(Op.i32_add).v128Load().simd(SimdOp.f32x4_sub);
  c.localGet(ws).simd(SimdOp.f32x4_mul).localSet(v);
  c.localGet(ga).localGet(t).op(Op.i32_add).localGet(ga).localGet(t).op(Op.i32_add).v128Load().localGet(v).simd(SimdOp.f32x4_add).v128Store();
  c.localGet(gb).localGet(t).op(Op.i32_add).localGet(gb).localGet(t).op(Op.i32_add).v128Load().localGet(v).simd(SimdOp.f32x4_sub).v128Store();
  c.localGet(t).i32Const(16).op(Op.i32_add).localTee(t).localGet(end).op(Op.i32_lt_s).brIf(0);
  c.end();
  return { params: [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.f32], results: [], locals: L.types, body: c };
}

/**
 * `finish(M, ms, N, rs)`: copies the strict upper triangle of the N×N matrix M (row stride ms
 * bytes) onto the lower one and writes its row sums, in float64, to rs[N].
 */
function finishFunc(): FuncDef {
  const [M, ms, N, rs] = [0, 1, 2, 3];
  const L = new Locals(4);
  const i = L.add(ValType.i32), j = L.add(ValType.i32), row = L.add(ValType.i32), col = L.add(ValType.i32), acc = L.add(ValType.f64), v = L.add(ValType.f32);
  const c = new Code();
  c.i32Const(0).localSet(i);
  c.block().localGet(N).i32Const(0).op(Op.i32_le_s).brIf(0).loop();
  {
    c.localGet(M).localGet(i).localGet(ms).op(Op.i32_mul).op(Op.i32_add).localSet(row);
    c.localGet(M).localGet(i).i32Const(4).op(Op.i32_mul).op(Op.i32_add).localSet(col); // M[0, i]
    c.f64Const(0).localSet(acc).i32Const(0).localSet(j);
    // j < i: M[i, j] = M[j, i]
    c.block().localGet(i).i32Const(0).op(Op.i32_le_s).brIf(0).loop();
    c.localGet(col).f32Load().localSet(v);
    c.localGet(row).localGet(j).i32Const(4).op(Op.i32_mul).op(Op.i32_add).localGet(v).f32Store();
    c.localGet(acc).localGet(v).op(Op.f64_promote_f32).op(Op.f64_add).localSet(acc);
    c.localGet(col).localGet(ms).op(Op.i32_add).localSet(col);
    c.localGet(j).i32Const(1).op(Op.i32_add).localTee(j).localGet(i).op(Op.i32_lt_s).brIf(0);
    c.end().end();
    // j > i
    c.localGet(i).i32Const(1).op(Op.i32_add).localSet(j);
    c.block().localGet(j).localGet(N).op(Op.i32_ge_s).brIf(0).loop();
    c.localGet(acc).localGet(row).localGet(j).i32Const(4).op(Op.i32_mul).op(Op.i32_add).f32Load().op(Op.f64_promote_f32).op(Op.f64_add).localSet(acc);
    c.localGet(j).i32Const(1).op(Op.i32_add).localTee(j).localGet(N).op(Op.i32_lt_s).brIf(0);
    c.end().end();
    c.localGet(rs).localGet(i).i32Const(8).op(Op.i32_mul).op(Op.i32_add).localGet(acc).f64Store();
    c.localGet(i).i32Const(1).op(Op.i32_add).localTee(i).localGet(N).op(Op.i32_lt_s).brIf(0);
  }
  c.end().end();
  return { params: [ValType.i32, ValType.i32, ValType.i32, ValType.i32], results: [], locals: L.types, body: c, export: 'finish' };
}

/** The MMD functions, to follow gemm, packA and packB (indices 0–2) in the module. */
export function mmdFuncs(): FuncDef[] {
  return [blockFunc(), directFunc(), axpyFunc(), finishFunc()];
}
