/**
 * A small encoder of the WebAssembly binary format (core 2.0 with the 128-bit SIMD proposal,
 * now part of the standard): LEB128 numbers, the sections a generated program needs (types,
 * imports, functions, exports, code) and a function body builder with one method per
 * instruction the renderer emits. It validates nothing beyond what it must (the engine's
 * validator does, at `new WebAssembly.Module`); test/backend/wasm-encoder.test.ts runs what it
 * writes.
 *
 * Why an encoder of our own rather than binaryen (132, from npm): measured on this machine
 * (bench/wasm-module.ts; AMD EPYC, Node 20), for the MNIST MLP's training program (loss, logits
 * and four gradients; a 9.9 kB module):
 * - size: this file and its renderer add about 25 kB of JavaScript to the bundle; binaryen is a
 *   104 MB package whose wasm-compiled library is 12 MB, to be fetched and instantiated before the
 *   first program compiles (330 ms in Node here).
 * - compile time of one program: encoding 2.5 ms here; binaryen's readBinary + emitBinary
 *   of the same module 11 ms, and 45 ms with its -O3 optimiser.
 * - code quality: binaryen -O3 makes the module 6% smaller, and the training step runs at the
 *   same speed (within 2%, noise): V8's optimising compiler does what binaryen's passes would
 *   (the kernels are already written as straight-line, register-blocked SIMD).
 * So: the encoder, and binaryen stays a development dependency (used by the measurement only).
 */

/** A value type. */
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const TYPE_CODE: Readonly<Record<ValueType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** A growable byte buffer with the format's number encodings. */
export class ByteWriter {
  #bytes = new Uint8Array(256);
  #length = 0;
  readonly #scratch = new DataView(new ArrayBuffer(8));

  get length(): number {
    return this.#length;
  }

  byte(b: number): this {
    if (this.#length === this.#bytes.length) {
      const larger = new Uint8Array(this.#bytes.length * 2);
      larger.set(this.#bytes);
      this.#bytes = larger;
    }
    this.#bytes[this.#length++] = b;
    return this;
  }

  bytes(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]!);
    return this;
  }

