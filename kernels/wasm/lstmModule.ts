/**
 * The WebAssembly SIMD kernels of one LSTM time step, generated with `encoder.ts`: the element-wise
 * cell update forward and backward (the twins of `lstmCellForward` / `lstmCellBackward` in
 * kernels/cpu/lstm.ts, same gate order i, f, g, o and same formulas), and a column sum for the
 * bias gradient. The recurrent matrix products of a step are the `gemm` of matmulModule.ts; the
 * driver (lstm.ts) puts both in one module so they share one memory and no data is copied between
 * a step's product and its cell update.
 *
 * All addresses are byte addresses in the imported memory; rows are contiguous, H a multiple of 4
 * (four lanes per v128; the driver falls back to the TypeScript kernels otherwise). The gate
 * non-linearities use the inline SIMD exp of simdMath.ts (absolute error < 2.4e-7 for σ and tanh).
 */
import { Code, Op, SimdOp, ValType, type FuncDef } from './encoder.ts';
import { Locals } from './matmulModule.ts';
import { emitSigmoidF32x4, emitTanhF32x4 } from './simdMath.ts';

/** Addresses inside the cell loop: of gate block k of the current row, and of a [rows, H] array's row. */
interface CellAddresses {
  /** Pushes base + row·4H·4 + k·H·4 + j (gate block k, lane group j). */
  gate(base: number, k: number): void;
  /** Pushes base + row·H·4 + j. */
  state(base: number): void;
}

/**
 * Emits the loop both cell kernels share: for each of the `rows` rows, for each group j of four
 * hidden units, `body` (which addresses its operands through `at`); `perRow` runs once a row first.
 */
function emitCellLoop(c: Code, L: Locals, rowsParam: number, hiddenParam: number, body: (at: CellAddresses, j: number, row: number) => void, perRow?: (row: number) => void): void {
  const hb = L.add(ValType.i32), row = L.add(ValType.i32), j = L.add(ValType.i32);
  const g0 = L.add(ValType.i32), s0 = L.add(ValType.i32);
  const at: CellAddresses = {
    gate: (base, k) => {
      c.localGet(base).localGet(g0).op(Op.i32_add).localGet(j).op(Op.i32_add);
      if (k > 0) c.localGet(hb).i32Const(k).op(Op.i32_mul).op(Op.i32_add);
    },
    state: (base) => void c.localGet(base).localGet(s0).op(Op.i32_add).localGet(j).op(Op.i32_add),
  };
  // hb = H·4 bytes (one gate block of a row)
  c.localGet(hiddenParam).i32Const(4).op(Op.i32_mul).localSet(hb);
  c.i32Const(0).localSet(row);
  c.loop();
  {
    // s0: byte offset of this row's state rows (row·H·4), g0: of its gates (row·4H·4)
    c.localGet(row).localGet(hb).op(Op.i32_mul).localTee(s0).i32Const(4).op(Op.i32_mul).localSet(g0);
    perRow?.(row);
    c.i32Const(0).localSet(j);
    c.loop();
    body(at, j, row);
    c.localGet(j).i32Const(16).op(Op.i32_add).localTee(j).localGet(hb).op(Op.i32_lt_s).brIf(0);
    c.end();
    c.localGet(row).i32Const(1).op(Op.i32_add).localTee(row).localGet(rowsParam).op(Op.i32_lt_s).brIf(0);
  }
  c.end();
}

const CELL_FWD_PARAMS = ['gates', 'bias', 'cPrev', 'c', 'tc', 'h', 'rows', 'hidden'] as const;

/**
 * `cellForward(gates, bias, cPrev, c, tc, h, rows, hidden)`: for each of `rows` rows, reads the
 * preactivations (x·W_ih + h·W_hh, without the bias) in `gates` [rows, 4H], adds `bias` [4H],
 * writes the activated gates back in place, and writes c_t = f ⊙ c_{t−1} + i ⊙ g, tanh(c_t) (kept
 * for the backward pass) and h_t = o ⊙ tanh(c_t), each [rows, H]. `cPrev` [rows, H] is c_{t−1}
 * (zeros at a sentence's first step).
 */
