/**
 * A tiny WebAssembly binary encoder: just enough of the format (LEB128 integers, the type, import,
 * function, memory, export and code sections, and an instruction builder with named opcodes) to emit
 * the matmul kernel in `matmulModule.ts` without any toolchain (no wabt, emscripten or
 * AssemblyScript: the module is generated at load time from TypeScript).
 *
 * Reference: the WebAssembly core specification, "Binary Format" chapter, and the fixed-width SIMD
 * proposal (merged into the standard in 2.0): SIMD instructions are the prefix byte 0xfd followed by
 * the opcode as an unsigned LEB128 u32.
 */

/** Value types (spec 5.3.1). */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** The single-byte opcodes used by our kernels (spec 5.4). */
export const Op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  f32_load: 0x2a,
  i32_store: 0x36,
  f32_store: 0x38,
  memory_size: 0x3f,
  memory_grow: 0x40,
  i32_const: 0x41,
  f32_const: 0x43,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_s: 0x4a,
  i32_gt_u: 0x4b,
  i32_le_s: 0x4c,
  i32_le_u: 0x4d,
  i32_ge_s: 0x4e,
  i32_ge_u: 0x4f,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  i32_shr_u: 0x76,
  f32_add: 0x92,
  f32_sub: 0x93,
  f32_mul: 0x94,
  f32_div: 0x95,
  f64_load: 0x2b,
  f64_store: 0x39,
  f64_const: 0x44,
  f64_add: 0xa0,
  f64_sub: 0xa1,
  f64_mul: 0xa2,
  f64_div: 0xa3,
  f64_promote_f32: 0xbb,
  f32_demote_f64: 0xb6,
  f32_convert_i32_s: 0xb2,
} as const;

/** SIMD opcodes (after the 0xfd prefix, encoded as LEB128 u32). */
export const SimdOp = {
  v128_load: 0x00,
  v128_load32_splat: 0x09,
  v128_store: 0x0b,
  v128_const: 0x0c,
  i8x16_shuffle: 0x0d,
  v128_load64_splat: 0x0a,
  i32x4_splat: 0x11,
  f32x4_splat: 0x13,
  f64x2_splat: 0x14,
  i32x4_extract_lane: 0x1b,
  f32x4_extract_lane: 0x1f,
  f32x4_replace_lane: 0x20,
  f64x2_extract_lane: 0x21,
  f32x4_eq: 0x41,
  f32x4_lt: 0x43,
  f32x4_gt: 0x44,
  f32x4_le: 0x45,
  f32x4_ge: 0x46,
  f64x2_lt: 0x49,
  f64x2_gt: 0x4a,
  v128_not: 0x4d,
  v128_and: 0x4e,
  v128_andnot: 0x4f,
  v128_or: 0x50,
  v128_xor: 0x51,
  v128_bitselect: 0x52,
  v128_any_true: 0x53,
  f64x2_promote_low_f32x4: 0x5f,
  f32x4_demote_f64x2_zero: 0x5e,
  f32x4_ceil: 0x67,
  f32x4_floor: 0x68,
  f32x4_nearest: 0x6a,
  i32x4_lt_s: 0x39,
  i32x4_lt_u: 0x3a,
  i32x4_gt_s: 0x3b,
  i32x4_all_true: 0xa3,
  i32x4_shl: 0xab,
  i32x4_shr_u: 0xad,
  i32x4_mul: 0xb5,
  i32x4_shr_s: 0xac,
  i32x4_add: 0xae,
  i32x4_sub: 0xb1,
  f32x4_abs: 0xe0,
  f32x4_neg: 0xe1,
  f32x4_sqrt: 0xe3,
  f32x4_add: 0xe4,
  f32x4_sub: 0xe5,
  f32x4_mul: 0xe6,
  f32x4_div: 0xe7,
  f32x4_min: 0xe8,
  f32x4_max: 0xe9,
  f64x2_abs: 0xec,
  f64x2_neg: 0xed,
  f64x2_sqrt: 0xef,
  f64x2_add: 0xf0,
  f64x2_sub: 0xf1,
  f64x2_mul: 0xf2,
  f64x2_div: 0xf3,
  f64x2_min: 0xf4,
  f64x2_max: 0xf5,
  i32x4_trunc_sat_f32x4_s: 0xf8,
  f32x4_convert_i32x4_s: 0xfa,
} as const;

const SIMD_PREFIX = 0xfd;
/** The block type of a block/loop/if that takes and leaves nothing on the stack. */
const BLOCK_EMPTY = 0x40;

/** Unsigned LEB128 of a non-negative integer (exact up to 2^53). */
export function uleb128(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`uleb128: ${value} is not a non-negative safe integer`);
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/**
 * Signed LEB128 (two's complement, sign-extended from bit 6 of the last byte). Uses floor division
 * rather than `>>` so that values beyond 32 bits (i64 immediates up to 2^53) encode correctly.
 */
