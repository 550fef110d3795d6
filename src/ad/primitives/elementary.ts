import type { Node } from '../node.js';
import type { Builder, ElementwisePrimitive } from './types.js';

/** A unary function printed as `name(x)` and in LaTeX as `\name\left(x\right)`. */
function unary(
  name: string,
  evaluate: (a: number) => number,
  derivative: (a: Node, self: Node, b: Builder) => Node,
  latexName = `\\${name}`,
): ElementwisePrimitive {
  return {
    kind: 'elementwise',
    name,
    arity: 1,
    notation: { kind: 'call', name, latex: ([a]) => `${latexName}\\left(${a}\\right)` },
    evaluate,
    partials: ([a], self, b) => [derivative(a!, self, b)],
  };
}

const one = (b: Builder) => b.constant(1);
const square = (b: Builder, a: Node) => b.pow(a, b.constant(2));
/** √(1 − a²), shared by the derivatives of asin and acos. */
const sqrtOneMinusSquare = (b: Builder, a: Node) => b.apply('sqrt', [b.sub(one(b), square(b, a))]);

export const exp = unary('exp', Math.exp, (_a, self) => self);
export const ln = unary('ln', Math.log, (a, _self, b) => b.div(one(b), a));
export const sin = unary('sin', Math.sin, (a, _self, b) => b.apply('cos', [a]));
export const cos = unary('cos', Math.cos, (a, _self, b) => b.neg(b.apply('sin', [a])));
export const tan = unary('tan', Math.tan, (_a, self, b) => b.add(one(b), square(b, self)));
export const asin = unary('asin', Math.asin, (a, _self, b) => b.div(one(b), sqrtOneMinusSquare(b, a)), '\\arcsin');
export const acos = unary('acos', Math.acos, (a, _self, b) => b.neg(b.div(one(b), sqrtOneMinusSquare(b, a))), '\\arccos');
export const atan = unary('atan', Math.atan, (a, _self, b) => b.div(one(b), b.add(one(b), square(b, a))), '\\arctan');
export const sinh = unary('sinh', Math.sinh, (a, _self, b) => b.apply('cosh', [a]));
export const cosh = unary('cosh', Math.cosh, (a, _self, b) => b.apply('sinh', [a]));
export const tanh = unary('tanh', Math.tanh, (_a, self, b) => b.sub(one(b), square(b, self)));

export const sqrt: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'sqrt',
  arity: 1,
  notation: { kind: 'call', name: 'sqrt', latex: ([a]) => `\\sqrt{${a}}` },
  evaluate: Math.sqrt,
  // 1/(2√a) = 0.5/self
  partials: (_args, self, b) => [b.div(b.constant(0.5), self)],
};

export const cbrt: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'cbrt',
  arity: 1,
  notation: { kind: 'call', name: 'cbrt', latex: ([a]) => `\\sqrt[3]{${a}}` },
  evaluate: Math.cbrt,
  // 1/(3·∛a²)
  partials: (_args, self, b) => [b.div(b.constant(1 / 3), square(b, self))],
};

/** log(x, base) = ln x / ln base, differentiable in both arguments. */
export const log: ElementwisePrimitive = {
  kind: 'elementwise',
  name: 'log',
  arity: 2,
  notation: { kind: 'call', name: 'log', latex: ([a, base]) => `\\log_{${base}}\\left(${a}\\right)` },
  evaluate: (a, base) => Math.log(a) / Math.log(base),
  partials: ([a, base], self, b, needed) => {
    const lnBase = b.apply('ln', [base!]);
    return [
      needed[0] ? b.div(one(b), b.mul(a!, lnBase)) : undefined,
      // ∂/∂base (ln a / ln base) = −log(a, base) / (base · ln base)
      needed[1] ? b.neg(b.div(self, b.mul(base!, lnBase))) : undefined,
    ];
  },
};
