/**
 * The one generator of random tensor programs (fast-check) that the property tests of the DAG,
 * the planner and the backends share. A program is a list of instructions over a growing pool
 * of nodes: each instruction applies one primitive of the table (`apply`) to pool nodes, with
 * attrs drawn for their shapes, so every program is well formed by construction:
 * - variables of rank 0 to 4 (`DIFFERENTIABLE_VARIABLES`, one with a size-1 axis), constant
 *   tensors, and index variables holding integers (`INDEX_VARIABLES`, never differentiated);
 * - elementwise operands kept in their primitive's domain (ln of 1/4 + a², asin of 0.9·tanh a, ...)
 *   and broadcast by the numpy rule against any pool node they fit (other ranks, size-1 axes);
 * - reductions over random sets of axes, softmax along any axis, random permutations, reshapes
 *   to random factorisations (size-1 axes included), slice/pad/concat along any axis, batched
 *   matmul with broadcast batch axes and vector operands, get, pack, and gather/scatterAdd/oneHot
 *   with valid index tensors (constants, and the index variables).
 * The shape rules here (`numpyBroadcast`, `matmulShape`) and the evaluation helpers at the end
 * are written from the numpy documentation, not taken from src, so that the tests built on them
 * are an independent check of it.
 */
import fc from 'fast-check';
import { apply } from '../../src/ad/build.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { constantNode, pin, variableNode, type Node } from '../../src/ad/node.js';
import { primitives, type OperationName } from '../../src/ad/primitives/index.js';
import { toInfix } from '../../src/ad/print.js';
import { substitute } from '../../src/ad/substitute.js';
import type { AnyRankFun } from '../../src/api/compile.js';
import { customJvp, customVjp } from '../../src/api/transform/custom.js';
import { wrap } from '../../src/api/wrap.js';
import '../../src/index.js'; // the Fun classes register themselves with wrap as they load
import { add, cos, mul, sin, sub, tanh } from '../../src/api/functions.js';
import { topologicalOrder } from '../../src/ad/traverse.js';

type Shape = readonly number[];

/** The variables programs are differentiated by: ranks 0 to 4, one with a size-1 axis. */
// Module-level nodes compared by identity are pinned: the node table's sweep (src/ad/node.ts)
// runs between tests, and would otherwise drop them once no live Fun holds them.
export const DIFFERENTIABLE_VARIABLES: readonly Node[] = [
  variableNode('s'),
  variableNode('u', [2]),
  variableNode('v', [3]),
  variableNode('M', [2, 3]),
  variableNode('N', [3, 2]),
  variableNode('T', [2, 3, 2]),
  variableNode('Q', [2, 1, 3, 2]),
].map(pin);

/** Index variables: integers in {0, 1} (valid along any axis of length 2 or more, and for oneHot); never differentiated. */
export const INDEX_VARIABLES: readonly Node[] = [variableNode('I', [2]), variableNode('J', [2, 2])].map(pin);

const ALL_VARIABLES: readonly Node[] = [...DIFFERENTIABLE_VARIABLES, ...INDEX_VARIABLES];

/** No intermediate tensor of a program is larger than this (it keeps finite differences cheap). */
const MAX_ELEMENTS = 48;

const c = constantNode;
const pack = (values: readonly number[], shape: Shape) => apply('pack', values.map(c), shape);

/** Constant tensors in the initial pool (the planner folds what depends only on them). */
const CONSTANT_TENSORS: readonly Node[] = [pack([0.5, -1, 2], [3]), pack([1, -0.5, 0.25, 2, -2, 0.75], [3, 2])].map(pin);

export const count = (shape: Shape) => shape.reduce((n, d) => n * d, 1);
const same = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The numpy broadcast of two shapes (trailing axes aligned, size-1 axes stretch), or undefined. */
function numpyBroadcast(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const x = a[axis - rank + a.length] ?? 1, y = b[axis - rank + b.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    result.push(Math.max(x, y));
  }
  return result;
}

/** numpy's matmul shape (batch axes broadcast, a vector operand promoted and its axis dropped), or undefined. */
function matmulShape(a: Shape, b: Shape): Shape | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const left = a.length === 1 ? [1, a[0]!] : a, right = b.length === 1 ? [b[0]!, 1] : b;
  if (left[left.length - 1] !== right[right.length - 2]) return undefined;
  const batch = numpyBroadcast(left.slice(0, -2), right.slice(0, -2));
  if (batch === undefined) return undefined;
  return [...batch, ...(a.length === 1 ? [] : [left[left.length - 2]!]), ...(b.length === 1 ? [] : [right[right.length - 1]!])];
}

/** Draws the choices of one instruction from its numbers: pool nodes, integers, axes, shapes. */
class Draw {
  #next = 0;
  constructor(
    private readonly numbers: readonly number[],
    private readonly pool: readonly Node[],
  ) {}

  /** An integer in [0, n). */
  int(n: number): number {
    const k = this.#next++;
    return (this.numbers[k % this.numbers.length]! + Math.floor(k / this.numbers.length)) % n;
  }

  /**
   * A pool node satisfying `where` (the variables make every predicate used here satisfiable),
   * a node of rank r drawn r + 1 times as often as a scalar, so that ranks 3 and 4 are common.
   */
  node(where: (n: Node) => boolean = () => true): Node {
    const candidates = this.pool.filter(where);
    if (candidates.length === 0) throw new Error('internal: no pool node fits');
    let ticket = this.int(candidates.reduce((total, n) => total + n.shape.length + 1, 0));
    for (const n of candidates) {
      ticket -= n.shape.length + 1;
      if (ticket < 0) return n;
    }
    return candidates[candidates.length - 1]!;
  }

