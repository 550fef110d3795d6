/**
 * One small program per primitive of the table, over a scalar, a vector, a matrix and an index
 * vector, with operands kept in each primitive's domain: what the ONNX export tests export.
 */
import { apply } from '../../src/ad/build.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { primitives } from '../../src/ad/primitives/index.js';
import type { AnyRankFun } from '../../src/api/compile.js';
import { wrap } from '../../src/api/wrap.js';
import '../../src/index.js'; // the Fun classes register themselves with wrap as they load
import { xTanhX } from './random-tensor-programs.js';

export const s = variableNode('s'), v = variableNode('v', [3]), X = variableNode('X', [2, 3]), I = variableNode('I', [2]);
const declared = new Set(['s', 'v', 'X', 'I']);

const c = constantNode;
const op = (name: string, ...args: Node[]) => apply(name, args);
const at = (name: string, args: Node[], attrs: number[]) => apply(name, args, attrs);
const positive = (a: Node) => op('add', c(0.25), op('mul', a, a));
const unit = (a: Node, k: number) => op('mul', c(k), op('tanh', a));

/** Each primitive applied once (its key: the primitive's name). */
const programs: Record<string, Node> = {
  add: op('add', X, v), sub: op('sub', v, X), mul: op('mul', X, s), div: op('div', X, positive(v)), neg: op('neg', X),
  pow: op('pow', positive(X), unit(v, 2)), exp: op('exp', X), ln: op('ln', positive(X)), log: op('log', positive(X), op('add', c(2), op('mul', v, v))),
  sqrt: op('sqrt', positive(X)), cbrt: op('cbrt', op('sub', X, c(0.5))), sin: op('sin', X), cos: op('cos', X), tan: op('tan', unit(X, 1)),
  asin: op('asin', unit(X, 0.9)), acos: op('acos', unit(X, 0.9)), atan: op('atan', X), sinh: op('sinh', X), cosh: op('cosh', X), tanh: op('tanh', X),
  sigmoid: op('sigmoid', X), softplus: op('softplus', X), relu: op('relu', X), abs: op('abs', X), sign: op('sign', X), heaviside: op('heaviside', X),
  equal: op('equal', X, v),
  gt: op('gt', X, v), ge: op('ge', X, s), lt: op('lt', v, X), le: op('le', X, c(0.2)), ne: op('ne', X, v),
  where: op('where', op('gt', X, c(0)), X, op('mul', v, s)), maximum: op('maximum', X, v), minimum: op('minimum', X, s),
  clip: op('clip', X, c(-0.5), v), floor: op('floor', op('mul', c(3), X)), ceil: op('ceil', op('mul', c(3), X)), round: op('round', op('mul', c(3), X)),
  stopGradient: op('stopGradient', X), expm1: op('expm1', X), log1p: op('log1p', unit(X, 0.9)), hypot: op('hypot', X, v), atan2: op('atan2', X, v),
  erf: op('erf', X), erfc: op('erfc', X), lgamma: op('lgamma', positive(X)), digamma: op('digamma', positive(X)), polygamma: op('polygamma', c(1), positive(X)),
  broadcast: at('broadcast', [v], [2, 3]), sum: at('sum', [X], [1]), max: at('max', [X], [0]), logsumexp: at('logsumexp', [X], [1]),
  softmax: at('softmax', [X], [0]), matmul: op('matmul', X, at('transpose', [X], [1, 0])), transpose: at('transpose', [X], [1, 0]),
  pack: at('pack', [s, op('mul', s, s)], [2]), get: at('get', [X], [1, 2]), slice: at('slice', [X], [1, 0, 2]), pad: at('pad', [X], [0, 1, 1]),
  concat: at('concat', [X, X], [0]), reshape: at('reshape', [X], [3, 2]), gather: at('gather', [X, I], [1]),
  scatterAdd: at('scatterAdd', [at('gather', [X, I], [1]), I], [1, 3]), oneHot: at('oneHot', [I], [3]),
  ...windowPrograms(),
  custom: xTanhX(wrap(X, [], new Set(['X'])) as AnyRankFun).node,
};

/** The convolution and pooling primitives on X as an image [1, 2, 3, 1] and v as a kernel [1, 3, 1, 1]. */
function windowPrograms(): Record<string, Node> {
  const image = at('reshape', [X], [1, 2, 3, 1]), kernel = at('reshape', [v], [1, 3, 1, 1]);
  const padded = [1, 1, 0, 0, 1, 1, 1, 1], pool = [2, 2, 1, 1, 0, 0, 0, 0], paddedPool = [2, 2, 1, 1, 1, 0, 0, 1];
  return {
    conv2d: at('conv2d', [image, kernel], padded),
    conv2dBackpropInput: at('conv2dBackpropInput', [image, kernel], [2, 3, ...padded]),
    conv2dBackpropFilter: at('conv2dBackpropFilter', [image, op('sin', image)], [1, 3, ...padded]),
    maxPool2d: at('maxPool2d', [image], pool),
    maxPool2dGather: at('maxPool2dGather', [image, op('mul', image, image)], pool),
    maxPool2dScatter: at('maxPool2dScatter', [image, at('reshape', [at('slice', [v], [0, 0, 2])], [1, 1, 2, 1])], pool),
    avgPool2d: at('avgPool2d', [image], paddedPool),
    avgPool2dBackprop: at('avgPool2dBackprop', [image], [2, 3, ...paddedPool]),
  };
}

/** Every primitive's program as Funs (a record keyed by primitive), with each Fun's derivative-free value. */
export const everyPrimitive: Record<string, AnyRankFun> = Object.fromEntries(Object.entries(programs).map(([name, node]) => [name, wrap(node, [], declared) as AnyRankFun]));

/** The primitives of the table that `everyPrimitive` leaves out (none). */
export const missingPrimitives = Object.keys(primitives).filter((p) => !Object.hasOwn(programs, p));

/** Values for s, v, X and I (indices 2 and 0). */
export const everyPrimitiveData = { s: 0.7, v: [0.5, -1.25, 2], X: [[0.3, -0.6, 1.1], [-1.4, 0.2, 0.9]], I: [2, 0] };
