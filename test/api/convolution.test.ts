/**
 * conv2d, maxPool2d, avgPool2d and flatten through the typed API: values against loops written
 * here from TensorFlow's definitions, options, and the run-time checks of dimensions known only
 * then, in the words of the compile-time messages (test-d/fixtures/fail/convolution.ts).
 */
import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, maxPool2d, Tensor, TVar, TypegradError } from '../../src/index.js';

/** Hides a literal from the type checker, as a size read from data would be. */
const atRunTime = (size: number): number => size;

/** Values in [−1, 1) from a seed, deterministic. */
const values = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7 + seed * 1.3));

/** A convolution by nested loops, from TensorFlow's definition: explicit padding [top, bottom, left, right]. */
function naiveConv(x: Float64Array, [N, H, W, C]: number[], k: Float64Array, [KH, KW, , O]: number[], [sh, sw]: number[], [pt, pb, pl, pr]: number[], [dh, dw]: number[]) {
  const OH = Math.floor((H! + pt! + pb! - ((KH! - 1) * dh! + 1)) / sh!) + 1, OW = Math.floor((W! + pl! + pr! - ((KW! - 1) * dw! + 1)) / sw!) + 1;
  const out: number[] = [];
  for (let n = 0; n < N!; n++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) for (let o = 0; o < O!; o++) {
    let total = 0;
    for (let a = 0; a < KH!; a++) for (let b = 0; b < KW!; b++) for (let c = 0; c < C!; c++) {
      const r = i * sh! - pt! + a * dh!, w = j * sw! - pl! + b * dw!;
      if (r >= 0 && r < H! && w >= 0 && w < W!) total += x[((n * H! + r) * W! + w) * C! + c]! * k[((a * KW! + b) * C! + c) * O! + o]!;
    }
    out.push(total);
  }
  return { out, shape: [N!, OH, OW, O!] };
}

const flat = (nested: unknown) => (nested as number[]).flat(4) as number[];

describe('conv2d', () => {
  const x = values(2 * 7 * 6 * 3, 1), k = values(3 * 2 * 3 * 4, 2);
  const X = Tensor(x, [2, 7, 6, 3]), K = Tensor(k, [3, 2, 3, 4]);

  it("'valid' padding, strides and dilations per axis", () => {
    const y = conv2d(X, K, { strides: [2, 1], dilations: [1, 2] });
    const expected = naiveConv(x, [2, 7, 6, 3], k, [3, 2, 3, 4], [2, 1], [0, 0, 0, 0], [1, 2]);
    expect(y.shape).toEqual(expected.shape);
    expect(flat(y.eval())).toEqual(expected.out);
  });

  it("'same' padding: ⌈size / stride⌉ positions, the odd padding element after (TensorFlow's rule)", () => {
    const y = conv2d(X, K, { strides: 2, padding: 'same' });
    expect(y.shape).toEqual([2, 4, 3, 4]);
    // Rows: 4 positions need (4 − 1)·2 + 3 − 7 = 2 padding rows, 1 and 1; columns: (3 − 1)·2 + 2 − 6 = 0.
    expect(flat(y.eval())).toEqual(naiveConv(x, [2, 7, 6, 3], k, [3, 2, 3, 4], [2, 2], [1, 1, 0, 0], [1, 1]).out);
    const odd = conv2d(Tensor(values(16, 3), [1, 4, 4, 1]), Tensor(values(4, 4), [2, 2, 1, 1]), { padding: 'same' });
    expect(flat(odd.eval())).toEqual(naiveConv(values(16, 3), [1, 4, 4, 1], values(4, 4), [2, 2, 1, 1], [1, 1], [0, 1, 0, 1], [1, 1]).out);
  });

  it('explicit padding: one number, [rows, columns], or [[top, bottom], [left, right]]', () => {
    const geometry = [[2, 7, 6, 3], k, [3, 2, 3, 4], [1, 1]] as const;
    expect(flat(conv2d(X, K, { padding: 1 }).eval())).toEqual(naiveConv(x, [...geometry[0]], k, [...geometry[2]], [1, 1], [1, 1, 1, 1], [1, 1]).out);
    expect(flat(conv2d(X, K, { padding: [2, 0] }).eval())).toEqual(naiveConv(x, [2, 7, 6, 3], k, [3, 2, 3, 4], [1, 1], [2, 2, 0, 0], [1, 1]).out);
    expect(flat(conv2d(X, K, { padding: [[0, 1], [3, 0]] }).eval())).toEqual(naiveConv(x, [2, 7, 6, 3], k, [3, 2, 3, 4], [1, 1], [0, 1, 3, 0], [1, 1]).out);
  });

  it('checks dimensions known only at run time in the words of the compile-time message', () => {
    const images = TVar('images', [64, 28, 28, atRunTime(1)]);
    expect(() => conv2d(images, TVar('k', [5, 5, atRunTime(3), 6]))).toThrow(
      new TypegradError('conv2d: shape mismatch: cannot convolve tensor[64×28×28×1] with the kernel tensor[5×5×3×6] (input channels 1 and 3)'),
    );
    expect(() => conv2d(TVar('small', [64, atRunTime(4), atRunTime(4), 1]), TVar('k', [5, 5, 1, 6]), { padding: 'valid' })).toThrow(
      new TypegradError('conv2d: shape mismatch: cannot convolve tensor[64×4×4×1] with the kernel tensor[5×5×1×6] (the 5×5 window does not fit in the padded 4×4)'),
    );
    expect(() => conv2d(TVar('small', [64, atRunTime(6), atRunTime(6), 1]), TVar('k', [5, 5, 1, 6]), { padding: 1, dilations: 2 })).toThrow(/\(the 9×9 window does not fit in the padded 8×8\)/);
    expect(() => conv2d(TVar('rows', [64, 784] as number[]), TVar('k', [5, 5, 1, 6]))).toThrow(
      new TypegradError('conv2d: shape mismatch: conv2d takes an input [batch, height, width, channels], got matrix[64×784]'),
    );
    expect(conv2d(images, TVar('k', [5, 5, 1, 6])).shape).toEqual([64, 24, 24, 6]);
  });

  it('refuses bad options, naming them', () => {
    const bad = (options: unknown) => () => conv2d(X, K, options as never);
    expect(bad({ strides: 0 })).toThrow(new TypegradError('conv2d: strides must be a positive integer or a pair [rows, columns] of them, got 0'));
    expect(bad({ padding: 'full' })).toThrow(/conv2d: padding must be 'valid', 'same', a natural number, \[rows, columns\] or \[\[top, bottom\], \[left, right\]\], got "full"/);
    expect(bad({ dilation: 2 })).toThrow(new TypegradError("conv2d: unknown option 'dilation' (the options are strides, padding, dilations)"));
    expect(bad({ dilations: [1, 1.5] })).toThrow(/dilations must be a positive integer/);
  });
});

