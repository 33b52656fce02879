/**
 * The WebAssembly SIMD matmul kernel, generated with `encoder.ts`.
 *
 * Memory layout (all inside the host's imported memory, byte addresses; B and C 16-byte aligned):
 * - A is packed in row panels of MR rows: panel i holds A[i·MR .. i·MR+MR−1, 0..k−1] stored
 *   p-major, i.e. `Ap[i][p][r]` (MR consecutive floats per p), so the micro-kernel reads the MR
 *   values it broadcasts at one address plus static offsets 0, 4, 8, ... (free in the memarg);
 * - B is packed in column panels of NR = 4·NV columns: `Bp[j][p][c]`, so the NV vectors it needs per
 *   p are one contiguous 16·NV-byte run and a whole panel is read with unit stride;
 * - C is row-major with a row stride of `ldc` bytes (the padded n × 4).
 * m and n are padded to multiples of MR and NR by the packing, so the kernel has no edge cases:
 * every tile is full. Padding lanes only ever feed padding rows/columns of C, which the host does not
 * copy out; they are zero-filled anyway so that stale memory (denormals, NaN) cannot slow them down.
 * Packing is done by the exported `packA` / `packB` (see `packFunc`).
 *
 * The exported `gemm` computes one block of C: for each of `panelsB` B panels (outer) and `panelsA`
 * A panels (inner, so one B micro-panel of kc·NR·4 bytes stays in L1 while the A block streams
 * past it), it runs the MR×NR micro-kernel over kc steps of p. With `load` ≠ 0 the tile starts from
 * what C holds (later k blocks, or accumulation into the output), otherwise from zero.
 *
 * The micro-kernel keeps the MR×NR tile of C in MR·NV v128 locals, which TurboFan maps to xmm
 * registers: per p it does NV v128.load of B, MR v128.load32_splat of A (one broadcast load each:
 * f32.load + f32x4.splat fused, a single vbroadcastss on x64) and MR·NV f32x4.mul + f32x4.add
 * (there is no FMA in baseline wasm SIMD). The pointers into A and B are locals bumped by constants.
 * Tile choice, measured on Node 20 / Zen 3: x64 has 16 xmm registers and V8 keeps one as scratch,
 * so MR·NV accumulators + NV B vectors + 1 broadcast must fit in 15. 4×8 (8 + 2 + 1 = 11) and 2×16
 * were best (~30 GFLOP/s at 512³); 5×8, 6×8 (15 registers), 4×12 and 3×12 measured 20–45% slower,
 * 4×4 ~20% slower. TurboFan unrolls the 4×8 loop itself (seen with --print-wasm-code: 2 loads,
 * 4 vbroadcastss, 8 vmulps, 8 vaddps and 3 scalar ops per p); a manual ×2/×4 unroll (`unroll`)
 * defeats that and measured 20–40% slower, so it is off by default.
 *
 * Addresses are compared as signed i32: the host keeps the memory below 2 GiB. Every count
 * (panelsA, panelsB, kc) must be ≥ 1: the loops test at the bottom.
 */
import { Code, encodeModule, Op, SimdOp, ValType, type FuncDef } from './encoder.ts';

/** Shape of the register tile and unrolling of the p loop. */
export interface KernelShape {
  /** Rows of the tile (broadcast A values per p). */
  mr: number;
  /** f32x4 vectors per tile row: the tile is NR = 4·nv columns wide. */
  nv: number;
  /** Steps of p per loop iteration (1 = no unrolling); a remainder loop handles kc % unroll. */
  unroll: number;
}

/** Default tile: 4 rows × 8 columns, p loop not unrolled by us (see the file comment). */
export const DEFAULT_SHAPE: KernelShape = { mr: 4, nv: 2, unroll: 1 };

/** Allocates named locals after the parameters. */
export class Locals {
  readonly types: ValType[] = [];
  constructor(private readonly nParams: number) {}
  add(type: ValType): number {
    return this.nParams + this.types.push(type) - 1;
  }
}

