/**
 * The site's digits file (`mnist-subset.bin`, written by the build, read by the page): MNIST
 * images as bytes, a tenth of the `mnist` package's JSON.
 *
 * Layout, little-endian: the magic `TGD1`, the uint32 counts of training and test digits, then
 * per set (training first) its labels (one byte each) and its pixels (784 bytes per image, row
 * by row, 0 background to 255 ink).
 */

/** Digits with their labels. */
export interface DigitSet {
  readonly labels: Uint8Array;
  /** labels.length × 784 grey levels, 0–255. */
  readonly pixels: Uint8Array;
}

const MAGIC = 'TGD1';
const PIXELS = 784;

/** The file's bytes for a training and a test set. */
export function encodeDigits(sets: { train: DigitSet; test: DigitSet }): Uint8Array {
  const { train, test } = sets;
  const bytes = new Uint8Array(12 + (train.labels.length + test.labels.length) * (1 + PIXELS));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, train.labels.length, true);
  view.setUint32(8, test.labels.length, true);
  let offset = 12;
  for (const set of [train, test]) {
    bytes.set(set.labels, offset);
    offset += set.labels.length;
    bytes.set(set.pixels, offset);
    offset += set.pixels.length;
  }
  return bytes;
}

/** Reads the file's bytes back; a file of another layout is an error naming what is wrong. */
export function decodeDigits(bytes: Uint8Array): { train: DigitSet; test: DigitSet } {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < 12 || magic !== MAGIC) throw new Error(`digits file: expected the magic ${MAGIC}, got ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = [view.getUint32(4, true), view.getUint32(8, true)] as const;
  const expected = 12 + (counts[0] + counts[1]) * (1 + PIXELS);
  if (bytes.length !== expected) throw new Error(`digits file: ${counts[0]} + ${counts[1]} digits need ${expected} bytes, the file has ${bytes.length}`);
  let offset = 12;
  const [train, test] = counts.map((n) => {
    const labels = bytes.subarray(offset, offset + n);
    offset += n;
    const pixels = bytes.subarray(offset, offset + n * PIXELS);
    offset += n * PIXELS;
    return { labels, pixels };
  });
  return { train: train!, test: test! };
}