  /** Whether some pool node satisfies `where`. */
  exists(where: (n: Node) => boolean): boolean {
    return this.pool.some(where);
  }

  /** A pool node whose shape broadcasts with `shape` (possibly of another rank) within the size limit. */
  partner(shape: Shape): Node {
    return this.node((n) => {
      const result = numpyBroadcast(shape, n.shape);
      return result !== undefined && result.length <= 4 && count(result) <= MAX_ELEMENTS;
    });
  }

  /** A non-empty set of the axes of a rank, increasing. */
  axes(rank: number): number[] {
    const mask = 1 + this.int(2 ** rank - 1);
    return Array.from({ length: rank }, (_, i) => i).filter((i) => (mask >> i) & 1);
  }

  /** A permutation of the axes of a rank other than the identity. */
  permutation(rank: number): number[] {
    const left = Array.from({ length: rank }, (_, i) => i);
    const perm: number[] = [];
    while (left.length > 0) perm.push(left.splice(this.int(left.length), 1)[0]!);
    return perm.every((p, i) => p === i) ? [...perm.slice(1), perm[0]!] : perm;
  }

  /** A shape of 1 to 4 axes holding `n` elements: a random factorisation, size-1 axes included. */
  factorisation(n: number, maxRank = 4): number[] {
    const rank = 1 + this.int(maxRank);
    const shape: number[] = [];
    let rest = n;
    for (let axis = 0; axis < rank - 1; axis++) {
      const divisors = Array.from({ length: rest }, (_, i) => i + 1).filter((d) => rest % d === 0 && d <= 4);
      const d = divisors[this.int(divisors.length)]!;
      shape.push(d);
      rest /= d;
    }
    shape.push(rest);
    return shape;
  }

  /** Integer index values in [0, n) (or [0, n] with `pastEnd`, for oneHot's rows of zeros). */
  indexValues(length: number, n: number, pastEnd = false): number[] {
    return Array.from({ length }, () => this.int(pastEnd ? n + 1 : n));
  }

  /** An index tensor of `shape` with values in [0, n): an index variable when one fits, else constants. */
  indices(shape: Shape, n: number, pastEnd = false): Node {
    const variable = INDEX_VARIABLES.find((v) => same(v.shape, shape));
    if (variable !== undefined && n >= 2 && this.int(2) === 0) return variable;
    return shape.length === 0 ? c(this.int(n)) : pack(this.indexValues(count(shape), n, pastEnd), shape);
  }
}

/* The primitives, each with its operands kept in its domain. */

const op = (name: string, ...args: Node[]) => apply(name, args);
/** 1/4 + a² > 0: for ln, sqrt, a divisor, the base of a power. */
const positive = (a: Node) => op('add', c(0.25), op('mul', a, a));
/** k·tanh(a) ∈ (−k, k): for asin, acos, tan, exp, sinh, cosh and exponents. */
const unit = (a: Node, k: number) => op('mul', c(k), op('tanh', a));

type Rule = (draw: Draw) => Node;

const unary = (name: string, domain: (a: Node) => Node = (a) => a): Rule => (draw) => op(name, domain(draw.node()));
const binary = (name: string, left: (a: Node) => Node = (a) => a, right: (b: Node) => Node = (b) => b): Rule => (draw) => {
  const a = draw.node();
  return op(name, left(a), right(draw.partner(a.shape)));
};

const funOf = (n: Node) => wrap(n, [], new Set(variablesOf([n]).map((v) => v.name))) as AnyRankFun;

/** x·tanh x with its JVP given: t·(tanh x + x·(1 − tanh² x)). */
export const xTanhX = customJvp(
  (x: AnyRankFun) => mul(x, tanh(x)) as AnyRankFun,
  ([x], [t]) => mul(t, add(tanh(x), mul(x, sub(1, mul(tanh(x), tanh(x)))))) as AnyRankFun,
  { name: 'xTanhX' },
);

/** a·b + sin a (a and b of one shape) with its VJP given: (g·(b + cos a), g·a). */
const productWithSine = customVjp(
  (a: AnyRankFun, b: AnyRankFun) => add(mul(a, b), sin(a)) as AnyRankFun,
  ([a, b], _out, g) => [mul(g, add(b, cos(a))) as AnyRankFun, mul(g, a) as AnyRankFun],
  { name: 'productWithSine' },
);

/** a against a partner, or against relu(a), which it equals where a > 0 (ties, for comparisons and extrema). */
const againstPartnerOrRelu = (name: string): Rule => (draw) => {
  const a = draw.node();
  return op(name, a, draw.int(2) === 0 ? draw.partner(a.shape) : op('relu', a));
};

/** 1/4 + a² ≥ 1/4, or −1/2 + 0.4·tanh a ∈ (−0.9, −0.1): away from the poles 0, −1, −2, ... of lgamma and its derivatives. */
const awayFromPoles = (draw: Draw, a: Node) => (draw.int(2) === 0 ? positive(a) : op('add', c(-0.5), unit(a, 0.4)));

/** x with its size-1 axes kept where `axes` were reduced (numpy's keepdims), repeated back to `shape`. */
const expandBack = (x: Node, shape: Shape, axes: readonly number[]) =>
  apply('broadcast', [apply('reshape', [x], shape.map((d, i) => (axes.includes(i) ? 1 : d)))], shape);

const hasAxes = (n: Node) => n.shape.length > 0;

/** The permutation that swaps the last two of `rank` axes. */
const swapLast = (rank: number) => Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i));

