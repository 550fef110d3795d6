/**
 * Training progress on a stream: on a terminal, a bar with the epoch, step, loss and throughput
 * redrawn in place; elsewhere (a pipe, a log file, a test) one line per epoch.
 */
import { TypegradError } from '../ad/errors.js';
import { describeValue } from '../api/record.js';
import type { EpochProgress, ProgressReporter, StepProgress } from '../nn/progress.js';

/** `auto`: a bar on a terminal, lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Where progress is written: `process.stdout` or anything with `write` (and `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 24;
/** Redraw the bar at most this often: a terminal cannot show 1,000 redraws a second anyway. */
const REDRAW_MS = 100;

/**
 * The reporter for `mode` on `stream` (default standard output), for `train`'s `progress` option.
 * @example train(model, data, { epochs: 5, progress: progressReporter() })
 */
export function progressReporter(mode: ProgressMode = 'auto', stream: ProgressStream = process.stdout): ProgressReporter {
  if (!(['auto', 'bar', 'lines', 'none'] as unknown[]).includes(mode)) {
    throw new TypegradError(`progressReporter: mode must be 'auto', 'bar', 'lines' or 'none', got ${describeValue(mode)}`);
  }
  const resolved = mode === 'auto' ? (stream.isTTY === true ? 'bar' : 'lines') : mode;
  if (resolved === 'none') return { step: () => {}, epochEnd: () => {} };
  if (resolved === 'lines') return { step: () => {}, epochEnd: (p) => stream.write(`${epochLine(p)}\n`) };
  let lastDraw = -Infinity;
  return {
    step: (p) => {
      const now = performance.now();
      if (p.step < p.steps && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      stream.write(`\r\x1b[2K${barLine(p)}`);
    },
    epochEnd: (p) => {
      lastDraw = -Infinity;
      stream.write(`\r\x1b[2K${epochLine(p)}\n`);
    },
  };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const width = (n: number) => String(n).length;

/** `epoch 2/5 [=========>              ] 48/125  loss 0.2841  1,523 examples/s` */
export function barLine(p: StepProgress): string {
  const filled = Math.round((BAR_WIDTH * p.step) / p.steps);
  const bar = filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled - 1)}`;
  const step = `${String(p.step).padStart(width(p.steps))}/${p.steps}`;
  return `epoch ${String(p.epoch).padStart(width(p.epochs))}/${p.epochs} [${bar}] ${step}  loss ${p.loss.toFixed(4)}  ${Math.round(p.examplesPerSecond).toLocaleString('en-US')} examples/s`;
}

/** `epoch 2/5  loss 0.2841  accuracy 91.20%  validation loss 0.2600  validation accuracy 92.35%  5.1 s  1,569 examples/s` */
export function epochLine(p: EpochProgress): string {
  const parts = [`epoch ${String(p.epoch).padStart(width(p.epochs))}/${p.epochs}`, `loss ${p.loss.toFixed(4)}`];
  if (!Number.isNaN(p.accuracy)) parts.push(`accuracy ${percent(p.accuracy)}`);
  if (!Number.isNaN(p.validationLoss)) parts.push(`validation loss ${p.validationLoss.toFixed(4)}`);
  if (!Number.isNaN(p.validationAccuracy)) parts.push(`validation accuracy ${percent(p.validationAccuracy)}`);
  parts.push(`${p.seconds.toFixed(1)} s`, `${Math.round(p.examplesPerSecond).toLocaleString('en-US')} examples/s`);
  return parts.join('  ');
}
