/**
 * Dimensions known only at run time (`number` in the types) compile anywhere a literal does, so
 * each shape rule the compiler cannot check is checked when the graph is built: a TypegradError
 * that names the operation and both shapes, the same words as the compile-time message.
 */
import { describe, expect, test } from 'vitest';
import { add, concat, dot, Mat, matmul, MVar, TypegradError, Vec, VVar } from '../../src/index.js';

/** Hides a literal from the type checker, as a size read from data would be. */
const atRunTime = (size: number): number => size;

describe('run-time dimensions', () => {
  const n = atRunTime(2);
  const v = VVar('v', n);
  const A = MVar('A', n, atRunTime(3));

  test('agreeing shapes build and evaluate', () => {
    const w = VVar('w', 2);
    expect(v.add(w).eval({ v: [1, 2], w: [10, 20] })).toEqual([11, 22]);
    expect(add(w, v).eval({ v: [1, 2], w: [10, 20] })).toEqual([11, 22]);
    expect(dot(w, v).eval({ v: [1, 2], w: [3, 4] })).toBe(11);
    expect(matmul(A, Vec(1, 1, 1)).eval({ A: [[1, 2, 3], [4, 5, 6]] })).toEqual([6, 15]);
    expect(v.slice(1, atRunTime(2)).eval({ v: [1, 2] })).toEqual([2]);
    expect(v.concat(w).length).toBe(4);
  });

  test('elementwise mismatches', () => {
    expect(() => v.add(Vec(1, 2, 3))).toThrow(TypegradError);
    expect(() => v.add(Vec(1, 2, 3))).toThrow('add: shape mismatch: cannot combine vector[2] and vector[3] elementwise');
    expect(() => add(Vec(1, 2, 3), v)).toThrow(/add: shape mismatch.*vector\[3\] and vector\[2\]/);
    expect(() => A.mul(MVar('B', 3, 2))).toThrow(/mul: shape mismatch.*matrix\[2×3\] and matrix\[3×2\]/);
    expect(() => A.add(Vec(1, 2))).toThrow(/add: shape mismatch.*matrix\[2×3\] and vector\[2\]/);
  });

  test('products', () => {
    expect(() => A.matmul(A)).toThrow('matmul: shape mismatch: cannot multiply matrix[2×3] by matrix[2×3] (inner dimensions 3 and 2)');
    expect(() => matmul(A, Vec(1, 2))).toThrow(/inner dimensions 3 and 2/);
    expect(() => dot(v, Vec(1, 2, 3))).toThrow(/shape mismatch.*vector\[2\].*vector\[3\]/);
  });

  test('layout', () => {
    expect(() => v.reshape(3, 1)).toThrow(/reshape: .*cannot reshape vector\[2\] to matrix\[3×1\]/);
    expect(() => v.get(atRunTime(2))).toThrow(/get: index \[2\] is out of bounds for vector\[2\]/);
    expect(() => v.slice(1, atRunTime(3))).toThrow(/slice: range 1:3 is not a non-empty range within 0:2/);
    expect(() => A.concat(MVar('B', 1, n))).toThrow(/concat: shape mismatch: cannot join matrix\[2×3\] and matrix\[1×2\]/);
    expect(() => concat(v, Vec(1)).length).not.toThrow();
  });

  test('constructors', () => {
    expect(() => VVar('v', atRunTime(0))).toThrow(/VVar 'v': a dimension must be a positive integer, got 0/);
    expect(() => MVar('M', 2, atRunTime(1.5))).toThrow(/MVar 'M': a dimension must be a positive integer, got 1.5/);
    const rows: number[][] = [[1, 2], [3]];
    expect(() => Mat(...rows)).toThrow(TypegradError);
    expect(() => Mat(...rows)).toThrow('Mat: rows must have equal lengths: row 0 has 2 elements, row 1 has 1');
  });
});
