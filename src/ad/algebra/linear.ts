/**
 * Systems of linear equations by fraction-free Gaussian elimination (Bareiss): every division
 * in the elimination is exact, so over the rationals the entries stay integers-over-common-
 * denominators without growth from repeated fractions, and with symbolic coefficients no
 * nested fractions appear before back-substitution. Exact rationals (BigInt) when every
 * coefficient is a rational constant; nodes (simplified) otherwise.
 */
import { builder } from '../build.js';
import { TypegradError } from '../errors.js';
import { constantNode, type Node } from '../node.js';
import { toInfix } from '../print.js';
import { dependsOn, topologicalOrder } from '../traverse.js';
import { exactRational, rationalNode } from './exact.js';
import { Rational } from './rational.js';
import { expandNode, simplifyNode } from './simplify.js';

/** The arithmetic elimination needs. */
interface Field<T> {
  readonly zero: T;
  readonly one: T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  isZero(a: T): boolean;
  toNode(a: T): Node;
}

const rationals: Field<Rational> = {
  zero: Rational.ZERO,
  one: Rational.ONE,
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  isZero: (a) => a.isZero(),
  toNode: rationalNode,
};

const tidy = (n: Node) => simplifyNode(expandNode(n));

const expressions: Field<Node> = {
  zero: constantNode(0),
  one: constantNode(1),
  add: (a, b) => builder.add(a, b),
  sub: (a, b) => tidy(builder.sub(a, b)),
  mul: (a, b) => builder.mul(a, b),
  div: (a, b) => simplifyNode(builder.div(a, b)),
  isZero: (a) => a.op === 'const' && a.value === 0,
  toNode: simplifyNode,
};

/**
 * Each equation (f = 0) as coefficients of the variables and a right side: f = Σ aᵢ·xᵢ − b.
 * Throws a TypegradError naming the equation that is not linear.
 */
export function linearSystem(equations: readonly Node[], variables: readonly Node[]): { matrix: Node[][]; rhs: Node[] } {
  const matrix: Node[][] = [];
  const rhs: Node[] = [];
  const sources = new Set(variables);
  equations.forEach((equation, row) => {
    const bad = topologicalOrder([equation]).find((n) => n.op === 'const' && !Number.isFinite(n.value));
    if (bad !== undefined) {
      throw new TypegradError(`solveLinear: equation ${row + 1} (${toInfix(equation)} = 0) has the coefficient ${bad.value}; the system needs finite numbers`);
    }
    const expanded = expandNode(equation);
    const depends = dependsOn(topologicalOrder([expanded]), sources);
    const linear = new Map<Node, { coefficients: Node[]; constant: Node } | undefined>();
    const zeros = () => variables.map(() => constantNode(0));
    for (const node of topologicalOrder([expanded])) {
      if (!depends.has(node)) {
        linear.set(node, { coefficients: zeros(), constant: node });
        continue;
      }
      const index = variables.indexOf(node);
      if (index >= 0) {
        const coefficients = zeros();
        coefficients[index] = constantNode(1);
        linear.set(node, { coefficients, constant: constantNode(0) });
        continue;
      }
      const [p, q] = node.args.map((a) => linear.get(a));
      let result: { coefficients: Node[]; constant: Node } | undefined;
      const constantOf = (form: typeof p) => (form !== undefined && form.coefficients.every((c) => c.op === 'const' && c.value === 0) ? form.constant : undefined);
      if (p !== undefined && (q !== undefined || node.args.length === 1)) {
        switch (node.op) {
          case 'add':
          case 'sub': {
            const op = node.op === 'add' ? builder.add : builder.sub;
            result = { coefficients: p.coefficients.map((c, i) => op(c, q!.coefficients[i]!)), constant: op(p.constant, q!.constant) };
            break;
          }
          case 'neg':
            result = { coefficients: p.coefficients.map((c) => builder.neg(c)), constant: builder.neg(p.constant) };
            break;
          case 'mul': {
            const [k, form] = constantOf(p) !== undefined ? [constantOf(p)!, q!] : constantOf(q) !== undefined ? [constantOf(q)!, p] : [undefined, undefined];
            if (k !== undefined) result = { coefficients: form!.coefficients.map((c) => builder.mul(k, c)), constant: builder.mul(k, form!.constant) };
            break;
          }
          case 'div': {
            const k = constantOf(q);
            if (k !== undefined) result = { coefficients: p.coefficients.map((c) => builder.div(c, k)), constant: builder.div(p.constant, k) };
            break;
          }
        }
      }
      linear.set(node, result);
    }
    const form = linear.get(expanded);
    if (form === undefined) {
      throw new TypegradError(`solveLinear: equation ${row + 1} (${toInfix(equation)} = 0) is not linear in ${variables.map((v) => v.name).join(', ')}`);
    }
    matrix.push(form.coefficients.map((c) => simplifyNode(c)));
    rhs.push(simplifyNode(builder.neg(form.constant)));
  });
  return { matrix, rhs };
}

/** The unique solution of matrix · x = rhs, one node per variable. */
export function solveLinearSystem(equations: readonly Node[], variables: readonly Node[]): Node[] {
  const { matrix, rhs } = linearSystem(equations, variables);
  const exact = [...matrix.flat(), ...rhs].map(exactRational);
  if (exact.every((r) => r !== undefined)) {
    const rows = matrix.map((_, i) => [...exact.slice(i * variables.length, (i + 1) * variables.length), exact[matrix.length * variables.length + i]!] as Rational[]);
    return bareiss(rows, variables, rationals);
  }
  return bareiss(matrix.map((row, i) => [...row, rhs[i]!]), variables, expressions);
}

function bareiss<T extends object>(rows: T[][], variables: readonly Node[], field: Field<T>): Node[] {
  const n = rows.length, m = variables.length;
  let previous = field.one;
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < m && r < n; c++) {
    const p = rows.findIndex((row, i) => i >= r && !field.isZero(row[c]!));
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p]!, rows[r]!];
    const pivot = rows[r]![c]!;
    for (let i = r + 1; i < n; i++) {
      const row = rows[i]!;
      const factor = row[c]!;
      for (let j = c + 1; j <= m; j++) row[j] = field.div(field.sub(field.mul(pivot, row[j]!), field.mul(factor, rows[r]![j]!)), previous);
      row[c] = field.zero;
    }
    previous = pivot;
    pivots.push(c);
    r++;
  }
  for (let i = r; i < n; i++) {
    if (!field.isZero(rows[i]![m]!)) {
      throw new TypegradError(`solveLinear: the system is inconsistent: after elimination an equation reads 0 = ${toInfix(field.toNode(rows[i]![m]!))}`);
    }
  }
  if (r < m) {
    const free = variables.filter((_, c) => !pivots.includes(c)).map((v) => v.name);
    throw new TypegradError(`solveLinear: the system is singular (rank ${r} for ${m} variables): it does not determine ${free.join(', ')}; fix them or drop them from the variables`);
  }
  const solution = new Array<T>(m);
  for (let k = r - 1; k >= 0; k--) {
    const c = pivots[k]!;
    let value = rows[k]![m]!;
    for (let j = c + 1; j < m; j++) value = field.sub(value, field.mul(rows[k]![j]!, solution[j]!));
    solution[c] = field.div(value, rows[k]![c]!);
  }
  return solution.map((v) => field.toNode(v));
}
