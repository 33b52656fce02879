/**
 * float32 matrix product on the WebAssembly SIMD kernel of `matmulModule.ts`, with exactly the
 * signature and semantics of the JS kernel `kernels/cpu/matmul.ts` (which it falls back to).
 *
 * Per call, for float32 data:
 * 1. copy the two operands, as they are, into the wasm memory (`Float32Array.set`: a memcpy), then
 *    let wasm pack op(A) into MR-row panels and op(B) into NR-column panels, padding m to a multiple
 *    of MR and n to a multiple of NR with zeros (layout in matmulModule.ts; padding never reaches
 *    the m×n result). Packing handles the transposition flags, so the micro-kernel sees one layout
 *    and only unit-stride loads. It is done in wasm because packing in JS cost as much as the
 *    product itself at LSTM-step sizes (~2 ns/float, against ~0.15 for SIMD copies and ~0.2 for
 *    in-register 4×4 transposes);
 * 2. run `gemm` in blocks of KC steps of k and MC rows of m. On the machine this was tuned on
 *    (Zen 3: 32 KiB L1d, 512 KiB L2 per core) blocking measured neutral within noise up to
 *    1024×1024×1024 and k = 4096 (the hardware prefetcher keeps up with the A stream), so the
 *    defaults are large and only cap the B micro-panel (KC·NR·4 = 32 KiB) and the A block;
 * 3. copy the m×n corner of the padded C back into `out`. With `accumulate`, when n is a multiple
 *    of NR the old `out` is first copied into C and the kernel adds onto it; otherwise the result
 *    is added on the way back.
 * The memory is allocated once and only grows, so steady-state calls allocate nothing but a few
 * typed-array views (`subarray`) for the memcpys. Fixed cost per call: ~0.3 µs (the JS kernel is
 * faster only below about 8×8×8).
 *
 * Accumulation happens in float32 (the JS kernel accumulates blocks of 256 terms in doubles): results differ from it by
 * rounding, bounded by about k·2⁻²⁴·Σₚ|aᵢₚ||bₚⱼ| per element (in practice ~√k·2⁻²⁴·Σ).
 *
 * The JS kernel is used instead when any array is a Float64Array (gradient checks must stay exact),
 * when the engine lacks WebAssembly SIMD, or when compiling the module fails (e.g. a page whose
 * Content-Security-Policy lacks 'wasm-unsafe-eval').
 */
import { matmul as jsMatmul, type MatmulArgs } from '../cpu/matmul.ts';
import { type FloatArray } from '../cpu/types.ts';
import { buildMatmulModule, buildSimdProbe, DEFAULT_SHAPE, type KernelShape } from './matmulModule.ts';

export type { MatmulArgs };

/** Blocking and tile parameters of one compiled kernel (defaults: the measured best, see the bench). */
export interface WasmMatmulOptions {
  /** Register tile (MR rows × 4·nv columns) and p-loop unrolling of the generated kernel. */
  shape?: KernelShape;
  /** Steps of k per block (default 1024): bounds the B micro-panel (kc×NR floats) kept in L1. */
  kc?: number;
  /** Rows of A per block (default 256): the mc×kc A block is reused across all B panels. */
  mc?: number;
}

/** A compiled kernel with its own memory. */
export interface WasmMatmulKernel {
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;
  describe(): string;
}

const PAGE = 65536;
const MAX_BYTES = 2 ** 31 - PAGE;

/**
 * Rounds a float count up to 16 floats (64 bytes, a cache line). Module-level on purpose: under
 * tsx (esbuild keepNames) every closure created inside a hot function costs an Object.defineProperty.
 */
function align(floats: number): number {
  return Math.ceil(floats / 16) * 16;
}

type GemmFn = (
  ap: number, bp: number, cp: number, panelsA: number, panelsB: number,
  kc: number, aStride: number, bStride: number, ldc: number, load: number,
) => void;

type PackFn = (src: number, dst: number, cols: number, k: number, colStride: number, pStride: number) => void;

/**
 * Compiles the kernel for the given options (synchronously) and returns a float32-only matmul on
 * it. Throws if WebAssembly SIMD is unavailable or compilation is refused.
 */