/* Windows over images: operands reshaped from pool nodes to the NHWC shapes a window needs. */

/**
 * A pool node's elements (at least `count(shape)` of them, flattened and cut) in `shape`: how
 * the window rules get operands of exact rank-4 shapes that still depend on the variables.
 */
function shaped(draw: Draw, shape: Shape): Node {
  const n = count(shape);
  const source = draw.exists((m) => count(m.shape) >= n) ? draw.node((m) => count(m.shape) >= n) : draw.node((m) => count(m.shape) >= 2);
  const once = source.shape.length === 1 ? source : apply('reshape', [source], [count(source.shape)]);
  // A node too small for the shape is repeated (its elements then appear several times, moving together).
  const copies = Math.ceil(n / count(once.shape));
  const flat = copies === 1 ? once : apply('concat', new Array<Node>(copies).fill(once), [0]);
  const cut = count(flat.shape) === n ? flat : apply('slice', [flat], [0, 0, n]);
  return apply('reshape', [cut], shape);
}

/** Positions of a window along one axis (0 when it does not fit), as windows.ts has it but written here from TensorFlow's formula. */
const positions = (input: number, size: number, stride: number, before: number, after: number, dilation: number) => {
  const extent = (size - 1) * dilation + 1;
  return input + before + after < extent ? 0 : Math.floor((input + before + after - extent) / stride) + 1;
};

/** An image batch shape [N, H, W, C] of at most 24 elements with H, W in 2..4. */
function imageShape(draw: Draw): number[] {
  const h = 2 + draw.int(3), w = 2 + draw.int(3);
  const c = 1 + draw.int(Math.max(1, Math.min(3, Math.floor(24 / (h * w)))));
  const n = h * w * c <= 12 ? 1 + draw.int(2) : 1;
  return [n, h, w, c];
}

/** A convolution: input and kernel shapes with strides, padding and dilations that fit (at most 48 results). */
function convolutionCase(draw: Draw): { x: number[]; k: number[]; window: number[]; y: number[] } {
  const x = imageShape(draw);
  for (let attempt = 0; ; attempt++) {
    const easy = attempt > 3;
    const kh = easy ? 1 : 1 + draw.int(2), kw = easy ? 1 : 1 + draw.int(2), o = 1 + draw.int(2);
    const window = [1 + draw.int(2), 1 + draw.int(2), draw.int(2), draw.int(2), draw.int(2), draw.int(2), easy ? 1 : 1 + draw.int(2), easy ? 1 : 1 + draw.int(2)];
    const oh = positions(x[1]!, kh, window[0]!, window[2]!, window[3]!, window[6]!), ow = positions(x[2]!, kw, window[1]!, window[4]!, window[5]!, window[7]!);
    const y = [x[0]!, oh, ow, o];
    if (oh > 0 && ow > 0 && count(y) <= MAX_ELEMENTS) return { x, k: [kh, kw, x[3]!, o], window, y };
  }
}

/** A pooling: input shape and attrs [window, strides, padding] (padding smaller than the window) with its pooled shape. */
function poolingCase(draw: Draw): { x: number[]; attrs: number[]; y: number[] } {
  const x = imageShape(draw);
  const kh = 1 + draw.int(2), kw = 1 + draw.int(2);
  const attrs = [kh, kw, 1 + draw.int(2), 1 + draw.int(2), draw.int(kh), draw.int(kh), draw.int(kw), draw.int(kw)];
  const y = [x[0]!, positions(x[1]!, kh, attrs[2]!, attrs[4]!, attrs[5]!, 1), positions(x[2]!, kw, attrs[3]!, attrs[6]!, attrs[7]!, 1), x[3]!];
  return { x, attrs, y };
}

const WINDOW_RULES = {
  conv2d: (draw: Draw) => {
    const { x, k, window } = convolutionCase(draw);
    return apply('conv2d', [shaped(draw, x), shaped(draw, k)], window);
  },
  conv2dBackpropInput: (draw: Draw) => {
    const { x, k, window, y } = convolutionCase(draw);
    return apply('conv2dBackpropInput', [shaped(draw, y), shaped(draw, k)], [x[1]!, x[2]!, ...window]);
  },
  conv2dBackpropFilter: (draw: Draw) => {
    const { x, k, window, y } = convolutionCase(draw);
    return apply('conv2dBackpropFilter', [shaped(draw, x), shaped(draw, y)], [k[0]!, k[1]!, ...window]);
  },
  // A third of the max poolings are over x joined with itself along the width, where windows may hold ties (the first maximum wins).
  maxPool2d: (draw: Draw) => {
    const { x, attrs } = poolingCase(draw);
    const input = shaped(draw, x);
    return apply('maxPool2d', [draw.int(3) === 0 ? apply('concat', [input, input], [2]) : input], attrs);
  },
  maxPool2dGather: (draw: Draw) => {
    const { x, attrs } = poolingCase(draw);
    return apply('maxPool2dGather', [shaped(draw, x), shaped(draw, x)], attrs);
  },
  maxPool2dScatter: (draw: Draw) => {
    const { x, attrs, y } = poolingCase(draw);
    return apply('maxPool2dScatter', [shaped(draw, x), shaped(draw, y)], attrs);
  },
  avgPool2d: (draw: Draw) => {
    const { x, attrs } = poolingCase(draw);
    return apply('avgPool2d', [shaped(draw, x)], attrs);
  },
  avgPool2dBackprop: (draw: Draw) => {
    const { x, attrs, y } = poolingCase(draw);
    return apply('avgPool2dBackprop', [shaped(draw, y)], [x[1]!, x[2]!, ...attrs]);
  },
} satisfies Record<string, Rule>;

