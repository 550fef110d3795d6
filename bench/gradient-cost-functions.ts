/** The functions of the gradient-cost benchmark, shared with its test (test/api/gradient-cost.test.ts). */
import { MFun, relu, Var, VFun, type SFun } from '../src/index.js';

/** Σᵢ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² in the scalar variables x0 … x(n−1). */
export function rosenbrock(n: number): SFun<string> {
  const x = Array.from({ length: n }, (_, i) => Var(`x${i}`));
  let f: SFun<string> = x[0]!.sub(x[0]!); // 0 with x0 declared
  for (let i = 0; i < n - 1; i++) {
    f = f.add(x[i + 1]!.sub(x[i]!.pow(2)).pow(2).mul(100)).add(x[i]!.sub(1).neg().pow(2));
  }
  return f;
}

/** The same function on one vector variable, with slices: size independent of n. */
export function vectorRosenbrock(x: VFun<number, string>): SFun<string> {
  const n = x.length;
  const head = x.slice(0, n - 1), tail = x.slice(1, n);
  return tail.sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

/** Mean softmax cross-entropy of a two-layer relu network on a batch X with one-hot labels Y. */
export function mlpLoss(
  X: MFun<number, number, string>,
  Y: MFun<number, number, string>,
  p: { W1: MFun<number, number, string>; b1: VFun<number, string>; W2: MFun<number, number, string>; b2: VFun<number, string> },
): SFun<string> {
  const logits = relu(X.matmul(p.W1).add(p.b1)).matmul(p.W2).add(p.b2);
  return logits.logsumexp(1).sub(Y.mul(logits).sum(1)).mean();
}
