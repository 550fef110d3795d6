/** The WebAssembly binary encoder: number encodings, and modules the engine validates and runs. */
import { describe, expect, it } from 'vitest';
import { ByteWriter, FunctionBuilder, ModuleBuilder, op, simd } from '../../src/backend/wasm/encoder.js';
import { webAssembly } from '../../src/backend/wasm/engine.js';

const wasm = webAssembly()!;

const bytes = (write: (w: ByteWriter) => void) => {
  const w = new ByteWriter();
  write(w);
  return Array.from(w.finish());
};

/** Instantiates a module with one imported memory of a page and Math.sin as an import. */
function instantiate(module: ModuleBuilder): { exports: Record<string, (...args: number[]) => number>; memory: { buffer: ArrayBuffer | SharedArrayBuffer } } {
  const encoded = module.encode();
  expect(wasm.validate(encoded)).toBe(true);
  const memory = new wasm.Memory({ initial: 1 });
  const instance = new wasm.Instance(new wasm.Module(encoded), { math: { sin: Math.sin }, env: { memory } });
  return { exports: instance.exports as never, memory };
}

describe('LEB128 and literals', () => {
  it('unsigned', () => {
    expect(bytes((w) => w.u32(0))).toEqual([0]);
    expect(bytes((w) => w.u32(127))).toEqual([0x7f]);
    expect(bytes((w) => w.u32(128))).toEqual([0x80, 0x01]);
    expect(bytes((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(bytes((w) => w.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => bytes((w) => w.u32(-1))).toThrow(/not a u32/);
  });
  it('signed (an i32 constant; values past 2³¹ − 1 wrap)', () => {
    expect(bytes((w) => w.s32(-1))).toEqual([0x7f]);
    expect(bytes((w) => w.s32(63))).toEqual([0x3f]);
    expect(bytes((w) => w.s32(64))).toEqual([0xc0, 0x00]);
    expect(bytes((w) => w.s32(-64))).toEqual([0x40]);
    expect(bytes((w) => w.s32(-65))).toEqual([0xbf, 0x7f]);
    expect(bytes((w) => w.s32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(bytes((w) => w.s32(0xffffffff))).toEqual([0x7f]);
    expect(() => bytes((w) => w.s32(1.5))).toThrow(/not an i32/);
  });
  it('floats are little-endian IEEE', () => {
    expect(bytes((w) => w.f64(1))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(bytes((w) => w.f32(-2))).toEqual([0, 0, 0, 0xc0]);
  });
  it('grows past its first buffer', () => {
    expect(bytes((w) => w.bytes(new Array(1000).fill(7))).length).toBe(1000);
  });
});

describe('modules', () => {
  it('an imported function, locals, arithmetic and a call', () => {
    const m = new ModuleBuilder();
    const sin = m.importFunction({ module: 'math', name: 'sin', params: ['f64'], results: ['f64'] });
    m.importMemory({ module: 'env', name: 'memory', initial: 1 });
    const f = new FunctionBuilder(['f64', 'f64'], ['f64']);
    const t = f.local('f64');
    f.get(0).get(1).op(op.f64Mul).tee(t).call(sin).get(t).op(op.f64Add);
    m.exportFunction('f', m.addFunction(f));
    const { exports } = instantiate(m);
    expect(exports['f']!(1.5, 2)).toBe(Math.sin(3) + 3);
  });

  it('loops, branches and memory: the sum of 1 … n stored at an address', () => {
    const m = new ModuleBuilder();
    m.importMemory({ module: 'env', name: 'memory', initial: 1 });
    const f = new FunctionBuilder(['i32'], ['f64']);
    const total = f.local('f64'), i = f.local('i32');
    f.open('block').get(0).op(op.i32Eqz).brIf(0);
    f.open('loop');
    f.get(total).get(i).i32(1).op(op.i32Add).tee(i).op(op.f64ConvertI32S).op(op.f64Add).set(total);
    f.get(i).get(0).op(op.i32LtU).brIf(0);
    f.end().end();
    f.i32(8).get(total).memory(op.f64Store, { offset: 8 });
    f.i32(16).memory(op.f64Load);
    m.exportFunction('sum', m.addFunction(f));
    const { exports, memory } = instantiate(m);
    expect(exports['sum']!(100)).toBe(5050);
    expect(new Float64Array(memory.buffer)[2]).toBe(5050);
    expect(exports['sum']!(0)).toBe(0);
  });

  it('SIMD: loads, splats, arithmetic, bitselect, lane stores, constants', () => {
    const m = new ModuleBuilder();
    m.importMemory({ module: 'env', name: 'memory', initial: 1 });
    const f = new FunctionBuilder([]);
    // [0..16) holds a = (1, −2, 3, −4) f32; out at 16: relu(a) · 2 + a[0] splat; lane 3 of a at 32.
    f.i32(16);
    f.i32(0).simdMemory(simd.load).v128([0, 0, 0, 0], 'f32');
    f.i32(0).simdMemory(simd.load).v128([0, 0, 0, 0], 'f32').simd(simd.f32x4Gt).simd(simd.bitselect);
    f.v128([2, 2, 2, 2], 'f32').simd(simd.f32x4Mul);
    f.i32(0).simdMemory(simd.load32Splat, {}, 2).simd(simd.f32x4Add);
    f.simdMemory(simd.store);
    f.i32(32).i32(0).simdMemory(simd.load).storeLane(simd.store32Lane, 3);
    f.i32(36).f32(2.5).simd(simd.f32x4Splat).lane(simd.f32x4ExtractLane, 1).memory(op.f32Store);
    m.exportFunction('f', m.addFunction(f));
    const { exports, memory } = instantiate(m);
    const view = new Float32Array(memory.buffer);
    view.set([1, -2, 3, -4]);
    exports['f']!();
    expect(Array.from(view.subarray(4, 10))).toEqual([3, 1, 7, 1, -4, 2.5]);
  });

  it('memory.copy and memory.fill', () => {
    const m = new ModuleBuilder();
    m.importMemory({ module: 'env', name: 'memory', initial: 1 });
    const f = new FunctionBuilder([]);
    f.i32(8).i32(0).i32(8).memoryCopy();
    f.i32(16).i32(0xab).i32(4).memoryFill();
    m.exportFunction('f', m.addFunction(f));
    const { exports, memory } = instantiate(m);
    const view = new Uint8Array(memory.buffer);
    view.set([1, 2, 3, 4, 5, 6, 7, 8]);
    exports['f']!();
    expect(Array.from(view.subarray(8, 20))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0xab, 0xab, 0xab, 0xab]);
  });

  it('a shared memory import (with its maximum) validates', () => {
    const m = new ModuleBuilder();
    m.importMemory({ module: 'env', name: 'memory', initial: 1, maximum: 1, shared: true });
    m.exportFunction('f', m.addFunction(new FunctionBuilder([])));
    const encoded = m.encode();
    expect(wasm.validate(encoded)).toBe(true);
    const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    expect(() => new wasm.Instance(new wasm.Module(encoded), { env: { memory } })).not.toThrow();
  });

  it('refuses blocks left open and imports after functions', () => {
    const f = new FunctionBuilder([]).open('block');
    expect(() => f.encode()).toThrow(/1 block\(s\) left open/);
    const m = new ModuleBuilder();
    m.addFunction(new FunctionBuilder([]));
    expect(() => m.importFunction({ module: 'm', name: 'f', params: [], results: [] })).toThrow(/imports come before/);
  });
});
