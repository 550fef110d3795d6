/** The progress reporter: a bar on a terminal, lines elsewhere, nothing when asked. */
import { describe, expect, it } from 'vitest';
import { barLine, epochLine, progressReporter } from '../../src/node/index.js';
import { recorder } from '../nn/fixtures.js';

const step = { epoch: 2, epochs: 5, step: 63, steps: 125, loss: 0.28414, examplesPerSecond: 1523.4 };
const epoch = { epoch: 2, epochs: 5, loss: 0.28414, accuracy: 0.912, validationLoss: 0.26, validationAccuracy: 0.92353, seconds: 5.12, examplesPerSecond: 1569 };

describe('progress', () => {
  it('draws a bar with the epoch, step, loss and throughput', () => {
    expect(barLine(step)).toBe('epoch 2/5 [============>           ]  63/125  loss 0.2841  1,523 examples/s');
    expect(barLine({ ...step, step: 125 })).toContain('[========================] 125/125');
  });

  it('summarises an epoch in one line, leaving out what was not measured', () => {
    expect(epochLine(epoch)).toBe('epoch 2/5  loss 0.2841  accuracy 91.20%  validation loss 0.2600  validation accuracy 92.35%  5.1 s  1,569 examples/s');
    expect(epochLine({ ...epoch, accuracy: NaN, validationLoss: NaN, validationAccuracy: NaN })).toBe('epoch 2/5  loss 0.2841  5.1 s  1,569 examples/s');
  });

  it('auto: redraws in place on a terminal, one line per epoch elsewhere', () => {
    const terminal = recorder(true);
    const bar = progressReporter('auto', terminal);
    bar.step({ ...step, step: 1 });
    bar.step({ ...step, step: 125 }); // the last step is always drawn
    bar.epochEnd(epoch);
    expect(terminal.text.split('\r\x1b[2K')).toHaveLength(4);
    expect(terminal.text.endsWith(`${epochLine(epoch)}\n`)).toBe(true);

    const pipe = recorder(false);
    const lines = progressReporter('auto', pipe);
    lines.step(step);
    lines.epochEnd(epoch);
    expect(pipe.text).toBe(`${epochLine(epoch)}\n`);

    const none = recorder(true);
    progressReporter('none', none).epochEnd(epoch);
    expect(none.text).toBe('');
  });
});

describe('progress option', () => {
  it('rejects a mode that is not one of auto, bar, lines, none', async () => {
    const { progressReporter } = await import('../../src/node/progress.js');
    expect(() => progressReporter(false as never, { write: () => true })).toThrow(/progressReporter: mode must be 'auto', 'bar', 'lines' or 'none', got boolean false/);
  });
});
