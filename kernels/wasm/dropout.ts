/**
 * Dropout on WebAssembly SIMD: the counter-hash mask of kernels/cpu/dropout.ts (its twin, same bits)
 * for four elements per instruction, applied to x in the same pass. Used by the default backend for
 * float32; the forward pass and the backward pass (the same mask applied to the gradient) are the
 * same call with the same keys.
 */
import { Code, encodeModule, Op, SimdOp, ValType } from './encoder.ts';
import { buildSimdProbe, Locals } from './matmulModule.ts';
import { dropoutApply as cpuDropoutApply } from '../cpu/dropout.ts';
import type { FloatArray } from '../cpu/types.ts';

const PARAMS = ['src', 'dst', 'vectors', 'k1', 'k2', 'threshold'] as const;

function buildDropoutModule(): Uint8Array<ArrayBuffer> {
  const P = Object.fromEntries(PARAMS.map((n, i) => [n, i])) as Record<(typeof PARAMS)[number], number>;
  const KEEP = PARAMS.length; // f32 param after the i32 ones
  const L = new Locals(PARAMS.length + 1);
  const off = L.add(ValType.i32), end = L.add(ValType.i32);
  const idx = L.add(ValType.v128), z = L.add(ValType.v128), k1 = L.add(ValType.v128), k2 = L.add(ValType.v128), thr = L.add(ValType.v128), keep = L.add(ValType.v128);
  const c = new Code();
  c.localGet(P.k1).simd(SimdOp.i32x4_splat).localSet(k1);
  c.localGet(P.k2).simd(SimdOp.i32x4_splat).localSet(k2);
  c.localGet(P.threshold).simd(SimdOp.i32x4_splat).localSet(thr);
  c.localGet(KEEP).simd(SimdOp.f32x4_splat).localSet(keep);
  c.v128ConstI32([0, 1, 2, 3]).localSet(idx);
  c.i32Const(0).localSet(off);
  c.localGet(P.vectors).i32Const(16).op(Op.i32_mul).localSet(end);
  /** z = fmix32(z) lane-wise. */
  const fmix = (): void => {
    c.localGet(z).localGet(z).i32Const(16).simd(SimdOp.i32x4_shr_u).simd(SimdOp.v128_xor).localSet(z);
    c.localGet(z).v128ConstI32([0x85ebca6b | 0, 0x85ebca6b | 0, 0x85ebca6b | 0, 0x85ebca6b | 0]).simd(SimdOp.i32x4_mul).localSet(z);
    c.localGet(z).localGet(z).i32Const(13).simd(SimdOp.i32x4_shr_u).simd(SimdOp.v128_xor).localSet(z);
    c.localGet(z).v128ConstI32([0xc2b2ae35 | 0, 0xc2b2ae35 | 0, 0xc2b2ae35 | 0, 0xc2b2ae35 | 0]).simd(SimdOp.i32x4_mul).localSet(z);
    c.localGet(z).localGet(z).i32Const(16).simd(SimdOp.i32x4_shr_u).simd(SimdOp.v128_xor).localSet(z);
  };
  c.loop();
  {
    // z = fmix32(fmix32(i·0x9e3779b9 ⊕ k1) + k2)
    c.localGet(idx).v128ConstI32([0x9e3779b9 | 0, 0x9e3779b9 | 0, 0x9e3779b9 | 0, 0x9e3779b9 | 0]).simd(SimdOp.i32x4_mul).localGet(k1).simd(SimdOp.v128_xor).localSet(z);
    fmix();
    c.localGet(z).localGet(k2).simd(SimdOp.i32x4_add).localSet(z);
    fmix();
    // dst = src·keep, zeroed where z < threshold (unsigned)
    c.localGet(P.dst).localGet(off).op(Op.i32_add);
    c.localGet(P.src).localGet(off).op(Op.i32_add).v128Load().localGet(keep).simd(SimdOp.f32x4_mul);
    c.localGet(z).localGet(thr).simd(SimdOp.i32x4_lt_u).simd(SimdOp.v128_andnot).v128Store();
    c.localGet(idx).v128ConstI32([4, 4, 4, 4]).simd(SimdOp.i32x4_add).localSet(idx);
    c.localGet(off).i32Const(16).op(Op.i32_add).localTee(off).localGet(end).op(Op.i32_lt_s).brIf(0);
  }
  c.end();
  return encodeModule({
    memoryImport: { module: 'env', name: 'memory', minPages: 1 },
    funcs: [{ params: [...PARAMS.map(() => ValType.i32), ValType.f32], results: [], locals: L.types, body: c, export: 'dropout' }],
  });
}

type DropoutFn = (src: number, dst: number, vectors: number, k1: number, k2: number, threshold: number, keep: number) => void;

let kernel: { memory: WebAssembly.Memory; fn: DropoutFn } | null | undefined;

function load(): typeof kernel {
  if (kernel === undefined) {
    try {
      if (typeof WebAssembly !== 'object' || !WebAssembly.validate(buildSimdProbe())) throw new Error('no WebAssembly SIMD');
      const memory = new WebAssembly.Memory({ initial: 1 });
      const fn = new WebAssembly.Instance(new WebAssembly.Module(buildDropoutModule()), { env: { memory } }).exports.dropout as DropoutFn;
      kernel = { memory, fn };
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

export function wasmDropoutAvailable(): boolean {
  return load() != null;
}

/**
 * `dropoutApply` of kernels/cpu/dropout.ts (same signature, same bits) on the SIMD kernel for
 * float32 arrays; the TypeScript twin for float64 or where WebAssembly SIMD is unavailable.
 */
export function dropoutApply(x: FloatArray, out: FloatArray, n: number, k1: number, k2: number, threshold: number, keep: number): void {
  const k = load();
  if (!k || n === 0 || !(x instanceof Float32Array) || !(out instanceof Float32Array)) return cpuDropoutApply(x, out, n, k1, k2, threshold, keep);
  const n4 = Math.ceil(n / 4) * 4;
  const bytes = n4 * 2 * 4;
  if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65536));
  const f32 = new Float32Array(k.memory.buffer);
  f32.set(x.subarray(0, n), 0);
  k.fn(0, n4 * 4, n4 / 4, k1 | 0, k2 | 0, threshold | 0, keep);
  out.set(f32.subarray(n4, n4 + n));
}