export function sleb128(value: number): number[] {
  if (!Number.isSafeInteger(value)) throw new RangeError(`sleb128: ${value} is not a safe integer`);
  const out: number[] = [];
  for (;;) {
    const byte = ((value % 128) + 128) % 128; // low 7 bits of the two's complement
    value = Math.floor(value / 128); // arithmetic shift right by 7
    const signBit = byte & 0x40;
    if ((value === 0 && signBit === 0) || (value === -1 && signBit !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A UTF-8 name prefixed by its byte length (spec 5.2.4). */
export function encodeName(name: string): number[] {
  const bytes = new TextEncoder().encode(name);
  return [...uleb128(bytes.length), ...bytes];
}

/** A vector: element count, then the concatenated elements. */
export function encodeVec(items: number[][]): number[] {
  return [...uleb128(items.length), ...items.flat()];
}

/** A section: id byte, byte size, contents. */
export function encodeSection(id: number, contents: number[]): number[] {
  return [id, ...uleb128(contents.length), ...contents];
}

/**
 * Instruction builder for one function body. Every method appends one instruction and returns
 * `this`, so code reads like the text format: `c.localGet(x).i32Const(4).op(Op.i32_add).localSet(x)`.
 * Memory instructions take the static offset (added to the address operand for free, which is how
 * the kernel addresses the lanes of a tile without extra adds) and the alignment as log2 bytes.
 */
export class Code {
  readonly bytes: number[] = [];

  /** Any single-byte instruction without immediates (arithmetic, comparisons, end, drop...). */
  op(opcode: number): this {
    this.bytes.push(opcode);
    return this;
  }
  /** A SIMD instruction without immediates. */
  simd(opcode: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(opcode));
    return this;
  }
  i32Const(value: number): this {
    this.bytes.push(Op.i32_const, ...sleb128(value | 0));
    return this;
  }
  localGet(index: number): this {
    this.bytes.push(Op.local_get, ...uleb128(index));
    return this;
  }
  localSet(index: number): this {
    this.bytes.push(Op.local_set, ...uleb128(index));
    return this;
  }
  localTee(index: number): this {
    this.bytes.push(Op.local_tee, ...uleb128(index));
    return this;
  }
  block(): this {
    this.bytes.push(Op.block, BLOCK_EMPTY);
    return this;
  }
  loop(): this {
    this.bytes.push(Op.loop, BLOCK_EMPTY);
    return this;
  }
  if(): this {
    this.bytes.push(Op.if, BLOCK_EMPTY);
    return this;
  }
  else(): this {
    this.bytes.push(Op.else);
    return this;
  }
  end(): this {
    this.bytes.push(Op.end);
    return this;
  }
  /** Calls function `index` of the module (arguments on the stack). */
  call(index: number): this {
    this.bytes.push(Op.call, ...uleb128(index));
    return this;
  }
  /** Branch to the label `depth` blocks out (0 = innermost; for a loop this jumps to its start). */
  br(depth: number): this {
    this.bytes.push(Op.br, ...uleb128(depth));
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(Op.br_if, ...uleb128(depth));
    return this;
  }
  /** A scalar memory access with its memarg (alignment as log2 bytes, then static offset). */
  mem(opcode: number, offset = 0, alignLog2 = 2): this {
    this.bytes.push(opcode, ...uleb128(alignLog2), ...uleb128(offset));
    return this;
  }
  f32Load(offset = 0): this {
    return this.mem(Op.f32_load, offset, 2);
  }
  f32Store(offset = 0): this {
    return this.mem(Op.f32_store, offset, 2);
  }
  /** A SIMD memory access with its memarg. */
  simdMem(opcode: number, offset: number, alignLog2: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(opcode), ...uleb128(alignLog2), ...uleb128(offset));
    return this;
  }
  v128Load(offset = 0): this {
    return this.simdMem(SimdOp.v128_load, offset, 4);
  }
  v128Store(offset = 0): this {
    return this.simdMem(SimdOp.v128_store, offset, 4);
  }
  /** Loads one f32 and replicates it into the 4 lanes (f32.load + f32x4.splat in one instruction). */
  v128Load32Splat(offset = 0): this {
    return this.simdMem(SimdOp.v128_load32_splat, offset, 2);
  }
  /**
   * i8x16.shuffle by 32-bit lanes: result lane i is lane `lanes[i]` of the concatenation of the two
   * operands (0–3: first, 4–7: second), expanded to the 16 byte indices the instruction takes.
   */
  shuffle32(lanes: [number, number, number, number]): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(SimdOp.i8x16_shuffle));
    for (const l of lanes) this.bytes.push(l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3);
    return this;
  }
  /** A lane access (extract/replace) with its lane index immediate. */
  simdLane(opcode: number, lane: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(opcode), lane);
    return this;
  }
  f32Const(value: number): this {
    this.bytes.push(Op.f32_const, ...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  f64Const(value: number): this {
    this.bytes.push(Op.f64_const, ...new Uint8Array(new Float64Array([value]).buffer));
    return this;
  }
  f64Load(offset = 0): this {
    return this.mem(Op.f64_load, offset, 3);
  }
  f64Store(offset = 0): this {
    return this.mem(Op.f64_store, offset, 3);
  }
  /** A 16-byte constant with the same f32 in every lane. */
  splatF32(value: number): this {
    return this.v128ConstF32([value, value, value, value]);
  }
  /** A 16-byte constant, given as four i32 lanes. */
  v128ConstI32(lanes: [number, number, number, number]): this {
    const bytes = new Uint8Array(new Int32Array(lanes).buffer);
    this.bytes.push(SIMD_PREFIX, ...uleb128(SimdOp.v128_const), ...bytes);
    return this;
  }
  /** A 16-byte constant, given as two f64 lanes. */
  v128ConstF64(lanes: [number, number]): this {
    const bytes = new Uint8Array(new Float64Array(lanes).buffer);
    this.bytes.push(SIMD_PREFIX, ...uleb128(SimdOp.v128_const), ...bytes);
    return this;
  }
  /** A 16-byte constant, given as four f32 lanes. */
  v128ConstF32(lanes: [number, number, number, number]): this {
    const bytes = new Uint8Array(new Float32Array(lanes).buffer);
    this.bytes.push(SIMD_PREFIX, ...uleb128(SimdOp.v128_const), ...bytes);
    return this;
  }
}

/** A function of a module: its signature, extra locals (after the params) and body. */
export interface FuncDef {
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  /** The body without its final `end` (the encoder appends it). */
  body: Code;
  /** Exported under this name when given. */
  export?: string;
}

/** Memory limits in 64 KiB pages; without `maxPages` the memory can grow up to the engine's limit. */
export interface MemoryDef {
  minPages: number;
  maxPages?: number;
}

export interface ModuleDef {
  /** A memory imported as `module.name`, e.g. `env.memory`, owned and grown by the host. */
  memoryImport?: { module: string; name: string } & MemoryDef;
  /** Or a memory defined by the module, exported under `exportName` when given. */
  memory?: MemoryDef & { exportName?: string };
  funcs: FuncDef[];
}

function encodeLimits(m: MemoryDef): number[] {
  return m.maxPages === undefined ? [0x00, ...uleb128(m.minPages)] : [0x01, ...uleb128(m.minPages), ...uleb128(m.maxPages)];
}

/** Locals are declared as runs of (count, type): consecutive equal types share one entry. */
function encodeLocals(locals: ValType[]): number[] {
  const runs: number[][] = [];
  for (let i = 0; i < locals.length; ) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    runs.push([...uleb128(j - i), locals[i]]);
    i = j;
  }
  return encodeVec(runs);
}