/** Parameters of `gemm`, in order (all i32). */
const PARAMS = ['ap', 'bp', 'cp', 'panelsA', 'panelsB', 'kc', 'aStride', 'bStride', 'ldc', 'load'] as const;
const P = Object.fromEntries(PARAMS.map((name, i) => [name, i])) as Record<(typeof PARAMS)[number], number>;

/** `gemm(ap, bp, cp, panelsA, panelsB, kc, aStride, bStride, ldc, load)`: see the file comment. */
export function gemmFunc(shape: KernelShape): FuncDef {
  const { mr, nv, unroll } = shape;
  const aStep = mr * 4; // bytes of A per p
  const bStep = nv * 16; // bytes of B per p
  const L = new Locals(PARAMS.length);
  const jb = L.add(ValType.i32), ib = L.add(ValType.i32);
  const aPanel = L.add(ValType.i32), bPanel = L.add(ValType.i32);
  const cRow = L.add(ValType.i32), cTile = L.add(ValType.i32);
  const aPtr = L.add(ValType.i32), bPtr = L.add(ValType.i32), aEnd = L.add(ValType.i32), aEndUnrolled = L.add(ValType.i32);
  const acc: number[][] = [];
  for (let r = 0; r < mr; r++) acc.push(Array.from({ length: nv }, () => L.add(ValType.v128)));
  const bv = Array.from({ length: nv }, () => L.add(ValType.v128));
  const av = L.add(ValType.v128);

  const c = new Code();
  const inc = (local: number, by: number | (() => void)): void => {
    c.localGet(local);
    if (typeof by === 'number') c.i32Const(by);
    else by();
    c.op(Op.i32_add).localSet(local);
  };
  /** One step of p at static offsets (u steps past aPtr / bPtr). */
  const step = (u: number): void => {
    for (let v = 0; v < nv; v++) c.localGet(bPtr).v128Load(u * bStep + v * 16).localSet(bv[v]);
    for (let r = 0; r < mr; r++) {
      c.localGet(aPtr).v128Load32Splat(u * aStep + r * 4).localSet(av);
      for (let v = 0; v < nv; v++) {
        c.localGet(acc[r][v]).localGet(av).localGet(bv[v]).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(acc[r][v]);
      }
    }
  };
  /** Visits the tile's C vectors: `fn(r, v)` with the address of row r on the stack, offset v·16. */
  const forTile = (fn: (r: number, v: number) => void): void => {
    c.localGet(cTile).localSet(cRow);
    for (let r = 0; r < mr; r++) {
      for (let v = 0; v < nv; v++) fn(r, v);
      if (r < mr - 1) inc(cRow, () => c.localGet(P.ldc));
    }
  };

  // for (jb = 0, bPanel = bp; jb < panelsB; jb++, bPanel += bStride)
  c.i32Const(0).localSet(jb).localGet(P.bp).localSet(bPanel);
  c.loop();
  {
    // for (ib = 0, aPanel = ap, cTile = cp + jb·NR·4; ib < panelsA; ib++, aPanel += aStride, cTile += MR·ldc)
    c.i32Const(0).localSet(ib).localGet(P.ap).localSet(aPanel);
    c.localGet(P.cp).localGet(jb).i32Const(bStep).op(Op.i32_mul).op(Op.i32_add).localSet(cTile);
    c.loop();
    {
      // Initialise the accumulators: from C when accumulating over k blocks, else zero.
      c.localGet(P.load).if();
      forTile((r, v) => c.localGet(cRow).v128Load(v * 16).localSet(acc[r][v]));
      c.else();
      for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) c.v128ConstF32([0, 0, 0, 0]).localSet(acc[r][v]);
      c.end();

      c.localGet(aPanel).localSet(aPtr).localGet(bPanel).localSet(bPtr);
      c.localGet(aPtr).localGet(P.kc).i32Const(aStep).op(Op.i32_mul).op(Op.i32_add).localSet(aEnd);
      if (unroll > 1) {
        // Unrolled loop while a whole group of `unroll` steps remains (aPtr + unroll·aStep ≤ aEnd).
        c.localGet(aEnd).i32Const(unroll * aStep).op(Op.i32_sub).localSet(aEndUnrolled);
        c.block().localGet(aPtr).localGet(aEndUnrolled).op(Op.i32_gt_s).brIf(0).loop();
        for (let u = 0; u < unroll; u++) step(u);
        inc(aPtr, unroll * aStep);
        inc(bPtr, unroll * bStep);
        c.localGet(aPtr).localGet(aEndUnrolled).op(Op.i32_le_s).brIf(0);
        c.end().end();
      }
      // Remaining single steps (all of them when unroll = 1).
      c.block().localGet(aPtr).localGet(aEnd).op(Op.i32_ge_s).brIf(0).loop();
      step(0);
      inc(aPtr, aStep);
      inc(bPtr, bStep);
      c.localGet(aPtr).localGet(aEnd).op(Op.i32_lt_s).brIf(0);
      c.end().end();

      forTile((r, v) => c.localGet(cRow).localGet(acc[r][v]).v128Store(v * 16));

      inc(aPanel, () => c.localGet(P.aStride));
      inc(cTile, () => c.localGet(P.ldc).i32Const(mr).op(Op.i32_mul));
      inc(ib, 1);
      c.localGet(ib).localGet(P.panelsA).op(Op.i32_lt_s).brIf(0);
    }
    c.end();
    inc(bPanel, () => c.localGet(P.bStride));
    inc(jb, 1);
    c.localGet(jb).localGet(P.panelsB).op(Op.i32_lt_s).brIf(0);
  }
  c.end();

  return { params: PARAMS.map(() => ValType.i32), results: [], locals: L.types, body: c, export: 'gemm' };
}