/**
 * One rule per primitive of the table: a missing primitive is a type error here, and the
 * coverage test (test/ad/tensor-gradients.test.ts) checks that each rule does produce its node.
 */
const RULES: Record<OperationName, Rule> = {
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', undefined, positive),
  pow: (draw) => {
    const a = draw.node();
    switch (draw.int(3)) {
      case 0:
        return op('pow', positive(a), unit(draw.partner(a.shape), 2));
      case 1:
        return op('pow', a, c(2 + draw.int(2)));
      default:
        return op('pow', positive(a), c([-1, 0.5, -2][draw.int(3)]!));
    }
  },
  log: binary('log', positive, (b) => op('add', c(2), op('mul', b, b))),
  neg: unary('neg'),
  exp: unary('exp', (a) => unit(a, 2)),
  ln: unary('ln', positive),
  sqrt: unary('sqrt', positive),
  // cbrt′ is infinite at 0: operands stay at least 1/4 away from it, on either side.
  cbrt: (draw) => op('cbrt', draw.int(2) === 0 ? positive(draw.node()) : op('neg', positive(draw.node()))),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan', (a) => unit(a, 1)),
  asin: unary('asin', (a) => unit(a, 0.9)),
  acos: unary('acos', (a) => unit(a, 0.9)),
  atan: unary('atan'),
  sinh: unary('sinh', (a) => unit(a, 2)),
  cosh: unary('cosh', (a) => unit(a, 2)),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  softplus: unary('softplus'),
  relu: unary('relu'),
  abs: unary('abs'),
  sign: unary('sign'),
  heaviside: unary('heaviside'),
  // Random operands are almost never equal, so two of the three forms compare related values:
  // a with relu(a) (1 where a > 0), and a with its maximum along some axes (the argmax mask).
  equal: (draw) => {
    const a = draw.node();
    switch (draw.int(3)) {
      case 0:
        return op('equal', a, draw.partner(a.shape));
      case 1:
        return op('equal', a, op('relu', a));
      default: {
        if (a.shape.length === 0) return op('equal', a, op('abs', a));
        const axes = draw.axes(a.shape.length);
        return op('equal', a, expandBack(apply('max', [a], axes), a.shape, axes));
      }
    }
  },
  // Comparisons of a with a partner, or with a value it often equals (relu(a): 1 where a > 0).
  gt: againstPartnerOrRelu('gt'),
  ge: againstPartnerOrRelu('ge'),
  lt: againstPartnerOrRelu('lt'),
  le: againstPartnerOrRelu('le'),
  ne: againstPartnerOrRelu('ne'),
  // The condition a mask (a comparison, as a traced function branches) or a raw value (nonzero).
  where: (draw) => {
    const a = draw.node();
    const b = draw.partner(a.shape);
    const shape = numpyBroadcast(a.shape, b.shape)!;
    const condition = draw.int(2) === 0 ? op('gt', draw.partner(shape), a) : draw.partner(shape);
    return op('where', condition, a, b);
  },
  // Half the time against relu(a), which it equals where a > 0: ties, where each side gets half.
  maximum: againstPartnerOrRelu('maximum'),
  minimum: againstPartnerOrRelu('minimum'),
  // Bounds ordered (lo < hi) or crossed (hi wins), constants or nodes.
  clip: (draw) => {
    const x = draw.node();
    switch (draw.int(2)) {
      case 0:
        return op('clip', x, c(-0.5), c(0.75));
      default: {
        const lo = draw.partner(x.shape);
        const hi = draw.partner(numpyBroadcast(x.shape, lo.shape)!);
        return draw.int(2) === 0 ? op('clip', x, op('neg', positive(lo)), positive(hi)) : op('clip', x, lo, hi);
      }
    }
  },
  floor: unary('floor', (a) => op('mul', c(2), a)),
  ceil: unary('ceil', (a) => op('mul', c(2), a)),
  round: unary('round', (a) => op('mul', c(2), a)),
  stopGradient: unary('stopGradient'),
  expm1: unary('expm1', (a) => unit(a, 2)),
  log1p: unary('log1p', (a) => unit(a, 0.9)),
  hypot: binary('hypot'),
  // x > 0, or x < 0 with y > 0: away from the branch cut along the negative x axis.
  atan2: (draw) => {
    const a = draw.node();
    const b = draw.partner(a.shape);
    return draw.int(2) === 0 ? op('atan2', a, positive(b)) : op('atan2', positive(a), op('neg', positive(b)));
  },
  erf: unary('erf'),
  erfc: unary('erfc', (a) => op('mul', c(2), a)),
  lgamma: (draw) => op('lgamma', awayFromPoles(draw, draw.node())),
  digamma: (draw) => op('digamma', awayFromPoles(draw, draw.node())),
  polygamma: (draw) => op('polygamma', c(1 + draw.int(2)), awayFromPoles(draw, draw.node())),
  broadcast: (draw) => {
    const x = draw.node((n) => n.shape.length < 4 || n.shape.includes(1));
    const stretched = x.shape.map((d) => (d === 1 ? 1 + draw.int(3) : d));
    const leading = Array.from({ length: draw.int(5 - x.shape.length) }, () => 1 + draw.int(3));
    let target = [...leading, ...stretched];
    if (same(target, x.shape)) target = x.shape.length < 4 ? [2, ...x.shape] : x.shape.map((d, i) => (i === x.shape.indexOf(1) ? 2 : d));
    return apply('broadcast', [x], target);
  },
  sum: (draw) => {
    const x = draw.node(hasAxes);
    return apply('sum', [x], draw.axes(x.shape.length));
  },
  // A third of the maxima are over x joined with itself, where every maximum is attained twice:
  // the derivative is then shared between the ties (the convention), which a single maximum never shows.
  max: (draw) => {
    let x = draw.node(hasAxes);
    if (draw.int(3) === 0) {
      const axis = draw.int(x.shape.length);
      x = apply('concat', [x, x], [axis]);
    }
    return apply('max', [x], draw.axes(x.shape.length));
  },
  logsumexp: (draw) => {
    const x = draw.node(hasAxes);
    return apply('logsumexp', [x], draw.axes(x.shape.length));
  },
  softmax: (draw) => {
    const x = draw.node(hasAxes);
    return apply('softmax', [x], [draw.int(x.shape.length)]);
  },
  transpose: (draw) => {
    const x = draw.node((n) => n.shape.length >= 2);
    return apply('transpose', [x], draw.permutation(x.shape.length));
  },
  reshape: (draw) => {
    const x = draw.node(hasAxes);
    let shape = draw.factorisation(count(x.shape));
    if (same(shape, x.shape)) shape = x.shape.length < 4 ? [...x.shape, 1] : [count(x.shape)];
    return apply('reshape', [x], shape);
  },
  slice: (draw) => {
    const x = draw.node((n) => n.shape.some((d) => d >= 2));
    const axes = x.shape.flatMap((d, i) => (d >= 2 ? [i] : []));
    const axis = axes[draw.int(axes.length)]!;
    const n = x.shape[axis]!;
    const length = 1 + draw.int(n - 1);
    const start = draw.int(n - length + 1);
    return apply('slice', [x], [axis, start, start + length]);
  },
  pad: (draw) => {
    const x = draw.node(hasAxes);
    const before = draw.int(3);
    return apply('pad', [x], [draw.int(x.shape.length), before, before === 0 ? 1 + draw.int(2) : draw.int(3)]);
  },
  concat: (draw) => {
    const x = draw.node(hasAxes);
    const axis = draw.int(x.shape.length);
    const fits = (n: Node) => n.shape.length === x.shape.length && n.shape.every((d, i) => i === axis || d === x.shape[i]);
    const others = Array.from({ length: 1 + draw.int(2) }, () => draw.node(fits));
    return apply('concat', [x, ...others], [axis]);
  },
  // a·b for a pool node b that fits, or a·cᵀ (c's last two axes swapped, read in place) for a pool
  // node c with a's last dimension: a itself (a Gram matrix), or one whose batch axes repeat
  // against a's along other axes ([2, 1, 3, 2]·[2, 3, 2]ᵀ has the batch [2, 2]).
  matmul: (draw) => {
    const a = draw.node(hasAxes);
    const fitsShape = (shape: Shape) => {
      const product = matmulShape(a.shape, shape);
      return product !== undefined && count(product) <= MAX_ELEMENTS;
    };
    const fits = (n: Node) => fitsShape(n.shape);
    const rank = a.shape.length;
    const transposable = (n: Node) => n.shape.length >= 2 && fitsShape(swapLast(n.shape.length).map((p) => n.shape[p]!));
    const plain = draw.exists(fits), transposed = rank >= 2 && draw.exists(transposable);
    if (transposed && (!plain || draw.int(2) === 0)) {
      // Half the time, when there is one, a partner whose batch axes differ from a's.
      const crossing = (n: Node) => transposable(n) && n.shape.length >= 3 && rank >= 3 && !same(n.shape.slice(0, -2), a.shape.slice(0, -2));
      const c = draw.exists(crossing) && draw.int(2) === 0 ? draw.node(crossing) : draw.node(transposable);
      return op('matmul', a, apply('transpose', [c], swapLast(c.shape.length)));
    }
    if (plain) return op('matmul', a, draw.node(fits));
    // Nothing fits within the size limit: a Gram matrix too large for the pool (left out of it).
    return op('matmul', a, rank === 1 ? a : apply('transpose', [a], swapLast(rank)));
  },
  get: (draw) => {
    const x = draw.node(hasAxes);
    return apply('get', [x], x.shape.map((d) => draw.int(d)));
  },
  pack: (draw) => {
    const n = 1 + draw.int(6);
    const scalars = Array.from({ length: n }, () => draw.node((m) => m.shape.length === 0));
    return apply('pack', scalars, draw.factorisation(n, 3));
  },
  gather: (draw) => {
    const x = draw.node(hasAxes);
    const axis = draw.int(x.shape.length);
    const indexShape = [[], [2], [3], [2, 2]][draw.int(4)]!;
    return apply('gather', [x, draw.indices(indexShape, x.shape[axis]!)], [axis]);
  },
  // Values [...pre, ...I, ...post] scattered along `axis` into n positions: I is 0 to 2 of
  // the values' axes (a scalar index inserts an axis, as gather of a scalar index removes one).
  scatterAdd: (draw) => {
    const values = draw.node(hasAxes);
    const axis = draw.int(values.shape.length);
    const indexRank = draw.int(Math.min(2, values.shape.length - axis) + 1);
    const indexShape = values.shape.slice(axis, axis + indexRank);
    const n = 1 + draw.int(3);
    return apply('scatterAdd', [values, draw.indices(indexShape, n)], [axis, n]);
  },
  // Indices may equal the depth: that row is all zeros (the documented rule, as TensorFlow's).
  // Functions with derivative rules of their own (the true derivatives, so differences check them).
  custom: (draw) => {
    const a = draw.node();
    return draw.int(2) === 0 ? xTanhX(funOf(a)).node : productWithSine(funOf(a), funOf(op('cos', a))).node;
  },
  oneHot: (draw) => {
    const depth = 1 + draw.int(3);
    const shape = [[], [2], [3], [2, 2]][draw.int(4)]!;
    return apply('oneHot', [draw.indices(shape, depth, true)], [depth]);
  },
  ...WINDOW_RULES,
};