/** The complete binary of a module (magic, version, then the sections in their required order). */
export function encodeModule(def: ModuleDef): Uint8Array<ArrayBuffer> {
  // Type section: one entry per distinct signature.
  const sigs: string[] = [];
  const typeEntries: number[][] = [];
  const typeIndex = def.funcs.map((f) => {
    const entry = [0x60, ...encodeVec(f.params.map((t) => [t])), ...encodeVec(f.results.map((t) => [t]))];
    const key = entry.join(',');
    let idx = sigs.indexOf(key);
    if (idx < 0) {
      idx = sigs.push(key) - 1;
      typeEntries.push(entry);
    }
    return idx;
  });

  // Sections are collected whole and flattened once (no call-argument spread of large arrays).
  const out: number[][] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  out.push(encodeSection(1, encodeVec(typeEntries)));
  if (def.memoryImport) {
    const imp = def.memoryImport;
    out.push(encodeSection(2, encodeVec([[...encodeName(imp.module), ...encodeName(imp.name), 0x02, ...encodeLimits(imp)]])));
  }
  out.push(encodeSection(3, encodeVec(typeIndex.map((t) => uleb128(t)))));
  if (def.memory) out.push(encodeSection(5, encodeVec([encodeLimits(def.memory)])));

  const exports: number[][] = [];
  def.funcs.forEach((f, i) => {
    if (f.export !== undefined) exports.push([...encodeName(f.export), 0x00, ...uleb128(i)]);
  });
  if (def.memory?.exportName !== undefined) exports.push([...encodeName(def.memory.exportName), 0x02, 0x00]);
  if (exports.length > 0) out.push(encodeSection(7, encodeVec(exports)));

  const bodies = def.funcs.map((f) => {
    const body = [...encodeLocals(f.locals), ...f.body.bytes, Op.end];
    return [...uleb128(body.length), ...body];
  });
  out.push(encodeSection(10, encodeVec(bodies)));
  return new Uint8Array(out.flat());
}