/** Parameters of the pack functions, in order (all i32, addresses and strides in bytes). */
const PACK_PARAMS = ['src', 'dst', 'cols', 'k', 'colStride', 'pStride'] as const;
const Q = Object.fromEntries(PACK_PARAMS.map((name, i) => [name, i])) as Record<(typeof PACK_PARAMS)[number], number>;

/**
 * `pack(src, dst, cols, k, colStride, pStride)`: packs a cols×k operand into panels of W columns,
 * panel-major then p-major (`dst[panel][p][c]`, W floats per p), zero-filling the columns past
 * `cols` in the last panel. Element (c, p) is read at `src + c·colStride + p·pStride`, which covers
 * both operands in both orientations (A's "columns" here are its rows). Three paths per panel:
 * - colStride = 4 (A given transposed, B not): a panel's W columns are contiguous, so each p is
 *   W/4 v128 copies;
 * - pStride = 4 (A not transposed, B transposed: a transposition): 4×4 blocks are transposed in
 *   registers (4 v128 loads, 8 shuffles, 4 v128 stores) for p < k − k%4;
 * - everything else (the last p's of the transposing case, a partial last panel): column by
 *   column with scalar i32 loads and stores (bit-exact copies), zeros past `cols`.
 * The vector paths exist only when W is a multiple of 4.
 * Requires cols ≥ 1 and k ≥ 1.
 */