/** The primitives the generator has a rule for: every primitive of the table (checked by the type of RULES). */
export const GENERATED_PRIMITIVES: readonly string[] = Object.keys(RULES);

/** One instruction: which primitive (a rule index) and the numbers its choices are drawn from. */
export interface Instruction {
  readonly rule: number;
  readonly numbers: readonly number[];
}

/** A random program: what the instructions built, a scalar loss over the last ones, and the outputs to compare. */
export interface TensorProgram {
  readonly instructions: readonly Instruction[];
  /** The nodes the instructions built, in order (a result over MAX_ELEMENTS is left out of the pool). */
  readonly built: readonly Node[];
  /** A scalar: a weighted sum of the totals of the last three nodes of the pool. */
  readonly loss: Node;
  /** The last two nodes built (any rank), as tensor outputs. */
  readonly outputs: readonly Node[];
}

/**
 * The rules an instruction picks from: the tensor primitives twice, since they are fewer than
 * the elementwise ones and have more to get wrong (shapes, axes, layouts).
 */
const RULE_NAMES = (Object.keys(RULES) as OperationName[]).flatMap((name) => (primitives[name].kind === 'tensor' ? [name, name] : [name]));

function buildProgram(instructions: readonly Instruction[]): TensorProgram {
  const pool: Node[] = [...DIFFERENTIABLE_VARIABLES, ...CONSTANT_TENSORS];
  const built: Node[] = [];
  for (const instruction of instructions) {
    const node = RULES[RULE_NAMES[instruction.rule % RULE_NAMES.length]!](new Draw(instruction.numbers, pool));
    if (node.shape.length > 4 || count(node.shape) > MAX_ELEMENTS) continue;
    built.push(node);
    pool.push(node);
  }
  const weights = [1, -0.75, 0.5];
  const loss = pool
    .slice(-3)
    .reverse()
    .reduce((total, n, k) => op('add', total, op('mul', c(weights[k]!), apply('sum', [n]))), c(0));
  const last = built.length > 0 ? built : pool.slice(-1);
  return { instructions, built, loss, outputs: [...new Set(last.slice(-2))] };
}

