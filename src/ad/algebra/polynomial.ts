/**
 * The coefficients of an expression as a polynomial in x (nodes, which may hold other
 * variables): `solve` uses them to tell whether an argument is linear in x.
 */
import { builder } from '../build.js';
import { constantNode, pin, type Node } from '../node.js';
import { topologicalOrder } from '../traverse.js';

/** Beyond this degree a power is not multiplied out (the caller gives up instead). */
export const MAX_DEGREE = 64;

// Compared by identity: kept in the node table for good.
const zero = pin(constantNode(0));

function addPolynomials(p: readonly Node[], q: readonly Node[], sign: 1 | -1): Node[] {
  const result: Node[] = [];
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    const a = p[i] ?? zero, b = q[i] ?? zero;
    result.push(sign === 1 ? builder.add(a, b) : builder.sub(a, b));
  }
  return result;
}

function multiplyPolynomials(p: readonly Node[], q: readonly Node[]): Node[] | undefined {
  if (p.length + q.length - 2 > MAX_DEGREE) return undefined;
  const result: Node[] = new Array<Node>(p.length + q.length - 1).fill(zero);
  for (let i = 0; i < p.length; i++) for (let j = 0; j < q.length; j++) result[i + j] = builder.add(result[i + j]!, builder.mul(p[i]!, q[j]!));
  return result;
}

/** Drops leading zero coefficients (keeps at least one). */
function trim(p: Node[]): Node[] {
  while (p.length > 1 && p[p.length - 1]!.op === 'const' && p[p.length - 1]!.value === 0) p.pop();
  return p;
}

/**
 * The coefficients of `root` as a polynomial in `x`, lowest degree first, or `undefined` when it
 * is not one (x under a function, in a denominator, in an exponent, or a degree past MAX_DEGREE).
 * One loop over the DAG in topological order.
 */
export function polynomialCoefficients(root: Node, x: Node): Node[] | undefined {
  const polynomial = new Map<Node, Node[] | undefined>();
  for (const node of topologicalOrder([root])) {
    const args = node.args.map((a) => polynomial.get(a));
    let result: Node[] | undefined;
    const free = node !== x && node.args.every((_, i) => args[i]?.length === 1 && args[i]![0] === node.args[i]);
    if (node === x) result = [zero, constantNode(1)];
    else if (node.args.length === 0 || free) result = [node];
    else if (args.some((a) => a === undefined)) result = undefined;
    else {
      const [p, q] = args as Node[][];
      switch (node.op) {
        case 'add': result = addPolynomials(p!, q!, 1); break;
        case 'sub': result = addPolynomials(p!, q!, -1); break;
        case 'neg': result = p!.map((c) => builder.neg(c)); break;
        case 'mul': result = multiplyPolynomials(p!, q!); break;
        case 'div': result = q!.length === 1 ? p!.map((c) => builder.div(c, q![0]!)) : undefined; break;
        case 'pow': {
          const n = node.args[1]!;
          if (q!.length !== 1 || n.op !== 'const' || !Number.isInteger(n.value) || n.value < 0 || n.value > MAX_DEGREE) break;
          let power: Node[] | undefined = [constantNode(1)];
          for (let i = 0; i < n.value && power !== undefined; i++) power = multiplyPolynomials(power, p!);
          result = power;
          break;
        }
        default: result = undefined;
      }
      if (result !== undefined) result = trim(result);
    }
    polynomial.set(node, result);
  }
  return polynomial.get(root);
}