export function createWasmMatmul(options: WasmMatmulOptions = {}): WasmMatmulKernel {
  const shape = options.shape ?? DEFAULT_SHAPE;
  const MR = shape.mr, NR = shape.nv * 4;
  const KC = Math.max(1, options.kc ?? 1024);
  const MC = Math.max(MR, Math.floor((options.mc ?? 256) / MR) * MR);
  if (typeof WebAssembly !== 'object') throw new Error('no WebAssembly');
  if (!WebAssembly.validate(buildSimdProbe())) throw new Error('no WebAssembly SIMD');
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(buildMatmulModule(shape)), { env: { memory } });
  const gemm = instance.exports.gemm as GemmFn;
  const packA = instance.exports.packA as PackFn;
  const packB = instance.exports.packB as PackFn;
  /** View of the whole memory; replaced after every grow (growing detaches the old buffer). */
  let f32 = new Float32Array(memory.buffer);

  /** Copies `len` floats of `src` from `off` to float index `at` of the memory (a memcpy). */
  function copyIn(src: Float32Array, off: number, len: number, at: number): void {
    // The JS kernel would read `undefined` (NaN) past the end; here stale memory would be used instead.
    if (off < 0 || off + len > src.length) throw new RangeError(`matmul: operand of length ${src.length} is too short for ${len} elements at offset ${off}`);
    f32.set(off === 0 && src.length === len ? src : src.subarray(off, off + len), at);
  }

  function matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void {
    const { m, k, n } = args;
    const aOff = args.aOffset ?? 0, bOff = args.bOffset ?? 0, cOff = args.outOffset ?? 0;
    const accumulate = args.accumulate ?? false;
    if (m === 0 || n === 0 || k === 0) {
      if (!accumulate) out.fill(0, cOff, cOff + m * n);
      return;
    }
    const mp = Math.ceil(m / MR) * MR;
    const np = Math.ceil(n / NR) * NR;
    // Float offsets of the regions, each rounded up to 16 floats (64 bytes: a cache line): the
    // packed panels, C, and the raw copies of the operands that the pack functions read.
    const aAt = 0, bAt = aAt + align(mp * k), cAt = bAt + align(k * np);
    const aRawAt = cAt + align(mp * np), bRawAt = aRawAt + align(m * k);
    const bytes = (bRawAt + k * n) * 4;
    if (memory.buffer.byteLength < bytes) {
      // The kernels compare addresses as signed i32, so the memory stays below 2 GiB; beyond that
      // (or if the engine refuses to grow) the product is left to the JS kernel.
      if (bytes > MAX_BYTES) return jsMatmul(a, b, out, args);
      try {
        memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      } catch {
        return jsMatmul(a, b, out, args);
      }
      f32 = new Float32Array(memory.buffer);
    }

    // Raw copies (memcpy), then packing inside wasm. A's "columns" (panel lanes) are its rows.
    copyIn(a, aOff, m * k, aRawAt);
    copyIn(b, bOff, k * n, bRawAt);
    if (args.transA) packA(aRawAt * 4, aAt * 4, m, k, 4, m * 4); // stored k×m
    else packA(aRawAt * 4, aAt * 4, m, k, k * 4, 4);
    if (args.transB) packB(bRawAt * 4, bAt * 4, n, k, k * 4, 4); // stored n×k
    else packB(bRawAt * 4, bAt * 4, n, k, 4, n * 4);

    // When C has no padding columns (n a multiple of NR), accumulation is done by the kernel itself:
    // out is copied into C and every tile starts from it. Otherwise it is added on the way back.
    const dense = np === n;
    const loadC = accumulate && dense;
    if (loadC) copyIn(out, cOff, m * n, cAt);

    // k slices outermost (later slices accumulate onto C in the kernel), then blocks of MC rows.
    const panelsA = mp / MR, panelsB = np / NR, mcPanels = MC / MR;
    const aStride = k * MR * 4, bStride = k * NR * 4, ldc = np * 4;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      for (let ic = 0; ic < panelsA; ic += mcPanels) {
        gemm(aAt * 4 + ic * aStride + pc * MR * 4, bAt * 4 + pc * NR * 4, cAt * 4 + ic * MR * ldc,
          Math.min(mcPanels, panelsA - ic), panelsB, kc, aStride, bStride, ldc, pc > 0 || loadC ? 1 : 0);
      }
    }

    // Copy the m×n corner of C (row stride np) back.
    if (dense) {
      out.set(f32.subarray(cAt, cAt + m * n), cOff);
    } else if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cAt + i * np, dst = cOff + i * n;
        for (let j = 0; j < n; j++) out[dst + j] += f32[src + j];
      }
    } else {
      for (let i = 0; i < m; i++) {
        const src = cAt + i * np, dst = cOff + i * n;
        for (let j = 0; j < n; j++) out[dst + j] = f32[src + j];
      }
    }
  }

  const describe = (): string =>
    `wasm SIMD f32 matmul, ${MR}×${NR} register tile, KC=${KC}, MC=${MC}, memory ${memory.buffer.byteLength / PAGE} pages`;
  return { matmul, describe };
}

/** The shared default kernel. undefined: not tried yet; null: unavailable (reason in `failure`). */
let kernel: WasmMatmulKernel | null | undefined;
let failure = '';

function defaultKernel(): WasmMatmulKernel | null {
  if (kernel === undefined) {
    try {
      kernel = createWasmMatmul();
    } catch (e) {
      // No SIMD, or compilation refused (typically a CSP without 'wasm-unsafe-eval').
      failure = e instanceof Error ? e.message : String(e);
      kernel = null;
    }
  }
  return kernel;
}

/** Whether float32 products run on the wasm SIMD kernel (compiles it on first call). */
export function wasmMatmulAvailable(): boolean {
  return defaultKernel() !== null;
}

/** One line for logs and benchmarks: which kernel is in use and why. */
export function describeWasmMatmul(): string {
  const k = defaultKernel();
  return k === null ? `wasm matmul unavailable (${failure}); using the JS kernel` : k.describe();
}

/**
 * out[m×n] (=|+=) op(a) · op(b), row-major, contiguous from the offsets: the same contract as
 * `kernels/cpu/matmul.ts`. float32 runs on the wasm kernel; float64 (or no wasm) on the JS kernel.
 */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, args: MatmulArgs): void {
  if (a instanceof Float64Array || b instanceof Float64Array || out instanceof Float64Array) return jsMatmul(a, b, out, args);
  const k = defaultKernel();
  if (k === null) return jsMatmul(a, b, out, args);
  k.matmul(a, b, out, args);
}