const instructionArbitrary: fc.Arbitrary<Instruction> = fc.record({
  rule: fc.nat(RULE_NAMES.length - 1),
  numbers: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
});

/** Random programs of 1 to `maxLength` instructions, printed as their loss when a property fails. */
export function programArbitrary(maxLength = 8): fc.Arbitrary<TensorProgram> {
  return fc.array(instructionArbitrary, { minLength: 1, maxLength }).map((instructions) => {
    const program = buildProgram(instructions);
    return Object.assign(program, {
      [fc.toStringMethod]: () => `program: loss = ${toInfix(program.loss)}; outputs ${program.outputs.map((o) => `[${o.shape.join('×')}] ${toInfix(o)}`).join('; ')}`,
    });
  });
}

/**
 * A coordinate in [−1.5, 1.5]: uniform (no bias towards 0, where relu and abs have kinks), an
 * odd multiple of 1.5·2⁻²¹, so never 0 and exact in float32 (the float32 backends see the same input).
 */
const coordinateArbitrary = fc.noBias(fc.integer({ min: -(2 ** 20), max: 2 ** 20 - 1 })).map((k) => ((2 * k + 1) * 1.5) / 2 ** 21);

/** A point: a value for every variable (index variables in {0, 1}), by name, flat row-major. */
export type Point = ReadonlyMap<string, Float64Array>;

export const pointArbitrary: fc.Arbitrary<Point> = fc
  .tuple(
    ...DIFFERENTIABLE_VARIABLES.map((v) => fc.array(coordinateArbitrary, { minLength: count(v.shape), maxLength: count(v.shape) })),
    ...INDEX_VARIABLES.map((v) => fc.array(fc.constantFrom(0, 1), { minLength: count(v.shape), maxLength: count(v.shape) })),
  )
  .map((values) => {
    const point = new Map(ALL_VARIABLES.map((v, j) => [v.name, Float64Array.from(values[j]!)]));
    return Object.assign(point, { [fc.toStringMethod]: () => [...point].map(([n, x]) => `${n} = [${x.join(', ')}]`).join('; ') });
  });

/** A direction: one tensor per differentiable variable, entries in [−1, 1]. */
export const directionArbitrary: fc.Arbitrary<Point> = pointArbitrary.map(
  (p) => new Map(DIFFERENTIABLE_VARIABLES.map((v) => [v.name, p.get(v.name)!.map((x) => x / 1.5)])),
);

/* Evaluation helpers: the values of every node, and where the non-smooth primitives are. */

/** The values of every node of `order` at a point (the reference interpreter). */
export function evaluateAll(order: readonly Node[], point: Point): Map<Node, Float64Array> {
  const values = evaluateTensors(order, point);
  return new Map(order.map((n, k) => [n, values[k]!]));
}

/** The multi-index of flat element k of `shape` (row-major). */
function multiIndex(shape: Shape, k: number): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = k % shape[axis]!;
    k = Math.floor(k / shape[axis]!);
  }
  return index;
}

/** The flat index of a multi-index (row-major). */
function flatIndex(shape: Shape, index: readonly number[]): number {
  return index.reduce((k, i, axis) => k * shape[axis]! + i, 0);
}

