/**
 * Every tensor primitive, with its arity and attrs chosen from a random number: the one list the
 * random tensor program generators (test/ad, test/backend) draw from, so a new tensor primitive
 * is added to both at once.
 */
export const TENSOR_OPERATIONS: readonly (readonly [name: string, arity: number, attrs: (k: number) => number[]])[] = [
  ['matmul', 2, () => []], ['transpose', 1, () => []], ['max', 1, (k) => (k % 3 === 2 ? [] : [k % 2])],
  ['sum', 1, (k) => (k % 3 === 2 ? [] : [k % 2])], ['logsumexp', 1, (k) => (k % 3 === 2 ? [] : [k % 2])], ['softmax', 1, () => []],
  ['get', 1, (k) => [k % 2, (k >> 1) % 2]], ['get', 1, (k) => [k % 2]],
  ['slice', 1, (k) => [k % 2, 0, 1 + (k % 2)]], ['pad', 1, (k) => [k % 2, k % 2, 1]],
  ['concat', 2, (k) => [k % 2]], ['reshape', 1, (k) => (k % 2 === 0 ? [6] : [3, 2])], ['reshape', 1, () => [2, 3]],
  ['broadcast', 1, (k) => (k % 2 === 0 ? [2, 3] : [3])],
  ['pack', 2, () => [2]], ['pack', 1, () => [1, 1]],
];
