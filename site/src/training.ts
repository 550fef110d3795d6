/**
 * Training in the page: the MNIST perceptron of `npm run demo` (784→128 relu→10, softmax
 * cross-entropy, Adam 1e−3, batch 64) on digits the build ships as a static file.
 *
 * The loss and its gradient by every parameter are derived once (`grad`, one reverse pass) and
 * compiled once (`compileProgram`) for the chosen backend, as `train` does; the page runs the
 * steps itself because `train` is synchronous and a page must give the browser the thread back
 * between steps to draw the curves.
 */
import { MVar, TypegradError, grad, initBackend, type BackendName, type SFun } from 'typegrad';
import { Random, adam, compileProgram, dense, sequential, softmaxCrossEntropy, type ParameterValues } from 'typegrad/nn';
import { drawChart } from './chart.js';
import { decodeDigits, type DigitSet } from './digits-file.js';
import type { TrainingHistory } from './state.js';

export const BATCH = 64;
const EVALUATION_BATCH = 50;
const PIXELS = 784, CLASSES = 10;

/** The network: the same layers as examples/mnist.ts. */
export const model = sequential(dense('l1', 784, 128, { activation: 'relu' }), dense('l2', 128, 10));
export type Parameters = ParameterValues<keyof typeof model.parameters & string>;

