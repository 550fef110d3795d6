/**
 * What `train` tells a progress reporter: each step and each epoch's summary. A reporter is any
 * object with `step` and `epochEnd`: a page's live chart, a log, or the terminal bar of
 * `typegrad/node` (`progressReporter`).
 */

/** One step as a reporter sees it. */
export interface StepProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly steps: number;
  /** Mean training loss so far in this epoch. */
  readonly loss: number;
  readonly examplesPerSecond: number;
}

/** The summary of an epoch (NaN for what was not measured). */
export interface EpochProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

/** Receives `train`'s progress (its `progress` option). */
export interface ProgressReporter {
  step(progress: StepProgress): void;
  epochEnd(progress: EpochProgress): void;
}