function cellForwardFunc(): FuncDef {
  const P = Object.fromEntries(CELL_FWD_PARAMS.map((n, i) => [n, i])) as Record<(typeof CELL_FWD_PARAMS)[number], number>;
  const L = new Locals(CELL_FWD_PARAMS.length);
  const vi = L.add(ValType.v128), vf = L.add(ValType.v128), vg = L.add(ValType.v128), vo = L.add(ValType.v128), vc = L.add(ValType.v128);
  const tmp = { a: L.add(ValType.v128), b: L.add(ValType.v128) };
  const c = new Code();
  emitCellLoop(c, L, P.rows, P.hidden, (at, j) => {
    const pre = [vi, vf, vg, vo];
    for (let k = 0; k < 4; k++) {
      at.gate(P.gates, k); c.v128Load();
      // the bias is one row: its gate block k is at bias + k·H·4 + j
      c.localGet(P.bias).localGet(j).op(Op.i32_add);
      if (k > 0) c.localGet(P.hidden).i32Const(4 * k).op(Op.i32_mul).op(Op.i32_add);
      c.v128Load().simd(SimdOp.f32x4_add).localSet(pre[k]);
    }
    emitSigmoidF32x4(c, vi, vi, tmp);
    emitSigmoidF32x4(c, vf, vf, tmp);
    emitTanhF32x4(c, vg, vg, tmp);
    emitSigmoidF32x4(c, vo, vo, tmp);
    for (let k = 0; k < 4; k++) { at.gate(P.gates, k); c.localGet(pre[k]).v128Store(); }
    // c = f·cPrev + i·g
    c.localGet(vf); at.state(P.cPrev); c.v128Load().simd(SimdOp.f32x4_mul);
    c.localGet(vi).localGet(vg).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(vc);
    at.state(P.c); c.localGet(vc).v128Store();
    emitTanhF32x4(c, vc, vc, tmp);
    at.state(P.tc); c.localGet(vc).v128Store();
    at.state(P.h); c.localGet(vo).localGet(vc).simd(SimdOp.f32x4_mul).v128Store();
  });
  return { params: CELL_FWD_PARAMS.map(() => ValType.i32), results: [], locals: L.types, body: c, export: 'cellForward' };
}

const CELL_BWD_PARAMS = ['gates', 'tc', 'cPrev', 'dh', 'dc', 'rows', 'hidden', 'dhStride'] as const;

/**
 * `cellBackward(gates, tc, cPrev, dh, dc, rows, hidden, dhStride)`: for each row, from the
 * activated gates [rows, 4H], tanh(c_t) and c_{t−1} [rows, H], ∂L/∂h_t (`dh`, rows `dhStride`
 * bytes apart) and ∂L/∂c_t from step t+1 (`dc`), writes ∂L/∂preactivation over `gates` in place and
 * ∂L/∂c_{t−1} = dc_t ⊙ f over `dc`:
 *   dc_t = dc + dh ⊙ o ⊙ (1 − tanh²c_t)
 *   d_i = dc_t ⊙ g ⊙ i(1 − i)   d_f = dc_t ⊙ c_{t−1} ⊙ f(1 − f)   d_g = dc_t ⊙ i ⊙ (1 − g²)   d_o = dh ⊙ tanh c_t ⊙ o(1 − o)
 */
