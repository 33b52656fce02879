/** The WebAssembly binary encoder: LEB128 against known vectors, and modules the engine accepts (or rejects). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Code, encodeModule, Op, SimdOp, sleb128, uleb128, ValType } from '../../../kernels/wasm/encoder.ts';
import { buildMatmulModule, buildSimdProbe } from '../../../kernels/wasm/matmulModule.ts';

const hex = (bytes: ArrayLike<number>): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

test('unsigned LEB128 matches known encodings', () => {
  assert.is(hex(uleb128(0)), '00');
  assert.is(hex(uleb128(127)), '7f');
  assert.is(hex(uleb128(128)), '80 01');
  assert.is(hex(uleb128(624485)), 'e5 8e 26'); // the example of the LEB128 Wikipedia article
  assert.is(hex(uleb128(0xffffffff)), 'ff ff ff ff 0f');
  assert.is(hex(uleb128(2 ** 53 - 1)), 'ff ff ff ff ff ff ff 0f');
  assert.throws(() => uleb128(-1));
  assert.throws(() => uleb128(1.5));
});

test('signed LEB128 matches known encodings', () => {
  assert.is(hex(sleb128(0)), '00');
  assert.is(hex(sleb128(-1)), '7f');
  assert.is(hex(sleb128(63)), '3f');
  assert.is(hex(sleb128(64)), 'c0 00'); // bit 6 set: needs a second byte to stay positive
  assert.is(hex(sleb128(-64)), '40');
  assert.is(hex(sleb128(-65)), 'bf 7f');
  assert.is(hex(sleb128(-123456)), 'c0 bb 78');
  assert.is(hex(sleb128(2 ** 31 - 1)), 'ff ff ff ff 07');
  assert.is(hex(sleb128(-(2 ** 31))), '80 80 80 80 78');
  assert.is(hex(sleb128(-(2 ** 40))), '80 80 80 80 80 60');
  assert.is(hex(sleb128(2 ** 40)), '80 80 80 80 80 20'); // beyond 32 bits (i64 immediates)
  assert.throws(() => sleb128(0.5));
});

test('an empty module encodes to the expected bytes and validates', () => {
  const bytes = encodeModule({ funcs: [] });
  // magic, version, then empty type (1), function (3) and code (10) sections
  assert.is(hex(bytes), '00 61 73 6d 01 00 00 00 01 01 00 03 01 00 0a 01 00');
  assert.ok(WebAssembly.validate(bytes));
});

test('scalar control flow: exported sum(n) = 1 + ... + n runs with block/loop/br_if', () => {
  // (func (param $n i32) (result i32) (local $s i32)
  //   block loop  local.get $n i32.eqz br_if 1
  //     s += n; n -= 1; br 0  end end  local.get $s)
  const c = new Code()
    .block().loop()
    .localGet(0).op(Op.i32_eqz).brIf(1)
    .localGet(1).localGet(0).op(Op.i32_add).localSet(1)
    .localGet(0).i32Const(1).op(Op.i32_sub).localSet(0)
    .br(0)
    .end().end()
    .localGet(1);
  const bytes = encodeModule({ funcs: [{ params: [ValType.i32], results: [ValType.i32], locals: [ValType.i32], body: c, export: 'sum' }] });
  assert.ok(WebAssembly.validate(bytes));
  const sum = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.sum as (n: number) => number;
  assert.is(sum(0), 0);
  assert.is(sum(100), 5050);
  // Negative immediates go through signed LEB128.
  const neg = encodeModule({ funcs: [{ params: [], results: [ValType.i32], locals: [], body: new Code().i32Const(-123456), export: 'f' }] });
  assert.is((new WebAssembly.Instance(new WebAssembly.Module(neg)).exports.f as () => number)(), -123456);
});

test('SIMD opcodes compute what they are named for (imported memory)', () => {
  // f(src, dst): dst[0..3] = splat(src[8]) * load(src[0..3]) + const(1, 2, 3, 4);
  //              dst[4..7] = shuffle32(load(src[0..3]), load(src[4..7]), [0, 4, 1, 7]);
  //              dst[8..11] = load32_splat(src[9]) + f32x4.splat(f32.load(src[10]))
  const c = new Code()
    .localGet(1)
    .localGet(0).f32Load(32).simd(SimdOp.f32x4_splat)
    .localGet(0).v128Load(0)
    .simd(SimdOp.f32x4_mul)
    .v128ConstF32([1, 2, 3, 4])
    .simd(SimdOp.f32x4_add)
    .v128Store(0)
    .localGet(1).localGet(0).v128Load(0).localGet(0).v128Load(16).shuffle32([0, 4, 1, 7]).v128Store(16)
    .localGet(1).localGet(0).v128Load32Splat(36).localGet(0).f32Load(40).simd(SimdOp.f32x4_splat).simd(SimdOp.f32x4_add).v128Store(32);
  const bytes = encodeModule({
    memoryImport: { module: 'env', name: 'memory', minPages: 1 },
    funcs: [{ params: [ValType.i32, ValType.i32], results: [], locals: [], body: c, export: 'f' }],
  });
  assert.ok(WebAssembly.validate(bytes));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const f = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.f as (s: number, d: number) => void;
  const mem = new Float32Array(memory.buffer);
  mem.set([1, 2, 3, 4, 5, 6, 7, 8, 10, 0.5, 0.25], 0);
  f(0, 256);
  assert.equal(Array.from(mem.subarray(64, 76)), [11, 22, 33, 44, 1, 5, 2, 8, 0.75, 0.75, 0.75, 0.75]);
});

test('invalid modules are rejected by WebAssembly.validate', () => {
  // Declared to return an i32 but leaves nothing on the stack.
  const noResult = encodeModule({ funcs: [{ params: [], results: [ValType.i32], locals: [], body: new Code() }] });
  assert.not.ok(WebAssembly.validate(noResult));
  assert.throws(() => new WebAssembly.Module(noResult), (e: unknown) => e instanceof WebAssembly.CompileError);
  // f32x4.add on i32 operands: a type error.
  const badTypes = encodeModule({ funcs: [{ params: [], results: [], locals: [], body: new Code().i32Const(1).i32Const(2).simd(SimdOp.f32x4_add).op(Op.drop) }] });
  assert.not.ok(WebAssembly.validate(badTypes));
  // A v128.load without a memory.
  const noMemory = encodeModule({ funcs: [{ params: [], results: [], locals: [], body: new Code().i32Const(0).v128Load().op(Op.drop) }] });
  assert.not.ok(WebAssembly.validate(noMemory));
  // A corrupted magic number.
  const corrupt = encodeModule({ funcs: [] });
  corrupt[1] = 0x62;
  assert.not.ok(WebAssembly.validate(corrupt));
});

test('the SIMD probe and the kernel modules (default and other tile shapes) validate', () => {
  assert.ok(WebAssembly.validate(buildSimdProbe()));
  assert.ok(WebAssembly.validate(buildMatmulModule()));
  for (const shape of [{ mr: 1, nv: 1, unroll: 1 }, { mr: 6, nv: 2, unroll: 3 }, { mr: 2, nv: 4, unroll: 2 }]) {
    assert.ok(WebAssembly.validate(buildMatmulModule(shape)), JSON.stringify(shape));
  }
});

test('a module-defined memory can be exported and grown by the host', () => {
  // store(addr, x): f32.store; its limits: 1 page min, 4 max.
  const c = new Code().localGet(0).localGet(1).f32Store(8);
  const bytes = encodeModule({
    memory: { minPages: 1, maxPages: 4, exportName: 'mem' },
    funcs: [{ params: [ValType.i32, ValType.f32], results: [], locals: [], body: c, export: 'store' }],
  });
  assert.ok(WebAssembly.validate(bytes));
  const { mem, store } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as { mem: WebAssembly.Memory; store: (a: number, x: number) => void };
  assert.ok(mem instanceof WebAssembly.Memory);
  mem.grow(3);
  assert.is(mem.buffer.byteLength, 4 * 65536);
  assert.throws(() => mem.grow(1)); // beyond maxPages
  store(4 * 65536 - 12, 2.5); // the last float of the grown memory (static offset 8)
  assert.is(new Float32Array(mem.buffer)[65536 - 1], 2.5);
});

test.run();
