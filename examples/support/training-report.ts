/**
 * What the MNIST demos (mnist.ts, cnn.ts) print and draw after training: the per-epoch table,
 * the final test accuracy and the loss/accuracy curves as an SVG under out/.
 */
import type { TrainResult } from 'typegrad/nn';
import { lineChart } from 'typegrad/viz';
import { writeOutput } from '../output.js';

/** Prints the epoch table and the final accuracy, and writes the curves to out/`file`. */
export function reportTraining(result: TrainResult<string>, file: string, title: string): void {
  const { history } = result;
  console.log('\nepoch  train loss  train accuracy  test loss  test accuracy  seconds');
  history.loss.forEach((loss, k) => {
    const cells = [
      String(k + 1).padStart(5),
      loss.toFixed(4).padStart(10),
      `${(100 * history.accuracy[k]!).toFixed(2)}%`.padStart(14),
      history.validationLoss[k]!.toFixed(4).padStart(9),
      `${(100 * history.validationAccuracy[k]!).toFixed(2)}%`.padStart(13),
      history.seconds[k]!.toFixed(1).padStart(7),
    ];
    console.log(cells.join('  '));
  });
  console.log(`\ntest accuracy after ${result.epochs} epochs: ${(100 * history.validationAccuracy.at(-1)!).toFixed(2)}%`);

  const epochs = history.loss.map((_, k) => k + 1);
  writeOutput(file, lineChart({
    title,
    x: { label: 'epoch' },
    y: { label: 'softmax cross-entropy', min: 0 },
    y2: { label: 'accuracy' },
    legend: 'outside',
    series: [
      { name: 'training loss', x: epochs, y: history.loss, points: true },
      { name: 'test loss', x: epochs, y: history.validationLoss, points: true, dash: '6 3' },
      { name: 'training accuracy', x: epochs, y: history.accuracy, axis: 'right', points: true },
      { name: 'test accuracy', x: epochs, y: history.validationAccuracy, axis: 'right', points: true, dash: '6 3' },
    ],
  }));
}
