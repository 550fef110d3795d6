/**
 * Hyper-dual numbers a + b·ε₁ + c·ε₂ + d·ε₁ε₂ (ε₁² = ε₂² = 0): forward-mode numbers that carry a
 * value, two directional first derivatives and the mixed second derivative. Written here,
 * independently of typegrad, as the test oracle for d, grad and mixed partials.
 */
export class HyperDual {
  constructor(
    readonly v: number,
    readonly e1 = 0,
    readonly e2 = 0,
    readonly e12 = 0,
  ) {}

  /** Applies f with its first and second derivatives at the value. */
  chain(f: number, f1: number, f2: number): HyperDual {
    return new HyperDual(f, f1 * this.e1, f1 * this.e2, f1 * this.e12 + f2 * this.e1 * this.e2);
  }
  add(o: HyperDual): HyperDual {
    return new HyperDual(this.v + o.v, this.e1 + o.e1, this.e2 + o.e2, this.e12 + o.e12);
  }
  sub(o: HyperDual): HyperDual {
    return new HyperDual(this.v - o.v, this.e1 - o.e1, this.e2 - o.e2, this.e12 - o.e12);
  }
  mul(o: HyperDual): HyperDual {
    return new HyperDual(
      this.v * o.v,
      this.e1 * o.v + this.v * o.e1,
      this.e2 * o.v + this.v * o.e2,
      this.e12 * o.v + this.e1 * o.e2 + this.e2 * o.e1 + this.v * o.e12,
    );
  }
  recip(): HyperDual {
    const v = this.v;
    return this.chain(1 / v, -1 / (v * v), 2 / (v * v * v));
  }
  div(o: HyperDual): HyperDual {
    return this.mul(o.recip());
  }
  neg(): HyperDual {
    return new HyperDual(-this.v, -this.e1, -this.e2, -this.e12);
  }
}

const sig = (a: number) => 1 / (1 + Math.exp(-a));

/** f, f′, f″ for each unary primitive, written from calculus tables. */
export const unaryRules: Record<string, (a: number) => [number, number, number]> = {
  sin: (a) => [Math.sin(a), Math.cos(a), -Math.sin(a)],
  cos: (a) => [Math.cos(a), -Math.sin(a), -Math.cos(a)],
  tan: (a) => {
    const t = Math.tan(a);
    return [t, 1 + t * t, 2 * t * (1 + t * t)];
  },
  asin: (a) => [Math.asin(a), 1 / Math.sqrt(1 - a * a), a / Math.pow(1 - a * a, 1.5)],
  acos: (a) => [Math.acos(a), -1 / Math.sqrt(1 - a * a), -a / Math.pow(1 - a * a, 1.5)],
  atan: (a) => [Math.atan(a), 1 / (1 + a * a), (-2 * a) / ((1 + a * a) * (1 + a * a))],
  sinh: (a) => [Math.sinh(a), Math.cosh(a), Math.sinh(a)],
  cosh: (a) => [Math.cosh(a), Math.sinh(a), Math.cosh(a)],
  tanh: (a) => {
    const t = Math.tanh(a);
    return [t, 1 - t * t, -2 * t * (1 - t * t)];
  },
  exp: (a) => [Math.exp(a), Math.exp(a), Math.exp(a)],
  ln: (a) => [Math.log(a), 1 / a, -1 / (a * a)],
  sqrt: (a) => [Math.sqrt(a), 0.5 / Math.sqrt(a), -0.25 / Math.pow(a, 1.5)],
  cbrt: (a) => [Math.cbrt(a), 1 / (3 * Math.cbrt(a) ** 2), -2 / (9 * Math.cbrt(a) ** 5)],
  abs: (a) => [Math.abs(a), Math.sign(a), 0],
  sigmoid: (a) => [sig(a), sig(a) * (1 - sig(a)), sig(a) * (1 - sig(a)) * (1 - 2 * sig(a))],
  softplus: (a) => [Math.log(1 + Math.exp(a)), sig(a), sig(a) * (1 - sig(a))],
  relu: (a) => [Math.max(a, 0), a > 0 ? 1 : 0, 0],
  neg: (a) => [-a, -1, 0],
};

export function applyUnary(op: string, a: HyperDual): HyperDual {
  const rule = unaryRules[op];
  if (rule === undefined) throw new Error(`no hyper-dual rule for ${op}`);
  return a.chain(...rule(a.v));
}

export function applyBinary(op: string, a: HyperDual, b: HyperDual): HyperDual {
  switch (op) {
    case 'add':
      return a.add(b);
    case 'sub':
      return a.sub(b);
    case 'mul':
      return a.mul(b);
    case 'div':
      return a.div(b);
    case 'pow':
      // Constant exponent: the power rule; otherwise a^b = exp(b·ln a) for a > 0.
      if (b.e1 === 0 && b.e2 === 0 && b.e12 === 0) {
        const n = b.v;
        const first = n === 0 ? 0 : n * Math.pow(a.v, n - 1);
        const second = n === 0 || n === 1 ? 0 : n * (n - 1) * Math.pow(a.v, n - 2);
        return a.chain(Math.pow(a.v, n), first, second);
      }
      return applyUnary('exp', b.mul(applyUnary('ln', a)));
    case 'log':
      return applyUnary('ln', a).div(applyUnary('ln', b));
    default:
      throw new Error(`no hyper-dual rule for ${op}`);
  }
}
