/**
 * A one-function wasm module that maps an array of f32 lanes through an inline SIMD emitter
 * (kernels/wasm/simdMath.ts), four lanes at a time, for testing emitters against Math.
 */
import { Code, encodeModule, Op, ValType } from '../../kernels/wasm/encoder.ts';

/** Locals the emitter may use: the input `x`, the output `y`, two temporaries and a spare. */
export interface MapperLocals {
  x: number;
  y: number;
  a: number;
  b: number;
  spare: number;
}

/** Returns input ↦ output, where `emit` writes lane-wise f(x) into `y`. */
export function simdMapper(emit: (c: Code, l: MapperLocals) => void): (input: Float32Array) => Float32Array {
  const c = new Code();
  const [ptr, count, end] = [0, 1, 2];
  const l: MapperLocals = { x: 3, y: 4, a: 5, b: 6, spare: 7 };
  c.localGet(ptr).localGet(count).i32Const(4).op(Op.i32_mul).op(Op.i32_add).localSet(end);
  c.loop();
  c.localGet(ptr).v128Load().localSet(l.x);
  emit(c, l);
  c.localGet(ptr).localGet(l.y).v128Store();
  c.localGet(ptr).i32Const(16).op(Op.i32_add).localTee(ptr).localGet(end).op(Op.i32_lt_u).brIf(0);
  c.end();
  const bytes = encodeModule({
    memoryImport: { module: 'env', name: 'memory', minPages: 1 },
    funcs: [{ params: [ValType.i32, ValType.i32], results: [], locals: [ValType.i32, ...Array<ValType>(5).fill(ValType.v128)], body: c, export: 'map' }],
  });
  return (input) => {
    const memory = new WebAssembly.Memory({ initial: Math.ceil((input.length * 4 + 64) / 65536) + 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const f32 = new Float32Array(memory.buffer);
    f32.set(input);
    (inst.exports.map as (p: number, n: number) => void)(0, Math.ceil(input.length / 4) * 4);
    return f32.slice(0, input.length);
  };
}