/** For each element of a value of `shape`, the element of the reduction over `axes` it falls in. */
function laneOf(shape: Shape, axes: readonly number[]): number[] {
  const kept = shape.filter((_, i) => !axes.includes(i));
  return Array.from({ length: count(shape) }, (_, k) => flatIndex(kept, multiIndex(shape, k).filter((_, i) => !axes.includes(i))));
}

/** The lanes of a max node's operand, computed once per node (finite differences ask for them at every point). */
const lanes = new WeakMap<Node, number[]>();
const lanesOf = (max: Node) => lanes.get(max) ?? lanes.set(max, laneOf(max.args[0]!.shape, max.attrs)).get(max)!;

/** For each element of the broadcast `shape`, the element of an operand of shape `from` it reads. */
function broadcastSource(from: Shape, shape: Shape): number[] {
  const lead = shape.length - from.length;
  return Array.from({ length: count(shape) }, (_, k) => flatIndex(from, multiIndex(shape, k).slice(lead).map((i, a) => (from[a] === 1 ? 0 : i))));
}

const MAX_POOLS = new Set(['maxPool2d', 'maxPool2dGather', 'maxPool2dScatter']);

/**
 * For each window of a max pooling of `x` (the node's first operand, NHWC, attrs [KH, KW, SH,
 * SW, PT, PB, PL, PR]), the flat index of its first maximum and the gap between the maximum and
 * the largest smaller element of the window (Infinity when there is none): where the pooling's
 * piece changes, written from TensorFlow's definition of the windows.
 */
function windowMaxima(node: Node, x: Float64Array): { argmax: number[]; gaps: number[] } {
  const [N, H, W, C] = node.args[0]!.shape as [number, number, number, number];
  const [kh, kw, sh, sw, pt, pb, pl, pr] = node.attrs as [number, number, number, number, number, number, number, number];
  const oh = Math.floor((H + pt + pb - kh) / sh) + 1, ow = Math.floor((W + pl + pr - kw) / sw) + 1;
  const argmax: number[] = [], gaps: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let c = 0; c < C; c++) {
          const elements: number[] = [];
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              const r = i * sh - pt + a, w = j * sw - pl + b;
              if (r >= 0 && r < H && w >= 0 && w < W) elements.push(((n * H + r) * W + w) * C + c);
            }
          }
          const best = elements.reduce((m, e) => (x[e]! > x[m]! ? e : m), elements[0]!);
          argmax.push(best);
          gaps.push(elements.reduce((gap, e) => (x[e]! < x[best]! ? Math.min(gap, x[best]! - x[e]!) : gap), Infinity));
        }
      }
    }
  }
  return { argmax, gaps };
}

/** Operations whose value or derivative jumps at a tie of two operands (a = b). */
const TIES = new Set(['equal', 'gt', 'ge', 'lt', 'le', 'ne', 'maximum', 'minimum']);
/** Operations that jump at integers (floor, ceil) or halves (round) of their operand. */
const STEPS = new Set(['floor', 'ceil', 'round']);
/** Functions with poles at the non-positive integers (see `kinkDistance`). */
const POLES = new Set(['lgamma', 'digamma', 'polygamma']);

// hypot(a, b) has a cone's tip at a = b = 0 (hypot(x, x) is √2·|x|).
const NON_SMOOTH = new Set(['relu', 'abs', 'sign', 'heaviside', 'max', 'where', 'clip', 'hypot', ...TIES, ...STEPS, ...MAX_POOLS]);

/** The operands of an elementwise node at each element of its (broadcast) shape. */
function operandsAt(node: Node, value: ReadonlyMap<Node, Float64Array>): (k: number) => number[] {
  const sources = node.args.map((a) => broadcastSource(a.shape, node.shape));
  const values = node.args.map((a) => value.get(a)!);
  return (k) => values.map((v, i) => v[sources[i]![k]!]!);
}

/** Which side of its step each element of a floor, ceil or round node is: the distance to the nearest jump. */
const stepGap = (op: string, x: number) => (op === 'round' ? Math.abs(x - Math.floor(x) - 0.5) : Math.abs(x - Math.round(x)));

/** Which piece an element of a clip is on: below lo, between, above hi; and whether lo ≤ hi. */
const clipPiece = ([x, lo, hi]: number[]) => `${x! < lo! ? '<' : x! > hi! ? '>' : '='}${lo! <= hi! ? '' : '!'}`;

/**
 * Which piece of each non-smooth primitive every element is on: the sign of the operand of
 * relu, abs, sign and heaviside, the value of a comparison or a rounding, the order of the
 * operands of maximum and minimum, which elements attain each maximum of max, where the
 * condition of where is nonzero, which bound a clip is at, and each window's first maximum of
 * a max pooling. Two points with the same pieces have no kink between them (for the programs
 * generated here, whose operands move continuously), so finite differences across them are
 * meaningful.
 */
