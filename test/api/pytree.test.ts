/** Pytrees: flatten, unflatten and mapTree over arrays, tuples, objects and registered classes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flatten, mapTree, registerPytreeNode, unflatten } from '../../src/api/pytree.js';
import { TypegradError, Var } from '../../src/index.js';

class Point {
  constructor(readonly x: number, readonly y: number, readonly label: string) {}
}
registerPytreeNode(Point, {
  flatten: (p) => ({ children: [p.x, p.y], aux: p.label }),
  unflatten: ([x, y], label) => new Point(x as number, y as number, label as string),
});

describe('pytrees', () => {
  it('flatten lists leaves with object keys in sorted order', () => {
    expect(flatten({ b: [1, 2], a: 3, c: { z: 4, y: [5] } }).leaves).toEqual([3, 1, 2, 5, 4]);
  });
  it('treats numbers, Funs and typed arrays as leaves, null and undefined as empty nodes', () => {
    const x = Var('x');
    const w = new Float64Array([1, 2]);
    const { leaves } = flatten([x, w, null, undefined, 7]);
    expect(leaves).toEqual([x, w, 7]);
  });
  it('unflatten(flatten(t)) rebuilds t', () => {
    const tree = { w: [[1, 2], [3]], b: { bias: 4, none: null }, p: new Point(1, 2, 'origin') };
    const { leaves, treedef } = flatten(tree);
    expect(unflatten(treedef, leaves)).toEqual(tree);
  });
  it('round-trips random JSON-like trees', () => {
    const leaf = fc.double({ noNaN: true });
    const tree = fc.letrec((self) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(self('node'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), self('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(tree, (t) => {
        const { leaves, treedef } = flatten(t);
        expect(unflatten(treedef, leaves)).toEqual(t);
      }),
    );
  });
  it('looks inside registered classes and keeps their auxiliary data', () => {
    const moved = mapTree<Point>((v: number) => v + 10, new Point(1, 2, 'p'));
    expect(moved).toBeInstanceOf(Point);
    expect(moved).toEqual(new Point(11, 12, 'p'));
  });
  it('mapTree combines trees of the same structure', () => {
    const params = { w: [1, 2], b: 3 };
    const grads = { b: 1, w: [10, 20] };
    expect(mapTree((p: number, g: number) => p - 0.1 * g, params, grads)).toEqual({ w: [0, 0], b: 2.9 });
  });
  it('rejects trees of different structures and wrong leaf counts', () => {
    expect(() => mapTree((a: number) => a, { w: [1, 2] }, { w: [1] })).toThrow(TypegradError);
    expect(() => unflatten(flatten([1, 2]).treedef, [1])).toThrow(/holds 2 leaves, got 1/);
  });
  it('keeps keys such as __proto__ as ordinary keys', () => {
    const tree = JSON.parse('{"__proto__": 1, "a": 2}');
    const back = mapTree((v: number) => v * 2, tree) as Record<string, number>;
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'a']);
    expect(back['__proto__']).toBe(2);
  });
  it('handles deep nesting without recursion, and reports a cycle', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(flatten(deep).leaves).toEqual([1]);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => flatten(cyclic)).toThrow(/a cycle\?/);
  });
});