  /** An unsigned LEB128 integer (u32). */
  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`internal: ${n} is not a u32`);
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** A signed LEB128 integer (s32, as `i32.const` takes; values up to 2³² − 1 wrap to negatives). */
  s32(n: number): this {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new Error(`internal: ${n} is not an i32`);
    let v = n | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(x: number): this {
    this.#scratch.setFloat32(0, x, true);
    for (let i = 0; i < 4; i++) this.byte(this.#scratch.getUint8(i));
    return this;
  }

  f64(x: number): this {
    this.#scratch.setFloat64(0, x, true);
    for (let i = 0; i < 8; i++) this.byte(this.#scratch.getUint8(i));
    return this;
  }

  /** A name: its UTF-8 length, then its bytes. */
  name(s: string): this {
    const encoded = new TextEncoder().encode(s);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}

/** A memory operand: the byte offset added to the address, and the alignment as log2 (a hint). */
export interface MemoryArgument {
  readonly offset?: number;
  readonly align?: number;
}

/** Block types: none, or one result. */
export type BlockType = ValueType | 'void';

/** Opcodes of the scalar instructions the renderer uses (one byte each). */
export const op = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, call: 0x10,
  drop: 0x1a, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, f64Load: 0x2b, i32Store: 0x36, f32Store: 0x38, f64Store: 0x39,
  i32Const: 0x41, f32Const: 0x43, f64Const: 0x44,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32LtU: 0x49, i32GtS: 0x4a, i32GtU: 0x4b, i32LeS: 0x4c, i32LeU: 0x4d, i32GeS: 0x4e, i32GeU: 0x4f,
  f32Eq: 0x5b, f32Ne: 0x5c, f32Lt: 0x5d, f32Gt: 0x5e, f32Le: 0x5f, f32Ge: 0x60,
  f64Eq: 0x61, f64Ne: 0x62, f64Lt: 0x63, f64Gt: 0x64, f64Le: 0x65, f64Ge: 0x66,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32DivS: 0x6d, i32DivU: 0x6e, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i32ShrU: 0x76,
  f32Abs: 0x8b, f32Neg: 0x8c, f32Ceil: 0x8d, f32Floor: 0x8e, f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Min: 0x96, f32Max: 0x97, f32Copysign: 0x98,
  f64Abs: 0x99, f64Neg: 0x9a, f64Ceil: 0x9b, f64Floor: 0x9c, f64Sqrt: 0x9f, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3, f64Min: 0xa4, f64Max: 0xa5, f64Copysign: 0xa6,
  i32TruncF64S: 0xaa, f64ConvertI32S: 0xb7, f32ConvertI32S: 0xb2, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;

/** Opcodes of the SIMD instructions the renderer uses (after the 0xfd prefix). */
export const simd = {
  load: 0x00, load32Splat: 0x09, load64Splat: 0x0a, store: 0x0b, const: 0x0c,
  f32x4Splat: 0x13, f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f, f32x4ReplaceLane: 0x20, f64x2ExtractLane: 0x21, f64x2ReplaceLane: 0x22,
  f32x4Eq: 0x41, f32x4Ne: 0x42, f32x4Lt: 0x43, f32x4Gt: 0x44, f32x4Le: 0x45, f32x4Ge: 0x46,
  f64x2Eq: 0x47, f64x2Ne: 0x48, f64x2Lt: 0x49, f64x2Gt: 0x4a, f64x2Le: 0x4b, f64x2Ge: 0x4c,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, bitselect: 0x52,
  store32Lane: 0x5a, store64Lane: 0x5b,
  f32x4Ceil: 0x67, f32x4Floor: 0x68, f64x2Ceil: 0x74, f64x2Floor: 0x75,
  f32x4Abs: 0xe0, f32x4Neg: 0xe1, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Min: 0xe8, f32x4Max: 0xe9,
  f64x2Abs: 0xec, f64x2Neg: 0xed, f64x2Sqrt: 0xef, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3, f64x2Min: 0xf4, f64x2Max: 0xf5,
} as const;

/** Opcodes after the 0xfc prefix. */
const misc = { memoryCopy: 10, memoryFill: 11 } as const;

/**
 * The body of one function: its locals and instructions. Methods append one instruction each
 * and return the builder, so that code reads in stack order: `f.get(a).get(b).op(op.f64Add)`.
 */
export class FunctionBuilder {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  readonly #locals: ValueType[] = [];
  readonly #code = new ByteWriter();
  #depth = 0;

  constructor(params: readonly ValueType[], results: readonly ValueType[] = []) {
    this.params = params;
    this.results = results;
  }

  /** A new local of `type`; its index. */
  local(type: ValueType): number {
    this.#locals.push(type);
    return this.params.length + this.#locals.length - 1;
  }

  /** Any one-byte instruction without immediates (`op.f64Add`, `op.select`, ...). */
  op(code: number): this {
    this.#code.byte(code);
    return this;
  }

  /** A SIMD instruction without immediates. */
  simd(code: number): this {
    this.#code.byte(0xfd).u32(code);
    return this;
  }

  /** A SIMD instruction with a lane index (`extract_lane`, `replace_lane`). */
  lane(code: number, lane: number): this {
    this.#code.byte(0xfd).u32(code).byte(lane);
    return this;
  }

  /** A SIMD memory instruction (`v128.load`, `load32_splat`, `v128.store`). */
  simdMemory(code: number, memory: MemoryArgument = {}, naturalAlign = 4): this {
    this.#code.byte(0xfd).u32(code);
    return this.#memarg(memory, naturalAlign);
  }

  /** A SIMD lane store (`v128.store32_lane`, `store64_lane`): stores one lane. */
  storeLane(code: number, lane: number, memory: MemoryArgument = {}): this {
    this.#code.byte(0xfd).u32(code);
    this.#memarg(memory, code === simd.store64Lane ? 3 : 2);
    this.#code.byte(lane);
    return this;
  }

  /** A scalar load or store (`op.f64Load`, `op.f32Store`, ...). */
  memory(code: number, memory: MemoryArgument = {}): this {
    this.#code.byte(code);
    const natural = code === op.f64Load || code === op.f64Store ? 3 : 2;
    return this.#memarg(memory, natural);
  }

  #memarg(memory: MemoryArgument, naturalAlign: number): this {
    this.#code.u32(Math.min(memory.align ?? naturalAlign, naturalAlign)).u32(memory.offset ?? 0);
    return this;
  }

  get(local: number): this {
    this.#code.byte(op.localGet).u32(local);
    return this;
  }

  set(local: number): this {
    this.#code.byte(op.localSet).u32(local);
    return this;
  }

  tee(local: number): this {
    this.#code.byte(op.localTee).u32(local);
    return this;
  }

  i32(n: number): this {
    this.#code.byte(op.i32Const).s32(n);
    return this;
  }

  f32(x: number): this {
    this.#code.byte(op.f32Const).f32(x);
    return this;
  }

  f64(x: number): this {
    this.#code.byte(op.f64Const).f64(x);
    return this;
  }

  /** `v128.const` of four f32 lanes or two f64 lanes. */
  v128(lanes: readonly number[], type: 'f32' | 'f64'): this {
    this.#code.byte(0xfd).u32(simd.const);
    for (const x of lanes) type === 'f32' ? this.#code.f32(x) : this.#code.f64(x);
    return this;
  }

  call(index: number): this {
    this.#code.byte(op.call).u32(index);
    return this;
  }

  /** Opens a block, loop or if; close it with `end`. */
  open(kind: 'block' | 'loop' | 'if', type: BlockType = 'void'): this {
    this.#code.byte(op[kind]).byte(type === 'void' ? 0x40 : TYPE_CODE[type]);
    this.#depth++;
    return this;
  }

  else(): this {
    this.#code.byte(op.else);
    return this;
  }

  end(): this {
    this.#code.byte(op.end);
    this.#depth--;
    return this;
  }

  /** `br depth` / `br_if depth`: 0 is the innermost open block or loop. */
  br(depth: number): this {
    this.#code.byte(op.br).u32(depth);
    return this;
  }

  brIf(depth: number): this {
    this.#code.byte(op.brIf).u32(depth);
    return this;
  }

  /** `memory.copy` (destination, source, length on the stack). */
  memoryCopy(): this {
    this.#code.byte(0xfc).u32(misc.memoryCopy).byte(0).byte(0);
    return this;
  }

  /** `memory.fill` (destination, byte value, length on the stack). */
  memoryFill(): this {
    this.#code.byte(0xfc).u32(misc.memoryFill).byte(0);
    return this;
  }

  /** The encoded body: locals (grouped by runs of one type) and the code, closed with `end`. */
  encode(): Uint8Array {
    if (this.#depth !== 0) throw new Error(`internal: ${this.#depth} block(s) left open`);
    const body = new ByteWriter();
    const groups: [number, ValueType][] = [];
    for (const type of this.#locals) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    body.u32(groups.length);
    for (const [count, type] of groups) body.u32(count).byte(TYPE_CODE[type]);
    body.bytes(this.#code.finish()).byte(op.end);
    return body.finish();
  }

  /** The size of the code so far in bytes (locals not counted). */
  get size(): number {
    return this.#code.length;
  }
}

/** A function imported from JavaScript. */
export interface FunctionImport {
  readonly module: string;
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

/** The memory the module imports: its size in 64 KiB pages; shared memories need a maximum. */
export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  readonly initial: number;
  readonly maximum?: number;
  readonly shared?: boolean;
}

/**
 * A module: imported functions first (their indices 0 … imports − 1), then defined functions
 * in the order added; one imported memory; exports of functions by name.
 */
export class ModuleBuilder {
  readonly #imports: FunctionImport[] = [];
  readonly #functions: FunctionBuilder[] = [];
  readonly #exports: { name: string; index: number }[] = [];
  #memory: MemoryImport | undefined;

  /** Imports a function; its index. Imports must come before any function is added. */
  importFunction(imported: FunctionImport): number {
    if (this.#functions.length > 0) throw new Error('internal: imports come before defined functions');
    this.#imports.push(imported);
    return this.#imports.length - 1;
  }

  importMemory(memory: MemoryImport): void {
    this.#memory = memory;
  }

  /** Adds a defined function; its index. */
  addFunction(f: FunctionBuilder): number {
    this.#functions.push(f);
    return this.#imports.length + this.#functions.length - 1;
  }

  exportFunction(name: string, index: number): void {
    this.#exports.push({ name, index });
  }

  /** The binary module. */
  encode(): Uint8Array {
    const out = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    // Types: one per distinct signature.
    const signatures: string[] = [];
    const typeOf = (params: readonly ValueType[], results: readonly ValueType[]) => {
      const key = `${params.join(',')}>${results.join(',')}`;
      let index = signatures.indexOf(key);
      if (index < 0) index = signatures.push(key) - 1;
      return index;
    };
    const importTypes = this.#imports.map((f) => typeOf(f.params, f.results));
    const functionTypes = this.#functions.map((f) => typeOf(f.params, f.results));
    section(out, 1, (s) => {
      s.u32(signatures.length);
      for (const key of signatures) {
        const [params, results] = key.split('>').map((part) => (part === '' ? [] : (part.split(',') as ValueType[])));
        s.byte(0x60).u32(params!.length);
        for (const p of params!) s.byte(TYPE_CODE[p]);
        s.u32(results!.length);
        for (const r of results!) s.byte(TYPE_CODE[r]);
      }
    });
    section(out, 2, (s) => {
      s.u32(this.#imports.length + (this.#memory === undefined ? 0 : 1));
      this.#imports.forEach((f, i) => s.name(f.module).name(f.name).byte(0x00).u32(importTypes[i]!));
      const memory = this.#memory;
      if (memory !== undefined) {
        s.name(memory.module).name(memory.name).byte(0x02);
        if (memory.shared === true) s.byte(0x03).u32(memory.initial).u32(memory.maximum ?? memory.initial);
        else if (memory.maximum !== undefined) s.byte(0x01).u32(memory.initial).u32(memory.maximum);
        else s.byte(0x00).u32(memory.initial);
      }
    });
    section(out, 3, (s) => {
      s.u32(functionTypes.length);
      for (const t of functionTypes) s.u32(t);
    });
    section(out, 7, (s) => {
      s.u32(this.#exports.length);
      for (const e of this.#exports) s.name(e.name).byte(0x00).u32(e.index);
    });
    section(out, 10, (s) => {
      s.u32(this.#functions.length);
      for (const f of this.#functions) {
        const body = f.encode();
        s.u32(body.length).bytes(body);
      }
    });
    return out.finish();
  }
}

/** Appends a section: its id, its byte length, its contents. */
function section(out: ByteWriter, id: number, write: (s: ByteWriter) => void): void {
  const contents = new ByteWriter();
  write(contents);
  out.byte(id).u32(contents.length).bytes(contents.finish());
}