export function pieces(order: readonly Node[], value: ReadonlyMap<Node, Float64Array>): string {
  const parts: string[] = [];
  for (const node of order) {
    if (!NON_SMOOTH.has(node.op)) continue;
    const x = value.get(node.args[0]!)!;
    const count = value.get(node)!.length;
    if (MAX_POOLS.has(node.op)) parts.push(windowMaxima(node, x).argmax.join(','));
    else if (node.op === 'maximum' || node.op === 'minimum') {
      const at = operandsAt(node, value);
      parts.push(Array.from({ length: count }, (_, k) => Math.sign(at(k)[0]! - at(k)[1]!)).join(''));
    } else if (TIES.has(node.op) || STEPS.has(node.op)) parts.push(value.get(node)!.join(','));
    else if (node.op === 'hypot') {
      const at = operandsAt(node, value);
      parts.push(Array.from({ length: count }, (_, k) => `${Math.sign(at(k)[0]!)}${Math.sign(at(k)[1]!)}`).join(''));
    } else if (node.op === 'where') {
      const at = operandsAt(node, value);
      parts.push(Array.from({ length: count }, (_, k) => (at(k)[0] !== 0 ? 1 : 0)).join(''));
    } else if (node.op === 'clip') {
      const at = operandsAt(node, value);
      parts.push(Array.from({ length: count }, (_, k) => clipPiece(at(k))).join(''));
    } else if (node.op === 'max') {
      const lane = lanesOf(node);
      const max = value.get(node)!;
      parts.push(Array.from(x, (e, k) => (e === max[lane[k]!] ? 1 : 0)).join(''));
    } else parts.push(Array.from(x, (e) => (e > 0 ? '+' : e < 0 ? '-' : '0')).join(''));
  }
  return parts.join('|');
}

/**
 * How close a point is to a kink, in absolute terms: the smallest |operand| of relu, abs, sign
 * and heaviside, the smallest nonzero |a − b| of a comparison, maximum or minimum, the distance
 * of a rounding's operand to its nearest jump, the smallest |cond| of where other than exact
 * masks (0 and 1), the smallest nonzero gap of a clip's operand to its bounds, and the smallest
 * gap between a maximum and the next lower element of its lane (or of its window, for a max
 * pooling). Within float32 rounding of a kink, a float32 engine may compute on the other piece.
 */
export function kinkDistance(order: readonly Node[], value: ReadonlyMap<Node, Float64Array>): number {
  let distance = Infinity;
  const nonzero = (gap: number) => {
    if (gap > 0) distance = Math.min(distance, gap);
  };
  for (const node of order) {
    if (POLES.has(node.op)) {
      // lgamma, digamma and polygamma have poles at 0, −1, −2, ...: near one, the rounding of
      // the argument (float32 engines) moves the value without bound.
      for (const e of value.get(node.args[node.op === 'polygamma' ? 1 : 0]!)!) if (e <= 0.5) distance = Math.min(distance, Math.abs(e - Math.round(e)));
      continue;
    }
    if (!NON_SMOOTH.has(node.op)) continue;
    const x = value.get(node.args[0]!)!;
    const count = value.get(node)!.length;
    if (MAX_POOLS.has(node.op)) {
      for (const gap of windowMaxima(node, x).gaps) distance = Math.min(distance, gap);
    } else if (TIES.has(node.op)) {
      const at = operandsAt(node, value);
      for (let k = 0; k < count; k++) nonzero(Math.abs(at(k)[0]! - at(k)[1]!));
    } else if (STEPS.has(node.op)) {
      for (const e of x) distance = Math.min(distance, stepGap(node.op, e));
    } else if (node.op === 'hypot') {
      const at = operandsAt(node, value);
      for (let k = 0; k < count; k++) distance = Math.min(distance, Math.hypot(at(k)[0]!, at(k)[1]!));
    } else if (node.op === 'where') {
      for (const e of x) if (e !== 1) nonzero(Math.abs(e));
    } else if (node.op === 'clip') {
      const at = operandsAt(node, value);
      for (let k = 0; k < count; k++) {
        const [e, lo, hi] = at(k);
        nonzero(Math.abs(e! - lo!));
        nonzero(Math.abs(e! - hi!));
        nonzero(Math.abs(lo! - hi!));
      }
    } else if (node.op === 'max') {
      const lane = lanesOf(node);
      const max = value.get(node)!;
      x.forEach((e, k) => {
        if (e < max[lane[k]!]!) distance = Math.min(distance, max[lane[k]!]! - e);
      });
    } else for (const e of x) distance = Math.min(distance, Math.abs(e));
  }
  return distance;
}

/**
 * The roots with every stopGradient node replaced by its value at the point: finite differences
 * of these are the derivatives stopGradient defines (what it wraps is a constant).
 */
export function frozenAt(roots: readonly Node[], point: Point): Node[] {
  const stopped = topologicalOrder(roots).filter((n) => n.op === 'stopGradient');
  if (stopped.length === 0) return [...roots];
  const values = evaluateTensors(stopped, point);
  const constants = new Map(stopped.map((n, k) => [n, n.shape.length === 0 ? c(values[k]![0]!) : pack(Array.from(values[k]!), n.shape)]));
  return roots.map((r) => substitute(r, constants));
}

/** The largest finite magnitude of any value: the scale against which float32 error is measured. */
export function scaleOf(value: ReadonlyMap<Node, Float64Array>): number {
  let scale = 1;
  for (const v of value.values()) for (const x of v) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  return scale;
}

/** The point moved by `step` along a direction (the variables it does not name stay). */
export function shifted(point: Point, direction: Point, step: number): Point {
  const moved = new Map(point);
  for (const [name, d] of direction) moved.set(name, point.get(name)!.map((x, k) => x + step * d[k]!));
  return moved;
}

/** The unit direction along element k of one variable. */
export function unitDirection(variable: Node, k: number): Point {
  const d = new Float64Array(count(variable.shape));
  d[k] = 1;
  return new Map([[variable.name, d]]);
}

/** The variables (by name) that any of `roots` reads. */
export function variablesOf(roots: readonly Node[]): Node[] {
  return topologicalOrder(roots).filter((n) => n.op === 'var');
}
