/**
 * The elementwise operations at the values where semantics differ between engines: ±0, ±∞,
 * NaN, integers and halves (rounding), ties (comparisons, extrema, clip bounds). Every backend
 * follows the reference (IEEE, as `Math`): NaN and ±∞ exactly, other values within 1e−12 on js
 * and wasm in float64 and within float32 accuracy elsewhere. The random programs of agreement.test.ts keep operands
 * in their domains; this file is about the edges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateTensors } from '../../src/ad/evaluate.js';
import { apply } from '../../src/ad/build.js';
import { constantNode, variableNode } from '../../src/ad/node.js';
import { wrap } from '../../src/api/wrap.js';
import { compile, initBackend, type AnyRankFun, type BackendName } from '../../src/index.js';

const VALUES = [-Infinity, -3.5, -2.5, -1, -0.5, -1e-9, -0, 0, 1e-9, 0.5, 1, 1.5, 2.5, 3.7, 40, Infinity, NaN];

/** Every pair of VALUES, as two columns. */
const pairs = VALUES.flatMap((a) => VALUES.map((b) => [a, b] as const));
const left = Float64Array.from(pairs, ([a]) => a), right = Float64Array.from(pairs, ([, b]) => b);

const a = variableNode('a', [pairs.length]), b = variableNode('b', [pairs.length]);

/** The operations under test, each a node over the columns a and b. */
const cases: Record<string, ReturnType<typeof apply>> = {
  floor: apply('floor', [a]),
  ceil: apply('ceil', [a]),
  round: apply('round', [a]),
  gt: apply('gt', [a, b]),
  ge: apply('ge', [a, b]),
  lt: apply('lt', [a, b]),
  le: apply('le', [a, b]),
  ne: apply('ne', [a, b]),
  where: apply('where', [a, b, constantNode(7)]),
  maximum: apply('maximum', [a, b]),
  minimum: apply('minimum', [a, b]),
  clip: apply('clip', [a, constantNode(-1), b]),
  stopGradient: apply('stopGradient', [a]),
  expm1: apply('expm1', [a]),
  log1p: apply('log1p', [a]),
  hypot: apply('hypot', [a, b]),
  atan2: apply('atan2', [a, b]),
  erf: apply('erf', [a]),
  erfc: apply('erfc', [a]),
  lgamma: apply('lgamma', [a]),
  digamma: apply('digamma', [a]),
  polygamma: apply('polygamma', [constantNode(1), a]),
};

const environment = new Map([['a', left], ['b', right]]);
const expected = Object.fromEntries(Object.entries(cases).map(([name, node]) => [name, evaluateTensors([node], environment)[0]!]));

/** Whether `got` is the reference `want`: the same NaN or infinity, else within `tolerance` of its magnitude (at least 1). */
function matches(got: number, want: number, tolerance: number): boolean {
  if (Number.isNaN(want) || !Number.isFinite(want)) return Object.is(got, want) || (Number.isNaN(want) && Number.isNaN(got));
  return Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want));
}

/**
 * Inputs a float32 engine cannot see as the reference does: a float32 rounds 1e−9 + 1 to 1 and
 * 40 to a value whose erfc or expm1 over/underflows, so those are compared on js only; and on
 * gpu, atan2(±0, −0) is 0 (gpu.js's atan2), where JavaScript gives ±π.
 */
const float32Exempt = (backend: BackendName, name: string, x: number, y: number) =>
  (['expm1', 'log1p', 'erfc', 'lgamma', 'digamma', 'polygamma'].includes(name) && (Math.abs(x) === 1e-9 || x === 40)) ||
  (backend === 'gpu' && name === 'atan2' && x === 0 && Object.is(y, -0));

async function check(backend: BackendName, tolerance: number, precision?: 'float32'): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, node] of Object.entries(cases)) {
    const f = wrap(node, [], new Set(['a', 'b'])) as AnyRankFun;
    const compiled = compile(f, { backend, precision, args: [wrap(a, [], new Set(['a'])), wrap(b, [], new Set(['b']))] as AnyRankFun[] }) as unknown as (x: Float64Array, y: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;
    const got = await compiled(left, right);
    const want = expected[name]!;
    pairs.forEach(([x, y], k) => {
      if (tolerance > 1e-8 && float32Exempt(backend, name, x, y)) return;
      if (!matches(got[k]!, want[k]!, tolerance)) failures.push(`${name}(${x}, ${y}): ${backend} ${got[k]}, reference ${want[k]}`);
    });
  }
  return failures;
}

describe('the new elementwise operations at ±0, ±∞, NaN, integers, halves and ties', () => {
  beforeAll(async () => {
    await initBackend('tfjs');
    await initBackend('gpu');
    await initBackend('onnx');
    await initBackend('wasm');
  });
  it('js: exactly the reference (within 1e-12)', async () => {
    expect(await check('js', 1e-12)).toEqual([]);
  });
  it('tfjs: NaN and ±∞ as the reference, the rest within float32 accuracy', async () => {
    expect(await check('tfjs', 1e-5)).toEqual([]);
  });
  it('gpu: NaN and ±∞ as the reference, the rest within float32 accuracy', async () => {
    expect(await check('gpu', 1e-5)).toEqual([]);
  });
  it('wasm, float64: exactly the reference (within 1e-12)', async () => {
    expect(await check('wasm', 1e-12)).toEqual([]);
  });
  it('wasm, float32: NaN and ±∞ as the reference, the rest within float32 accuracy', async () => {
    expect(await check('wasm', 1e-5, 'float32')).toEqual([]);
  });
  it('onnx: NaN and ±∞ as the reference, the rest within float32 accuracy', async () => {
    expect(await check('onnx', 1e-5)).toEqual([]);
  });
});
