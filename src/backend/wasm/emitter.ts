/**
 * Typed instruction helpers over a function body: the element type of a program (f32 or f64)
 * chosen once, so the lowerings are written once for both precisions, in scalar form and in
 * 128-bit SIMD form (4 lanes of f32 or 2 of f64). Mathematical functions without a WebAssembly
 * instruction (exp, sin, ...) call JavaScript's `Math` (in float64; float32 values are promoted
 * and the result rounded back), so they agree with the reference interpreter to the last bit.
 */
import { FunctionBuilder, op, simd } from './encoder.js';

/** The element type of a program. */
export type Float = 'f32' | 'f64';

/**
 * The functions every module imports, in this order (their indices): the `Math` functions the
 * lowerings call, and the index error of gather and scatterAdd.
 */
export const IMPORTED_MATH = ['exp', 'log', 'log1p', 'pow', 'cbrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'expm1', 'atan2', 'hypot'] as const;

/** The imported `Math` functions of two operands (the others take one). */
export const BINARY_MATH: ReadonlySet<MathFunction> = new Set<MathFunction>(['pow', 'atan2', 'hypot']);

/** A `Math` function a lowering may call. */
export type MathFunction = (typeof IMPORTED_MATH)[number];

/** The index of the index-error import `(operation: i32, index: f64, n: i32) → ()`, after the Math functions. */
export const INDEX_ERROR_IMPORT = IMPORTED_MATH.length;

/** Pushes one operand's value (a scalar of the element type, or a v128 in vector code). */
export type Operand = () => void;

const SCALAR = {
  f32: {
    load: op.f32Load, store: op.f32Store, add: op.f32Add, sub: op.f32Sub, mul: op.f32Mul, div: op.f32Div, neg: op.f32Neg, abs: op.f32Abs, sqrt: op.f32Sqrt,
    min: op.f32Min, max: op.f32Max, floor: op.f32Floor, ceil: op.f32Ceil, copysign: op.f32Copysign, eq: op.f32Eq, ne: op.f32Ne, lt: op.f32Lt, gt: op.f32Gt, le: op.f32Le, ge: op.f32Ge,
  },
  f64: {
    load: op.f64Load, store: op.f64Store, add: op.f64Add, sub: op.f64Sub, mul: op.f64Mul, div: op.f64Div, neg: op.f64Neg, abs: op.f64Abs, sqrt: op.f64Sqrt,
    min: op.f64Min, max: op.f64Max, floor: op.f64Floor, ceil: op.f64Ceil, copysign: op.f64Copysign, eq: op.f64Eq, ne: op.f64Ne, lt: op.f64Lt, gt: op.f64Gt, le: op.f64Le, ge: op.f64Ge,
  },
} as const;

const VECTOR = {
  f32: {
    splat: simd.f32x4Splat, loadSplat: simd.load32Splat, extract: simd.f32x4ExtractLane, replace: simd.f32x4ReplaceLane, storeLane: simd.store32Lane,
    add: simd.f32x4Add, sub: simd.f32x4Sub, mul: simd.f32x4Mul, div: simd.f32x4Div, neg: simd.f32x4Neg, abs: simd.f32x4Abs, sqrt: simd.f32x4Sqrt,
    min: simd.f32x4Min, max: simd.f32x4Max, floor: simd.f32x4Floor, ceil: simd.f32x4Ceil, eq: simd.f32x4Eq, ne: simd.f32x4Ne, lt: simd.f32x4Lt, gt: simd.f32x4Gt, le: simd.f32x4Le, ge: simd.f32x4Ge,
  },
  f64: {
    splat: simd.f64x2Splat, loadSplat: simd.load64Splat, extract: simd.f64x2ExtractLane, replace: simd.f64x2ReplaceLane, storeLane: simd.store64Lane,
    add: simd.f64x2Add, sub: simd.f64x2Sub, mul: simd.f64x2Mul, div: simd.f64x2Div, neg: simd.f64x2Neg, abs: simd.f64x2Abs, sqrt: simd.f64x2Sqrt,
    min: simd.f64x2Min, max: simd.f64x2Max, floor: simd.f64x2Floor, ceil: simd.f64x2Ceil, eq: simd.f64x2Eq, ne: simd.f64x2Ne, lt: simd.f64x2Lt, gt: simd.f64x2Gt, le: simd.f64x2Le, ge: simd.f64x2Ge,
  },
} as const;

/** A scalar operation of the element type. */
export type ScalarOp = keyof typeof SCALAR.f64;
/** A SIMD operation of the element type. */
export type VectorOp = keyof typeof VECTOR.f64;

/** A function body with the program's element type. */
export class Emitter {
  readonly f: FunctionBuilder;
  readonly type: Float;
  /** Bytes per element. */
  readonly bytes: 4 | 8;
  /** Elements per v128. */
  readonly lanes: 4 | 2;

  constructor(f: FunctionBuilder, type: Float) {
    this.f = f;
    this.type = type;
    this.bytes = type === 'f32' ? 4 : 8;
    this.lanes = type === 'f32' ? 4 : 2;
  }

  /** A new local of the element type. */
  local(): number {
    return this.f.local(this.type);
  }

  /** A new v128 local. */
  vectorLocal(): number {
    return this.f.local('v128');
  }

  /** A new i32 local. */
  index(): number {
    return this.f.local('i32');
  }

  /** A number of the element type (rounded to float32 in f32 programs). */
  number(x: number): this {
    if (this.type === 'f32') this.f.f32(Math.fround(x));
    else this.f.f64(x);
    return this;
  }

  /** A scalar operation (`add`, `gt`, `load`, ...); loads and stores take a byte offset. */
  scalar(name: ScalarOp, offset = 0): this {
    const code = SCALAR[this.type][name];
    if (name === 'load' || name === 'store') this.f.memory(code, { offset });
    else this.f.op(code);
    return this;
  }

  /** Calls `Math[name]` on the operand(s) on the stack (two for those in `BINARY_MATH`), in float64. */
  math(name: MathFunction): this {
    const index = IMPORTED_MATH.indexOf(name);
    if (this.type === 'f32') {
      if (BINARY_MATH.has(name)) {
        // (a, b) as f32 on the stack: promote b, then a through a local.
        const b = this.f.local('f64');
        this.f.op(op.f64PromoteF32).set(b).op(op.f64PromoteF32).get(b);
      } else {
        this.f.op(op.f64PromoteF32);
      }
      this.f.call(index).op(op.f32DemoteF64);
    } else {
      this.f.call(index);
    }
    return this;
  }

  /** A SIMD operation of the element type. */
  vector(name: VectorOp): this {
    this.f.simd(VECTOR[this.type][name]);
    return this;
  }

  /** Every lane `x`. */
  vectorNumber(x: number): this {
    const value = this.type === 'f32' ? Math.fround(x) : x;
    this.f.v128(new Array<number>(this.lanes).fill(value), this.type);
    return this;
  }

  /** The scalar on the stack in every lane. */
  splat(): this {
    this.f.simd(VECTOR[this.type].splat);
    return this;
  }

  /** `v128.load` at the address on the stack plus `offset` bytes. */
  loadVector(offset = 0): this {
    this.f.simdMemory(simd.load, { offset });
    return this;
  }

  /** One element loaded into every lane. */
  loadSplat(offset = 0): this {
    this.f.simdMemory(VECTOR[this.type].loadSplat, { offset }, this.type === 'f32' ? 2 : 3);
    return this;
  }

  storeVector(offset = 0): this {
    this.f.simdMemory(simd.store, { offset });
    return this;
  }

  /** Stores lane `lane` of the vector on the stack at the address below it plus `offset`. */
  storeLane(lane: number, offset = 0): this {
    this.f.storeLane(VECTOR[this.type].storeLane, lane, { offset });
    return this;
  }

  extract(lane: number): this {
    this.f.lane(VECTOR[this.type].extract, lane);
    return this;
  }

  replace(lane: number): this {
    this.f.lane(VECTOR[this.type].replace, lane);
    return this;
  }

  /** `v128.bitselect(a, b, mask)`: a where the mask is set, else b (operands on the stack in that order). */
  bitselect(): this {
    this.f.simd(simd.bitselect);
    return this;
  }

  /** Opens an `if` whose result is one element. */
  ifValue(): this {
    this.f.open('if', this.type);
    return this;
  }

  /** The i32 on the stack converted to the element type. */
  fromIndex(): this {
    this.f.op(this.type === 'f32' ? op.f32ConvertI32S : op.f64ConvertI32S);
    return this;
  }

  /** Adds `n` to an i32 local. */
  advance(local: number, n: number): this {
    if (n !== 0) this.f.get(local).i32(n).op(op.i32Add).set(local);
    return this;
  }
}