function cellBackwardFunc(): FuncDef {
  const P = Object.fromEntries(CELL_BWD_PARAMS.map((n, i) => [n, i])) as Record<(typeof CELL_BWD_PARAMS)[number], number>;
  const L = new Locals(CELL_BWD_PARAMS.length);
  const d0 = L.add(ValType.i32);
  const vi = L.add(ValType.v128), vf = L.add(ValType.v128), vg = L.add(ValType.v128), vo = L.add(ValType.v128);
  const vtc = L.add(ValType.v128), vdh = L.add(ValType.v128), vdc = L.add(ValType.v128);
  const c = new Code();
  const one = (): void => void c.splatF32(1);
  emitCellLoop(c, L, P.rows, P.hidden, (at, j) => {
    const gates = [vi, vf, vg, vo];
    for (let k = 0; k < 4; k++) { at.gate(P.gates, k); c.v128Load().localSet(gates[k]); }
    at.state(P.tc); c.v128Load().localSet(vtc);
    c.localGet(P.dh).localGet(d0).op(Op.i32_add).localGet(j).op(Op.i32_add).v128Load().localSet(vdh);
    // dc_t = dc + dh·o·(1 − tc²)
    at.state(P.dc); c.v128Load();
    c.localGet(vdh).localGet(vo).simd(SimdOp.f32x4_mul);
    one(); c.localGet(vtc).localGet(vtc).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_sub);
    c.simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(vdc);
    // d_i = dc·g·i·(1 − i)
    at.gate(P.gates, 0);
    c.localGet(vdc).localGet(vg).simd(SimdOp.f32x4_mul).localGet(vi).simd(SimdOp.f32x4_mul);
    one(); c.localGet(vi).simd(SimdOp.f32x4_sub).simd(SimdOp.f32x4_mul).v128Store();
    // d_f = dc·cPrev·f·(1 − f)
    at.gate(P.gates, 1);
    c.localGet(vdc); at.state(P.cPrev); c.v128Load().simd(SimdOp.f32x4_mul).localGet(vf).simd(SimdOp.f32x4_mul);
    one(); c.localGet(vf).simd(SimdOp.f32x4_sub).simd(SimdOp.f32x4_mul).v128Store();
    // d_g = dc·i·(1 − g²)
    at.gate(P.gates, 2);
    c.localGet(vdc).localGet(vi).simd(SimdOp.f32x4_mul);
    one(); c.localGet(vg).localGet(vg).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_sub).simd(SimdOp.f32x4_mul).v128Store();
    // d_o = dh·tc·o·(1 − o)
    at.gate(P.gates, 3);
    c.localGet(vdh).localGet(vtc).simd(SimdOp.f32x4_mul).localGet(vo).simd(SimdOp.f32x4_mul);
    one(); c.localGet(vo).simd(SimdOp.f32x4_sub).simd(SimdOp.f32x4_mul).v128Store();
    // dc_{t−1} = dc_t·f
    at.state(P.dc); c.localGet(vdc).localGet(vf).simd(SimdOp.f32x4_mul).v128Store();
  }, (row) => void c.localGet(row).localGet(P.dhStride).op(Op.i32_mul).localSet(d0)); // dh rows are dhStride bytes apart
  return { params: CELL_BWD_PARAMS.map(() => ValType.i32), results: [], locals: L.types, body: c, export: 'cellBackward' };
}

/**
 * `columnSums(src, rows, cols4, dst)`: dst[j] += Σ_r src[r][j] for a [rows, cols] block whose
 * `cols4` = cols/4 vectors per row are contiguous (the bias gradient Σ_t ∂L/∂preactivation).
 */
function columnSumsFunc(): FuncDef {
  const [src, rows, cols4, dst] = [0, 1, 2, 3];
  const L = new Locals(4);
  const r = L.add(ValType.i32), v = L.add(ValType.i32), s = L.add(ValType.i32), d = L.add(ValType.i32), acc = L.add(ValType.v128);
  const c = new Code();
  // Column group by group (four columns per v128), down all rows: one store per group.
  c.i32Const(0).localSet(v);
  c.loop();
  {
    c.localGet(dst).localGet(v).i32Const(16).op(Op.i32_mul).op(Op.i32_add).localTee(d).v128Load().localSet(acc);
    c.localGet(src).localGet(v).i32Const(16).op(Op.i32_mul).op(Op.i32_add).localSet(s);
    c.i32Const(0).localSet(r);
    c.loop();
    c.localGet(acc).localGet(s).v128Load().simd(SimdOp.f32x4_add).localSet(acc);
    c.localGet(s).localGet(cols4).i32Const(16).op(Op.i32_mul).op(Op.i32_add).localSet(s);
    c.localGet(r).i32Const(1).op(Op.i32_add).localTee(r).localGet(rows).op(Op.i32_lt_s).brIf(0);
    c.end();
    c.localGet(d).localGet(acc).v128Store();
    c.localGet(v).i32Const(1).op(Op.i32_add).localTee(v).localGet(cols4).op(Op.i32_lt_s).brIf(0);
  }
  c.end();
  return { params: [ValType.i32, ValType.i32, ValType.i32, ValType.i32], results: [], locals: L.types, body: c, export: 'columnSums' };
}

/** The step kernels, for inclusion in the driver's module next to gemm and the pack functions. */
export function lstmStepFuncs(): FuncDef[] {
  return [cellForwardFunc(), cellBackwardFunc(), columnSumsFunc()];
}
