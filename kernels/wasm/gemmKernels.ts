/**
 * What every fused wasm kernel built around our gemm shares (lstm.ts, mmd.ts): one module with the
 * gemm and pack functions of matmulModule.ts plus the kernel's own functions on one imported memory,
 * compiled lazily once (with the reason kept when WebAssembly SIMD or compilation is refused); a
 * bump allocator of float regions that grows the memory once per call; and the blocked driver of
 * the gemm over packed operands.
 *
 * matmul.ts keeps its own driver: it owns per-instance blocking options and copies its operands in.
 */
import { encodeModule, type FuncDef } from './encoder.ts';
import { buildSimdProbe, DEFAULT_SHAPE, gemmFunc, packFunc } from './matmulModule.ts';

/** Register tile of the shared gemm: MR rows × NR columns. */
export const MR = DEFAULT_SHAPE.mr, NR = DEFAULT_SHAPE.nv * 4;
/** k per gemm block (the B micro-panel kc·NR·4 bytes stays in L1) and A panels per block of rows. */
const KC = 1024, MC_PANELS = 256 / MR;
const PAGE = 65536;
/** The kernels compare addresses as signed i32: the memory stays below 2 GiB. */
const MAX_BYTES = 2 ** 31 - PAGE;

export type GemmFn = (ap: number, bp: number, cp: number, panelsA: number, panelsB: number, kc: number, aStride: number, bStride: number, ldc: number, load: number) => void;
export type PackFn = (src: number, dst: number, cols: number, k: number, colStride: number, pStride: number) => void;

/** A compiled module: the memory, the gemm and pack functions, and every export by name. */
export interface GemmModule {
  memory: WebAssembly.Memory;
  gemm: GemmFn;
  packA: PackFn;
  packB: PackFn;
  exports: WebAssembly.Exports;
}

/**
 * A lazily compiled module of gemm, packA, packB (function indices 0–2) followed by `funcs()`:
 * `get()` compiles it on first use and returns null, for good, where that is impossible (no
 * WebAssembly SIMD, or a Content-Security-Policy without 'wasm-unsafe-eval'); `failure()` says why.
 */
export function lazyGemmModule(funcs: () => FuncDef[]): { get(): GemmModule | null; failure(): string } {
  let module: GemmModule | null | undefined;
  let failure = '';
  const get = (): GemmModule | null => {
    if (module !== undefined) return module;
    try {
      if (typeof WebAssembly !== 'object') throw new Error('no WebAssembly');
      if (!WebAssembly.validate(buildSimdProbe())) throw new Error('no WebAssembly SIMD');
      const memory = new WebAssembly.Memory({ initial: 1 });
      const bytes = encodeModule({
        memoryImport: { module: 'env', name: 'memory', minPages: 1 },
        funcs: [gemmFunc(DEFAULT_SHAPE), packFunc(MR, 'packA'), packFunc(NR, 'packB'), ...funcs()],
      });
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
      module = { memory, gemm: exports.gemm as GemmFn, packA: exports.packA as PackFn, packB: exports.packB as PackFn, exports };
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      module = null;
    }
    return module;
  };
  return { get, failure: () => (get(), failure) };
}

export const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/**
 * A bump allocator of float regions (64-byte aligned, `slack` floats past each region for kernels
 * that read a vector beyond a row's end) in a module's memory, made afresh for each call.
 */
export class Arena {
  top = 0;
  constructor(private readonly what: string, private readonly slack = 0) {}

  /** Float index of a new region of `floats` floats. */
  take(floats: number): number {
    const at = this.top;
    this.top += roundUp(Math.max(floats, 1) + this.slack, 16);
    return at;
  }

  /** Grows the memory to hold everything taken; returns a fresh view (growing detaches the old one). */
  commit(memory: WebAssembly.Memory): Float32Array {
    const bytes = this.top * 4;
    if (bytes > MAX_BYTES) throw new RangeError(`${this.what}: needs ${bytes} bytes of kernel memory, beyond the 2 GiB the wasm kernels address`);
    const have = memory.buffer.byteLength;
    if (have < bytes) memory.grow(Math.ceil((bytes - have) / PAGE));
    return new Float32Array(memory.buffer);
  }
}

/**
 * C (+)= op(A)·op(B) on packed operands (byte addresses): A in MR-row panels of `aStride` bytes,
 * B in NR-column panels of `bStride` bytes, both p-major from p = 0; C with row stride `ldc` bytes,
 * accumulated onto when `accumulate`. Writes whole tiles: C needs room for m rounded up to MR rows
 * and n rounded up to NR columns (padding rows of A are zero, so with `accumulate` they rewrite C
 * unchanged).
 */
export function gemmPacked(k: GemmModule, ap: number, aStride: number, bp: number, bStride: number, cp: number, ldc: number, m: number, kk: number, n: number, accumulate: boolean): void {
  const panelsA = Math.ceil(m / MR), panelsB = Math.ceil(n / NR);
  for (let pc = 0; pc < kk; pc += KC) {
    const kc = Math.min(KC, kk - pc);
    for (let ic = 0; ic < panelsA; ic += MC_PANELS) {
      k.gemm(ap + ic * aStride + pc * MR * 4, bp + pc * NR * 4, cp + ic * MR * ldc, Math.min(MC_PANELS, panelsA - ic), panelsB, kc, aStride, bStride, ldc, pc > 0 || accumulate ? 1 : 0);
    }
  }
}
