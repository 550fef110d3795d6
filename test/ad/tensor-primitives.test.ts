/** The documented semantics of each tensor primitive (row-major layout, axes, attrs) and its build-time simplifications. */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/ad/build.js';
import { TypegradError } from '../../src/ad/errors.js';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { constantNode, variableNode, type Node } from '../../src/ad/node.js';
import { reverseGradient } from '../../src/ad/reverse.js';
import { toInfix } from '../../src/ad/print.js';

const A = variableNode('A', [2, 3]);
const v = variableNode('v', [3]);
const u = variableNode('u', [2]);
const env = new Map([
  ['A', Float64Array.of(1, 2, 3, 4, 5, 6)], // [[1, 2, 3], [4, 5, 6]]
  ['v', Float64Array.of(10, 20, 30)],
  ['u', Float64Array.of(-1, 1)],
]);
const value = (n: Node) => Array.from(evaluateTensors([n], env)[0]!);

describe('tensor primitive semantics', () => {
  it.each([
    ['broadcast [3] → [2, 3] repeats the row', apply('broadcast', [v], [2, 3]), [10, 20, 30, 10, 20, 30]],
    ['add broadcasts a row vector over every row (bias)', apply('add', [A, v]), [11, 22, 33, 14, 25, 36]],
    ['sum, all elements', apply('sum', [A]), [21]],
    ['sum axis 0: one value per column', apply('sum', [A], [0]), [5, 7, 9]],
    ['sum axis 1: one value per row', apply('sum', [A], [1]), [6, 15]],
    ['matmul [2, 3]·[3]', apply('matmul', [A, v]), [140, 320]],
    ['matmul [2]·[2, 3]', apply('matmul', [u, A]), [3, 3, 3]],
    ['matmul [3]·[3] is the dot product', apply('matmul', [v, v]), [1400]],
    ['an outer product by broadcasting [2, 1]·[3]', apply('mul', [apply('reshape', [u], [2, 1]), v]), [-10, -20, -30, 10, 20, 30]],
    ['transpose', apply('transpose', [A]), [1, 4, 2, 5, 3, 6]],
    ['get [i, j]', apply('get', [A], [1, 2]), [6]],
    ['slice axis 1 (columns)', apply('slice', [A], [1, 1, 3]), [2, 3, 5, 6]],
    ['slice axis 0 (rows)', apply('slice', [A], [0, 1, 2]), [4, 5, 6]],
    ['pad axis 0', apply('pad', [v], [0, 1, 2]), [0, 10, 20, 30, 0, 0]],
    ['concat axis 1', apply('concat', [A, A], [1]), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]],
    ['reshape keeps row-major data', apply('reshape', [A], [3, 2]), [1, 2, 3, 4, 5, 6]],
    ['pack', apply('pack', [constantNode(1), constantNode(2), constantNode(3), constantNode(4)], [2, 2]), [1, 2, 3, 4]],
  ])('%s', (_name, node, expected) => {
    expect(value(node)).toEqual(expected);
  });

  it('logsumexp and softmax are computed without overflow', () => {
    const big = apply('mul', [constantNode(1000), A]);
    expect(value(apply('logsumexp', [big], [1]))[1]).toBeCloseTo(6000 + Math.log(1 + Math.exp(-1000) + Math.exp(-2000)), 9);
    const rows = value(apply('softmax', [big]));
    expect(rows[2]! + rows[1]! + rows[0]!).toBeCloseTo(1, 12);
  });
});

describe('tensor simplifications and hash-consing', () => {
  it('transpose(transpose(A)) is A', () => {
    expect(apply('transpose', [apply('transpose', [A])])).toBe(A);
  });
  it('identical tensor expressions are one node', () => {
    expect(apply('matmul', [A, v])).toBe(apply('matmul', [A, v]));
    expect(apply('sum', [A], [0])).not.toBe(apply('sum', [A], [1]));
  });
  it('zero tensors stay zero and keep their shape', () => {
    const zero = apply('broadcast', [constantNode(0)], [2, 3]);
    expect(apply('mul', [A, zero])).toBe(zero);
    expect(apply('add', [A, zero])).toBe(A);
    expect(apply('sub', [A, A])).toBe(zero);
    expect(apply('matmul', [zero, v])).toBe(apply('broadcast', [constantNode(0)], [2]));
  });
  it('get of a pack is the element', () => {
    const x = variableNode('x');
    expect(apply('get', [apply('pack', [x, constantNode(2)], [2])], [0])).toBe(x);
  });
  it('the gradient of an unused tensor variable is a zero tensor of its shape', () => {
    const [gradient] = reverseGradient(apply('sum', [v]), [A]);
    expect(gradient!.shape).toEqual([2, 3]);
    expect(value(gradient!)).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('prints tensor operations readably', () => {
    expect(toInfix(apply('sum', [apply('add', [apply('matmul', [A, v]), u])], [0]))).toBe('sum(u + A @ v)');
  });
  it('rejects mismatched shapes naming the operation and both shapes', () => {
    expect(() => apply('add', [A, u])).toThrow(TypegradError);
    expect(() => apply('add', [A, u])).toThrow('add: shape mismatch: cannot combine matrix[2×3] and vector[2] elementwise');
    expect(() => apply('matmul', [A, u])).toThrow(/matmul: shape mismatch: cannot multiply matrix\[2×3\] by vector\[2\]/);
    expect(() => apply('reshape', [A], [4])).toThrow(/cannot reshape matrix\[2×3\] to vector\[4\]/);
  });
});