describe('pooling', () => {
  const x = values(2 * 5 * 6 * 2, 5);
  const X = Tensor(x, [2, 5, 6, 2]);
  /** Pooling by loops: each window's elements that are not padding. */
  function naivePool(reduce: (window: number[]) => number, [kh, kw]: number[], [sh, sw]: number[], [pt, pb, pl, pr]: number[]) {
    const [N, H, W, C] = [2, 5, 6, 2];
    const OH = Math.floor((H + pt! + pb! - kh!) / sh!) + 1, OW = Math.floor((W + pl! + pr! - kw!) / sw!) + 1;
    const out: number[] = [];
    for (let n = 0; n < N; n++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) for (let c = 0; c < C; c++) {
      const window: number[] = [];
      for (let a = 0; a < kh!; a++) for (let b = 0; b < kw!; b++) {
        const r = i * sh! - pt! + a, w = j * sw! - pl! + b;
        if (r >= 0 && r < H && w >= 0 && w < W) window.push(x[((n * H + r) * W + w) * C + c]!);
      }
      out.push(reduce(window));
    }
    return { out, shape: [N, OH, OW, C] };
  }
  const largest = (w: number[]) => Math.max(...w);
  const mean = (w: number[]) => w.reduce((s, v) => s + v, 0) / w.length;

  it('max and average over windows, strides defaulting to the window', () => {
    const m = maxPool2d(X, 2), a = avgPool2d(X, [2, 3]);
    expect(m.shape).toEqual([2, 2, 3, 2]);
    expect(flat(m.eval())).toEqual(naivePool(largest, [2, 2], [2, 2], [0, 0, 0, 0]).out);
    expect(flat(a.eval())).toEqual(naivePool(mean, [2, 3], [2, 3], [0, 0, 0, 0]).out);
  });

  it("'same' and explicit padding: padding holds no element (max ignores it, the average does not count it)", () => {
    const m = maxPool2d(X, 3, { strides: 2, padding: 'same' }), a = avgPool2d(X, 3, { strides: 2, padding: 'same' });
    // Rows: 3 positions need (3 − 1)·2 + 3 − 5 = 2 padding rows, 1 and 1; columns: (3 − 1)·2 + 3 − 6 = 1, after.
    const same = naivePool(largest, [3, 3], [2, 2], [1, 1, 0, 1]);
    expect(m.shape).toEqual(same.shape);
    expect(flat(m.eval())).toEqual(same.out);
    expect(flat(a.eval())).toEqual(naivePool(mean, [3, 3], [2, 2], [1, 1, 0, 1]).out);
    expect(flat(avgPool2d(X, 2, { strides: 1, padding: [[1, 0], [0, 1]] }).eval())).toEqual(naivePool(mean, [2, 2], [1, 1], [1, 0, 0, 1]).out);
    expect(() => maxPool2d(X, 2, { padding: 2 })).toThrow(/padding \[2, 2, 2, 2\] must be smaller than the 2×2 window/);
  });

  it('checks dimensions known only at run time in the words of the compile-time message', () => {
    expect(() => maxPool2d(TVar('tiny', [64, atRunTime(1), atRunTime(1), 6]), 2)).toThrow(
      new TypegradError('maxPool2d: shape mismatch: cannot pool tensor[64×1×1×6] (the 2×2 window does not fit in the padded 1×1)'),
    );
    expect(() => avgPool2d(TVar('flat', [64, 6] as number[]), 2)).toThrow(/avgPool2d: shape mismatch: pooling takes an input \[batch, height, width, channels\], got matrix\[64×6\]/);
  });
});

describe('flatten', () => {
  it('from an axis on, keeping the axes before it', () => {
    const t = Tensor(values(2 * 3 * 4, 6), [2, 3, 4]);
    expect(t.flatten(1).node.shape).toEqual([2, 12]);
    expect(t.flatten(-1).node.shape).toEqual([2, 3, 4]);
    expect(t.flatten().node.shape).toEqual([24]);
    expect(flat(t.flatten(1).eval())).toEqual(Array.from(values(24, 6)));
    expect(() => t.flatten(3 as never)).toThrow(/axis 3 does not exist on tensor\[2×3×4\]/);
  });
});
