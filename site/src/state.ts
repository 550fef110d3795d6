/**
 * What the page computed, kept in `window.typegradSite`: the page's parts write it, the site's
 * browser test reads it (types only, so the test needs no DOM types).
 */
import type { BackendName } from 'typegrad';

/** What the playground last computed. */
export interface PlaygroundState {
  readonly expression: string;
  readonly error?: string;
  readonly f?: string;
  readonly dfdx?: string;
  readonly dfdy?: string;
  readonly at?: { readonly x: number; readonly y: number };
  readonly value?: number;
  readonly gradient?: readonly [number, number];
  /** Distinct DAG nodes of f, ∂f/∂x and ∂f/∂y together. */
  readonly nodes?: number;
}

/** One run's curves: the loss per step and the accuracies per epoch. */
export interface TrainingHistory {
  readonly stepLoss: number[];
  readonly stepAccuracy: number[];
  readonly testLoss: number[];
  readonly testAccuracy: number[];
  readonly secondsPerEpoch: number[];
}

/** A digit's class probabilities and the most likely class. */
export interface Prediction {
  readonly digit: number;
  readonly probabilities: readonly number[];
}

/** Everything the page computed. */
export interface SiteState {
  playground?: PlaygroundState;
  /** The WebGL renderer the page got, as the driver names it. */
  renderer: string;
  training: {
    status: 'idle' | 'running' | 'done' | 'failed';
    backend?: BackendName;
    /** What ran the training, e.g. `gpu.js webgl2`. */
    engine?: string;
    /** Why this backend (a fallback says why). */
    note?: string;
    digits?: { train: number; test: number };
    history?: TrainingHistory;
    error?: string;
  };
  prediction?: Prediction;
}
