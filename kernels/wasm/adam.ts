/**
 * The Adam update on WebAssembly SIMD, four parameters per instruction, with the moment estimates
 * m and v resident in the kernel's memory (they are touched by every step and by nothing else, so
 * they never need copying; only the parameter and its gradient go in, and the parameter comes out).
 *
 * Same update as lib/train/adam.ts (the twin, which runs it in float64 per element and stores in
 * the parameter's dtype):
 *   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − s·m/(√v + ε̂)   with s = lr·√c₂/c₁, ε̂ = ε·√c₂,
 * here in float32 arithmetic (f32x4.sqrt and f32x4.div are correctly rounded), so results differ
 * from the twin by float32 rounding (test/kernels/wasm/adam.test.ts).
 *
 * One kernel per optimizer: `reserve` lays out the moments of every parameter at once, so the
 * memory grows once and the moment views it hands out stay valid for the optimizer's life.
 */
import { Code, encodeModule, Op, SimdOp, ValType } from './encoder.ts';
import { buildSimdProbe, Locals } from './matmulModule.ts';

const PARAMS = ['p', 'g', 'm', 'v', 'vectors'] as const;
const SCALARS = ['b1', 'b2', 'a1', 'a2', 'step', 'eps'] as const;

/** `adam(p, g, m, v, vectors, b1, b2, a1, a2, step, eps)`: `vectors` groups of four elements. */
function buildAdamModule(): Uint8Array<ArrayBuffer> {
  const P = Object.fromEntries(PARAMS.map((n, i) => [n, i])) as Record<(typeof PARAMS)[number], number>;
  const S = Object.fromEntries(SCALARS.map((n, i) => [n, PARAMS.length + i])) as Record<(typeof SCALARS)[number], number>;
  const L = new Locals(PARAMS.length + SCALARS.length);
  const off = L.add(ValType.i32), end = L.add(ValType.i32);
  const splat = Object.fromEntries(SCALARS.map((n) => [n, L.add(ValType.v128)])) as Record<(typeof SCALARS)[number], number>;
  const g = L.add(ValType.v128), m = L.add(ValType.v128), v = L.add(ValType.v128);
  const c = new Code();
  for (const n of SCALARS) c.localGet(S[n]).simd(SimdOp.f32x4_splat).localSet(splat[n]);
  c.i32Const(0).localSet(off);
  c.localGet(P.vectors).i32Const(16).op(Op.i32_mul).localSet(end);
  const at = (base: number): void => void c.localGet(base).localGet(off).op(Op.i32_add);
  c.loop();
  {
    at(P.g); c.v128Load().localSet(g);
    // m = b1·m + a1·g
    at(P.m); c.v128Load().localGet(splat.b1).simd(SimdOp.f32x4_mul).localGet(g).localGet(splat.a1).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(m);
    // v = b2·v + a2·g·g
    at(P.v); c.v128Load().localGet(splat.b2).simd(SimdOp.f32x4_mul).localGet(g).localGet(g).simd(SimdOp.f32x4_mul).localGet(splat.a2).simd(SimdOp.f32x4_mul).simd(SimdOp.f32x4_add).localSet(v);
    at(P.m); c.localGet(m).v128Store();
    at(P.v); c.localGet(v).v128Store();
    // p −= step·m / (√v + eps)
    at(P.p);
    at(P.p); c.v128Load();
    c.localGet(splat.step).localGet(m).simd(SimdOp.f32x4_mul);
    c.localGet(v).simd(SimdOp.f32x4_sqrt).localGet(splat.eps).simd(SimdOp.f32x4_add).simd(SimdOp.f32x4_div);
    c.simd(SimdOp.f32x4_sub).v128Store();
    c.localGet(off).i32Const(16).op(Op.i32_add).localTee(off).localGet(end).op(Op.i32_lt_s).brIf(0);
  }
  c.end();
  return encodeModule({
    memoryImport: { module: 'env', name: 'memory', minPages: 1 },
    funcs: [{ params: [...PARAMS.map(() => ValType.i32), ...SCALARS.map(() => ValType.f32)], results: [], locals: L.types, body: c, export: 'adam' }],
  });
}

type AdamFn = (p: number, g: number, m: number, v: number, vectors: number, b1: number, b2: number, a1: number, a2: number, step: number, eps: number) => void;

let compiled: WebAssembly.Module | null | undefined;

function moduleOrNull(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      if (typeof WebAssembly !== 'object' || !WebAssembly.validate(buildSimdProbe())) throw new Error('no WebAssembly SIMD');
      compiled = new WebAssembly.Module(buildAdamModule());
    } catch {
      compiled = null; // no SIMD or compilation refused (CSP): the optimizer keeps its TypeScript loop
    }
  }
  return compiled;
}

/** Whether the SIMD Adam can run here. */
export function wasmAdamAvailable(): boolean {
  return moduleOrNull() !== null;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
const PAGE = 65536;

/** Moments of every parameter of one optimizer, and the update that uses them. */
export class WasmAdamKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly adam: AdamFn;
  private readonly f32: Float32Array;
  /** Float index of each parameter's m and v, and of the scratch for p and g. */
  private readonly mAt: number[] = [];
  private readonly vAt: number[] = [];
  private readonly pAt: number;
  private readonly gAt: number;
  readonly sizes: readonly number[];

  /** Lays out m and v for parameters of these sizes (zeros), plus scratch for the largest. */
  constructor(sizes: readonly number[]) {
    const mod = moduleOrNull();
    if (!mod) throw new Error('SIMD Adam unavailable');
    this.sizes = [...sizes];
    let top = 0;
    for (const n of sizes) {
      this.mAt.push(top); top += roundUp(n, 16);
      this.vAt.push(top); top += roundUp(n, 16);
    }
    const largest = roundUp(Math.max(1, ...sizes), 16);
    this.pAt = top; top += largest;
    this.gAt = top; top += largest;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((top * 4) / PAGE) + 1 });
    this.adam = new WebAssembly.Instance(mod, { env: { memory: this.memory } }).exports.adam as AdamFn;
    this.f32 = new Float32Array(this.memory.buffer); // the memory never grows: views stay valid
  }

  /** The resident first moment of parameter `i` (a view: writes go to the kernel's state). */
  m(i: number): Float32Array {
    return this.f32.subarray(this.mAt[i], this.mAt[i] + this.sizes[i]);
  }

  v(i: number): Float32Array {
    return this.f32.subarray(this.vAt[i], this.vAt[i] + this.sizes[i]);
  }

  /** One Adam update of parameter `i` (elements p[offset .. offset + size)) from gradient g. */
  update(i: number, p: Float32Array, offset: number, g: Float32Array, b1: number, b2: number, stepSize: number, epsHat: number): void {
    const n = this.sizes[i], f32 = this.f32;
    const n4 = roundUp(n, 4);
    f32.set(p.subarray(offset, offset + n), this.pAt);
    f32.set(g.length === n ? g : g.subarray(0, n), this.gAt);
    // Padding lanes: zero gradient and parameter, so they stay finite and are never copied out.
    if (n4 > n) { f32.fill(0, this.pAt + n, this.pAt + n4); f32.fill(0, this.gAt + n, this.gAt + n4); }
    this.adam(this.pAt * 4, this.gAt * 4, this.mAt[i] * 4, this.vAt[i] * 4, n4 / 4, b1, b2, 1 - b1, 1 - b2, stepSize, epsHat);
    p.set(f32.subarray(this.pAt, this.pAt + n), offset);
  }
}
