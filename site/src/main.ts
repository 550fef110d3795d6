/**
 * The site's page: the playground, training in the page, and the drawing pad. What each part
 * computed is also kept in `window.typegradSite`, which the site's browser test reads.
 */
import { backendInfo, type BackendName } from 'typegrad';
import { classifier, setUpPad, showDigit, toMnist } from './drawing.js';
import { setUpPlayground } from './playground.js';
import type { Prediction, SiteState } from './state.js';
import { BATCH, chooseBackend, drawHistory, loadDigits, trainInPage, webglRenderer, type Parameters } from './training.js';

declare global {
  interface Window {
    typegradSite: SiteState;
  }
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state: SiteState = { renderer: webglRenderer(), training: { status: 'idle' } };
window.typegradSite = state;

setUpPlayground((s) => (state.playground = s));
element('renderer').textContent = state.renderer;

// URL parameters size a run (the tests train on a small subset): ?train=320&test=100&epochs=1
const query = new URLSearchParams(location.search);
const setting = (name: string, fallback: number) => {
  const value = Number(query.get(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const epochsField = element<HTMLSelectElement>('epochs');
if (query.has('epochs')) epochsField.value = String(setting('epochs', 3));

// Empty axes until a run draws its curves.
drawHistory(element<HTMLCanvasElement>('loss-chart'), element<HTMLCanvasElement>('accuracy-chart'), { stepLoss: [], stepAccuracy: [], testLoss: [], testAccuracy: [], secondsPerEpoch: [] }, 1, Number(epochsField.value));

let predict: ((image: Float64Array) => Prediction) | undefined;
let stopRequested = false;
const trainButton = element<HTMLButtonElement>('train');
const stopButton = element<HTMLButtonElement>('stop');
const status = element('training-status');

trainButton.addEventListener('click', async () => {
  trainButton.disabled = true;
  stopButton.disabled = false;
  stopRequested = false;
  state.training = { status: 'running' };
  status.textContent = 'loading digits…';
  const epochs = Number(epochsField.value);
  try {
    const data = await loadDigits(setting('train', 2000), setting('test', 500));
    const chosen = await chooseBackend(element<HTMLSelectElement>('backend').value as 'auto' | BackendName);
    state.training = { status: 'running', ...chosen, digits: { train: data.train.count, test: data.test.count } };
    element('backend-used').textContent = `${chosen.backend} (${chosen.engine})`;
    // A software renderer runs WebGL's shaders on the CPU: worth saying, since js is faster there.
    const software = /swiftshader|llvmpipe|softpipe|software/i.test(state.renderer);
    element('backend-note').textContent = [chosen.note, chosen.backend === 'gpu' && software ? 'the renderer is a software one (WebGL on the CPU), where the js backend is faster' : '']
      .filter((note) => note !== '').join('; ');
    status.textContent = `deriving and compiling the training step for ${chosen.backend}…`;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const steps = Math.floor(data.train.count / BATCH);
    const lossCanvas = element<HTMLCanvasElement>('loss-chart'), accuracyCanvas = element<HTMLCanvasElement>('accuracy-chart');
    const { params, history } = await trainInPage(data, {
      epochs,
      backend: chosen.backend,
      stopped: () => stopRequested,
      onProgress: (history, text) => {
        state.training.history = history;
        status.textContent = `${text} on ${data.train.count} digits` + (history.testAccuracy.length > 0 ? `; test accuracy ${(100 * history.testAccuracy.at(-1)!).toFixed(1)}% on ${data.test.count}` : '');
        drawHistory(lossCanvas, accuracyCanvas, history, steps, epochs);
      },
    });
    state.training = { ...state.training, status: 'done', history };
    predict = classifier(params as Parameters);
    const info = chosen.backend === 'gpu' ? backendInfo('gpu') : undefined;
    status.textContent += ` (${history.secondsPerEpoch.map((s) => s.toFixed(1)).join(', ')} s per epoch${info ? `, ${info.precision}` : ''}). Draw a digit below.`;
    element('pad-hint').textContent = 'Draw a digit (0–9) in the square.';
  } catch (error) {
    state.training = { ...state.training, status: 'failed', error: String(error) };
    status.textContent = `training failed: ${String(error)}`;
    throw error;
  } finally {
    trainButton.disabled = false;
    stopButton.disabled = true;
  }
});
stopButton.addEventListener('click', () => (stopRequested = true));

const pad = element<HTMLCanvasElement>('pad');
const bars = element('probabilities');
for (let digit = 0; digit < 10; digit++) {
  bars.insertAdjacentHTML('beforeend', `<div class="bar-row"><span>${digit}</span><div class="bar"><div class="fill" id="bar-${digit}"></div></div><output id="p-${digit}"></output></div>`);
}
const classify = () => {
  const image = toMnist(pad);
  if (image === undefined) return;
  showDigit(element<HTMLCanvasElement>('digit-28'), image);
  if (predict === undefined) {
    element('pad-hint').textContent = 'Train the network first (above), then draw.';
    return;
  }
  const prediction = predict(image);
  state.prediction = prediction;
  element('prediction').textContent = String(prediction.digit);
  prediction.probabilities.forEach((p, digit) => {
    const fill = element(`bar-${digit}`);
    fill.style.width = `${(100 * p).toFixed(1)}%`;
    fill.classList.toggle('best', digit === prediction.digit);
    element(`p-${digit}`).textContent = `${(100 * p).toFixed(1)}%`;
  });
};
const { clear } = setUpPad(pad, classify);
element('clear').addEventListener('click', () => {
  clear();
  state.prediction = undefined;
  element('prediction').textContent = '–';
});