export function packFunc(w: number, name: string): FuncDef {
  const L = new Locals(PACK_PARAMS.length);
  const c0 = L.add(ValType.i32), valid = L.add(ValType.i32), col = L.add(ValType.i32), pStart = L.add(ValType.i32);
  const s = L.add(ValType.i32), d = L.add(ValType.i32), dEnd = L.add(ValType.i32), panelBytes = L.add(ValType.i32);
  const sr = [s, L.add(ValType.i32), L.add(ValType.i32), L.add(ValType.i32)]; // 4 source rows of a 4×4 block
  const v = [0, 1, 2, 3].map(() => L.add(ValType.v128));
  const t = [0, 1, 2, 3].map(() => L.add(ValType.v128));
  const row = w * 4; // bytes per p in a panel
  const c = new Code();
  const add = (local: number, by: () => void): void => {
    c.localGet(local);
    by();
    c.op(Op.i32_add).localSet(local);
  };
  /** local = x·y (both locals or constants pushed by the callbacks). */
  const mulInto = (local: number, x: () => void, y: () => void): void => {
    x();
    y();
    c.op(Op.i32_mul).localSet(local);
  };
  /** Loop `body` while d < dEnd (at least once). */
  const whileD = (body: () => void): void => {
    c.loop();
    body();
    c.localGet(d).localGet(dEnd).op(Op.i32_lt_u).brIf(0);
    c.end();
  };
  const isFull = (): void => void c.localGet(valid).i32Const(w).op(Op.i32_eq);

  mulInto(panelBytes, () => c.localGet(Q.k), () => c.i32Const(row));
  c.i32Const(0).localSet(c0);
  c.loop(); // over panels
  {
    // valid = min(W, cols − c0)
    c.localGet(Q.cols).localGet(c0).op(Op.i32_sub).localTee(valid);
    c.i32Const(w).localGet(valid).i32Const(w).op(Op.i32_lt_s).op(Op.select).localSet(valid);
    c.i32Const(0).localSet(pStart);
    c.localGet(Q.dst).localGet(panelBytes).op(Op.i32_add).localSet(dEnd);

    // The vector paths need whole v128s per panel row: generated only when W is a multiple of 4.
    if (w % 4 === 0) {
      isFull();
      c.localGet(Q.colStride).i32Const(4).op(Op.i32_eq).op(Op.i32_and).if();
      {
        // Contiguous columns: s = src + c0·4, W/4 vector copies per p.
        c.localGet(Q.src).localGet(c0).i32Const(4).op(Op.i32_mul).op(Op.i32_add).localSet(s);
        c.localGet(Q.dst).localSet(d);
        whileD(() => {
          for (let q = 0; q < w / 4; q++) c.localGet(d).localGet(s).v128Load(q * 16).v128Store(q * 16);
          add(s, () => c.localGet(Q.pStride));
          add(d, () => c.i32Const(row));
        });
        c.localGet(Q.k).localSet(pStart); // nothing left for the scalar path
      }
      c.else();
      isFull();
      c.localGet(Q.pStride).i32Const(4).op(Op.i32_eq).op(Op.i32_and).localGet(Q.k).i32Const(4).op(Op.i32_ge_s).op(Op.i32_and).if();
      {
        // Transposing: pStart = k rounded down to 4; 4×4 blocks for p < pStart, column group by group.
        c.localGet(Q.k).i32Const(-4).op(Op.i32_and).localSet(pStart);
        for (let g = 0; g < w / 4; g++) {
          // sr[r] = src + (c0 + 4g + r)·colStride; d = dst + 16g, dEnd = d + pStart·row
          c.localGet(Q.src).localGet(c0).i32Const(4 * g).op(Op.i32_add).localGet(Q.colStride).op(Op.i32_mul).op(Op.i32_add).localSet(sr[0]);
          for (let r = 1; r < 4; r++) c.localGet(sr[r - 1]).localGet(Q.colStride).op(Op.i32_add).localSet(sr[r]);
          c.localGet(Q.dst).i32Const(16 * g).op(Op.i32_add).localTee(d);
          c.localGet(pStart).i32Const(row).op(Op.i32_mul).op(Op.i32_add).localSet(dEnd);
          whileD(() => {
            // v[r] = 4 consecutive p of column r; transpose so that t-results hold one p each.
            for (let r = 0; r < 4; r++) c.localGet(sr[r]).v128Load().localSet(v[r]);
            c.localGet(v[0]).localGet(v[1]).shuffle32([0, 4, 1, 5]).localSet(t[0]); // c0p0 c1p0 c0p1 c1p1
            c.localGet(v[2]).localGet(v[3]).shuffle32([0, 4, 1, 5]).localSet(t[1]); // c2p0 c3p0 c2p1 c3p1
            c.localGet(v[0]).localGet(v[1]).shuffle32([2, 6, 3, 7]).localSet(t[2]); // c0p2 c1p2 c0p3 c1p3
            c.localGet(v[2]).localGet(v[3]).shuffle32([2, 6, 3, 7]).localSet(t[3]); // c2p2 c3p2 c2p3 c3p3
            c.localGet(d).localGet(t[0]).localGet(t[1]).shuffle32([0, 1, 4, 5]).v128Store(0);
            c.localGet(d).localGet(t[0]).localGet(t[1]).shuffle32([2, 3, 6, 7]).v128Store(row);
            c.localGet(d).localGet(t[2]).localGet(t[3]).shuffle32([0, 1, 4, 5]).v128Store(2 * row);
            c.localGet(d).localGet(t[2]).localGet(t[3]).shuffle32([2, 3, 6, 7]).v128Store(3 * row);
            for (let r = 0; r < 4; r++) add(sr[r], () => c.i32Const(16));
            add(d, () => c.i32Const(4 * row));
          });
        }
        c.localGet(Q.dst).localGet(panelBytes).op(Op.i32_add).localSet(dEnd);
      }
      c.end();
      c.end();
    }

    // Scalar path for p in [pStart, k), column by column; zeros for columns past `valid`.
    c.localGet(pStart).localGet(Q.k).op(Op.i32_lt_s).if();
    c.i32Const(0).localSet(col);
    c.loop();
    {
      // d = dst + col·4 + pStart·row
      c.localGet(Q.dst).localGet(col).i32Const(4).op(Op.i32_mul).op(Op.i32_add);
      c.localGet(pStart).i32Const(row).op(Op.i32_mul).op(Op.i32_add).localSet(d);
      c.localGet(col).localGet(valid).op(Op.i32_lt_s).if();
      // s = src + (c0 + col)·colStride + pStart·pStride
      c.localGet(Q.src).localGet(c0).localGet(col).op(Op.i32_add).localGet(Q.colStride).op(Op.i32_mul).op(Op.i32_add);
      c.localGet(pStart).localGet(Q.pStride).op(Op.i32_mul).op(Op.i32_add).localSet(s);
      whileD(() => {
        c.localGet(d).localGet(s).mem(Op.i32_load).mem(Op.i32_store);
        add(s, () => c.localGet(Q.pStride));
        add(d, () => c.i32Const(row));
      });
      c.else();
      whileD(() => {
        c.localGet(d).i32Const(0).mem(Op.i32_store);
        add(d, () => c.i32Const(row));
      });
      c.end();
      add(col, () => c.i32Const(1));
      c.localGet(col).i32Const(w).op(Op.i32_lt_s).brIf(0);
    }
    c.end();
    c.end();

    add(Q.dst, () => c.localGet(panelBytes));
    add(c0, () => c.i32Const(w));
    c.localGet(c0).localGet(Q.cols).op(Op.i32_lt_s).brIf(0);
  }
  c.end();
  return { params: PACK_PARAMS.map(() => ValType.i32), results: [], locals: L.types, body: c, export: name };
}

/**
 * The kernel module: imports `env.memory` (owned and grown by the host) and exports `gemm`,
 * `packA` (MR-wide panels) and `packB` (NR-wide panels).
 */
export function buildMatmulModule(shape: KernelShape = DEFAULT_SHAPE): Uint8Array<ArrayBuffer> {
  return encodeModule({
    memoryImport: { module: 'env', name: 'memory', minPages: 1 },
    funcs: [gemmFunc(shape), packFunc(shape.mr, 'packA'), packFunc(shape.nv * 4, 'packB')],
  });
}

/** A minimal module using SIMD (v128.const, f32x4.add): valid exactly when the engine has SIMD. */
export function buildSimdProbe(): Uint8Array<ArrayBuffer> {
  const c = new Code().v128ConstF32([1, 2, 3, 4]).v128ConstF32([1, 2, 3, 4]).simd(SimdOp.f32x4_add).op(Op.drop);
  return encodeModule({ funcs: [{ params: [], results: [], locals: [], body: c }] });
}