/** Images as inputs in [0, 1] and one-hot targets, row-major. */
export interface Examples {
  readonly count: number;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

function examplesOf(set: DigitSet, count: number): Examples {
  const n = Math.min(count, set.labels.length);
  const inputs = new Float64Array(n * PIXELS);
  for (let i = 0; i < n * PIXELS; i++) inputs[i] = set.pixels[i]! / 255;
  const targets = new Float64Array(n * CLASSES);
  for (let r = 0; r < n; r++) targets[r * CLASSES + set.labels[r]!] = 1;
  return { count: n, inputs, targets };
}

/** The digits the build wrote, as training and test examples (the first `train`/`test` of each). */
export async function loadDigits(train: number, test: number): Promise<{ train: Examples; test: Examples }> {
  const response = await fetch('mnist-subset.bin');
  if (!response.ok) throw new Error(`mnist-subset.bin: HTTP ${response.status}`);
  const sets = decodeDigits(new Uint8Array(await response.arrayBuffer()));
  return { train: examplesOf(sets.train, train), test: examplesOf(sets.test, test - (test % EVALUATION_BATCH)) };
}

/** The WebGL renderer the page got (what the GPU driver reports: SwiftShader is a CPU renderer). */
export function webglRenderer(): string {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return 'none (WebGL is not available)';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl.getParameter(debug === null ? gl.RENDERER : debug.UNMASKED_RENDERER_WEBGL) as string;
  return `${renderer} (${gl instanceof WebGLRenderingContext ? 'WebGL 1' : 'WebGL 2'})`;
}

/** The backend training runs on: gpu where gpu.js runs on the page's WebGL, else js, and why. */
export async function chooseBackend(wanted: 'auto' | BackendName): Promise<{ backend: BackendName; engine: string; note: string }> {
  if (wanted === 'js') return { backend: 'js', engine: 'generated JavaScript', note: 'as selected' };
  try {
    const info = await initBackend('gpu');
    if (info.engine === 'webgl' || info.engine === 'webgl2' || wanted === 'gpu') return { backend: 'gpu', engine: `gpu.js ${info.engine}`, note: info.notes.join('; ') };
    return { backend: 'js', engine: 'generated JavaScript', note: `gpu.js found no WebGL (its mode: ${info.engine}), so training falls back to js` };
  } catch (error) {
    if (!(error instanceof TypegradError)) throw error;
    return { backend: 'js', engine: 'generated JavaScript', note: `the gpu backend did not load (${error.message}), so training falls back to js` };
  }
}

/** Options of a run. */
export interface RunOptions {
  readonly epochs: number;
  readonly backend: BackendName;
  readonly seed?: number;
  /** After each step and each epoch. */
  readonly onProgress: (history: TrainingHistory, status: string) => void;
  /** Polled between steps: true stops the run after the current step. */
  readonly stopped?: () => boolean;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function argmax(values: ArrayLike<number>, offset: number): number {
  let best = 0;
  for (let j = 1; j < CLASSES; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

/** Trains the model; resolves with the trained parameters and the history. */
export async function trainInPage(data: { train: Examples; test: Examples }, options: RunOptions): Promise<{ params: Parameters; history: TrainingHistory }> {
  const names = Object.keys(model.parameters) as (keyof Parameters)[];
  const images = MVar('images', BATCH, 784), labels = MVar('labels', BATCH, 10);
  const logits = model.apply(images);
  const loss = softmaxCrossEntropy(logits, labels);
  const gradient = grad(loss, model.parameters) as Record<string, SFun<string>>;
  const step = compileProgram([loss, logits, ...names.map((n) => gradient[n]!)] as never, { backend: options.backend });

  const testImages = MVar('images', EVALUATION_BATCH, 784), testLabels = MVar('labels', EVALUATION_BATCH, 10);
  const testLogits = model.apply(testImages);
  const forward = compileProgram([softmaxCrossEntropy(testLogits, testLabels), testLogits] as never, { backend: options.backend });

  const random = new Random(options.seed ?? 2024);
  const params = model.init(random) as Parameters;
  const optimizer = adam({ lr: 1e-3 });
  const state = optimizer.init(params);
  const environment = new Map<string, Float64Array>(names.map((n) => [n, params[n]]));
  const batchInputs = new Float64Array(BATCH * PIXELS), batchTargets = new Float64Array(BATCH * CLASSES);
  environment.set('images', batchInputs).set('labels', batchTargets);
  const history: TrainingHistory = { stepLoss: [], stepAccuracy: [], testLoss: [], testAccuracy: [], secondsPerEpoch: [] };
  const steps = Math.floor(data.train.count / BATCH);
  if (steps === 0) throw new Error(`training needs at least ${BATCH} digits, got ${data.train.count}`);

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const start = performance.now();
    const order = random.permutation(data.train.count);
    for (let s = 0; s < steps; s++) {
      for (let r = 0; r < BATCH; r++) {
        const row = order[s * BATCH + r]!;
        batchInputs.set(data.train.inputs.subarray(row * PIXELS, (row + 1) * PIXELS), r * PIXELS);
        batchTargets.set(data.train.targets.subarray(row * CLASSES, (row + 1) * CLASSES), r * CLASSES);
      }
      const [lossValue, outputs, ...gradients] = step.run(environment);
      const grads = Object.fromEntries(names.map((n, k) => [n, gradients[k]!]));
      optimizer.step(params, grads, state);
      let correct = 0;
      for (let r = 0; r < BATCH; r++) if (argmax(outputs!, r * CLASSES) === argmax(batchTargets, r * CLASSES)) correct++;
      history.stepLoss.push(lossValue![0]!);
      history.stepAccuracy.push(correct / BATCH);
      options.onProgress(history, `epoch ${epoch}/${options.epochs}, step ${s + 1}/${steps}`);
      await nextTask();
      if (options.stopped?.() === true) return { params, history };
    }
    // The test set, in batches of EVALUATION_BATCH (the program is made for that many rows).
    const testEnvironment = new Map(environment);
    let testLoss = 0, testCorrect = 0;
    for (let first = 0; first < data.test.count; first += EVALUATION_BATCH) {
      const rows = { inputs: data.test.inputs.subarray(first * PIXELS, (first + EVALUATION_BATCH) * PIXELS), targets: data.test.targets.subarray(first * CLASSES, (first + EVALUATION_BATCH) * CLASSES) };
      testEnvironment.set('images', rows.inputs).set('labels', rows.targets);
      const [lossValue, outputs] = forward.run(testEnvironment);
      testLoss += lossValue![0]! * EVALUATION_BATCH;
      for (let r = 0; r < EVALUATION_BATCH; r++) if (argmax(outputs!, r * CLASSES) === argmax(rows.targets, r * CLASSES)) testCorrect++;
    }
    history.testLoss.push(testLoss / data.test.count);
    history.testAccuracy.push(testCorrect / data.test.count);
    history.secondsPerEpoch.push((performance.now() - start) / 1000);
    options.onProgress(history, `epoch ${epoch}/${options.epochs} done`);
    await nextTask();
  }
  return { params, history };
}

/** Draws the loss and accuracy curves (x: epochs, fractional within an epoch). */
export function drawHistory(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement, history: TrainingHistory, stepsPerEpoch: number, epochs: number): void {
  const stepX = history.stepLoss.map((_, k) => (k + 1) / stepsPerEpoch);
  const epochX = history.testLoss.map((_, k) => k + 1);
  const smooth = (values: number[]) => {
    let average = values[0] ?? 0;
    return values.map((v) => (average = 0.8 * average + 0.2 * v));
  };
  drawChart(lossCanvas, {
    xLabel: 'epoch',
    xRange: [0, epochs],
    yRange: [0, Math.max(0.5, ...history.stepLoss.slice(0, 3)) * 1.05],
    series: [
      { name: 'training loss (batches)', color: '#1f6feb', x: stepX, y: smooth(history.stepLoss) },
      { name: 'test loss', color: '#d9480f', x: epochX, y: history.testLoss, dash: [6, 4], dots: true },
    ],
  });
  drawChart(accuracyCanvas, {
    xLabel: 'epoch',
    xRange: [0, epochs],
    yRange: [0, 1],
    series: [
      { name: 'training accuracy (batches)', color: '#1f6feb', x: stepX, y: smooth(history.stepAccuracy) },
      { name: 'test accuracy', color: '#d9480f', x: epochX, y: history.testAccuracy, dash: [6, 4], dots: true },
    ],
  });
}

