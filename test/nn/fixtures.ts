/** A small classification problem for the training tests: three Gaussian clouds in the plane. */
import { dense, Random, sequential, type Dataset } from '../../src/nn/index.js';

export function clouds(count: number, seed = 'clouds'): Dataset {
  const random = new Random(seed);
  const centres = [[2, 0], [-1, 1.7], [-1, -1.7]] as const;
  const inputs = new Float64Array(count * 2);
  const targets = new Float64Array(count * 3);
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    inputs[2 * i] = random.normal(centres[k]![0], 0.6);
    inputs[2 * i + 1] = random.normal(centres[k]![1], 0.6);
    targets[3 * i + k] = 1;
  }
  return { inputs, targets };
}

/** 2 → 8 (relu) → 3 logits. */
export const smallModel = () => sequential(dense('h', 2, 8, { activation: 'relu' }), dense('o', 8, 3));

/** A stream that records what is written. */
export function recorder(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(text: string) { this.text += text; } };
}
