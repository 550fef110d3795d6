/**
 * The convolutional demo (`npm run demo:cnn`): a LeNet-style network (conv 5×5×6 relu → max-pool
 * 2 → conv 5×5×16 relu → max-pool 2 → flatten → dense 120 relu → dense 10; softmax
 * cross-entropy, Adam lr 1e-3, batch 64, He and Glorot initialisation, fixed seed) trained on
 * 8,000 MNIST digits from the `mnist` package and tested on the other 2,000, with no network and
 * no set-up. Every shape in it is checked by the type checker: a second convolution expecting 8
 * channels, or a dense layer of 200 inputs after the flatten (which gives 256), does not compile.
 * It shows progress while it trains, prints the test accuracy per epoch, writes the loss and
 * accuracy curves as an SVG chart and the trained parameters as JSON, and reloads them to check.
 *
 * A shorter run for the smoke test: TYPEGRAD_MNIST_EPOCHS, TYPEGRAD_MNIST_TRAIN and
 * TYPEGRAD_MNIST_TEST override the 5 epochs, 8,000 and 2,000 digits.
 */
import { adam, conv2dLayer, dense, evaluate, flattenLayer, inputLayer, maxPool2dLayer, parametersToJson, sequential, train } from 'typegrad/nn';
import { loadMnist, loadParameters, progressReporter } from 'typegrad/node';
import { writeOutput } from './output.js';
import { reportTraining } from './support/training-report.js';

const setting = (name: string, fallback: number) => Number(process.env[`TYPEGRAD_MNIST_${name}`] ?? fallback);
const epochs = setting('EPOCHS', 5);
const { train: digits, test } = loadMnist({ train: setting('TRAIN', 8000), test: setting('TEST', 2000), seed: 0 });

const model = sequential(
  inputLayer([28, 28, 1]),
  conv2dLayer('c1', 1, 6, 5, { activation: 'relu' }), // [24, 24, 6], He uniform
  maxPool2dLayer(2), // [12, 12, 6]
  conv2dLayer('c2', 6, 16, 5, { activation: 'relu' }), // [8, 8, 16]
  maxPool2dLayer(2), // [4, 4, 16]
  flattenLayer(), // [256]
  dense('d1', 256, 120, { activation: 'relu' }),
  dense('d2', 120, 10), // logits, Glorot uniform
);
const testSet = { inputs: test.images, targets: test.oneHot };

console.log(`MNIST: ${digits.count} training digits, ${test.count} test digits; LeNet-style model [28, 28, 1] → conv 5×5×6 relu → max-pool 2 → conv 5×5×16 relu → max-pool 2 → dense 120 relu → 10, softmax cross-entropy, adam(lr=0.001), batch 64`);
const result = train(model, { inputs: digits.images, targets: digits.oneHot }, {
  epochs,
  batchSize: 64,
  optimizer: adam({ lr: 1e-3 }),
  seed: 2024,
  validation: testSet,
  progress: progressReporter(),
});
console.log(`engine: ${result.stats.engine}; gradient derived ${result.stats.derivations} time, ${result.stats.compilations} programs made, ${result.stats.steps} steps`);

reportTraining(result, 'cnn-training.svg', `MNIST LeNet: loss and accuracy per epoch (${digits.count} training digits)`);

// The trained parameters as JSON, read back into the model and checked against the test set.
const path = writeOutput('mnist-cnn.json', parametersToJson(model, result.params));
const reloaded = evaluate(model, loadParameters(path, model), testSet);
console.log(`reloaded ${path.split('/').at(-1)}: test accuracy ${(100 * reloaded.accuracy).toFixed(2)}%`);
