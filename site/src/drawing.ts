/**
 * The drawing pad: a person draws a digit with a mouse, pen or finger (pointer events); the
 * drawing is reduced to 28×28 the way MNIST's digits were made (the ink's bounding box scaled to
 * fit 20×20, then centred by its centre of mass) and classified by the trained network.
 */
import { MVar, softmax, type MFun } from 'typegrad';
import { compileProgram } from 'typegrad/nn';
import type { Prediction } from './state.js';
import { model, type Parameters } from './training.js';

const SIDE = 28, BOX = 20;

/** The forward program for one image: softmax of the logits. */
export function classifier(params: Parameters): (image: Float64Array) => Prediction {
  const image = MVar('image', 1, 784);
  const probabilities = softmax(model.apply(image) as MFun<1, 10, string>, 1);
  const program = compileProgram([probabilities] as never, { backend: 'js' });
  const environment = new Map<string, Float64Array>(Object.entries(params));
  return (pixels) => {
    environment.set('image', pixels);
    const p = Array.from(program.run(environment)[0]!);
    return { digit: p.indexOf(Math.max(...p)), probabilities: p };
  };
}

/**
 * The drawing as MNIST's 784 grey levels in [0, 1], or undefined when nothing is drawn. The
 * canvas holds white ink on black.
 */
export function toMnist(canvas: HTMLCanvasElement): Float64Array | undefined {
  const { width, height } = canvas;
  const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
  let left = width, right = -1, top = height, bottom = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (data[(r * width + c) * 4]! > 24) {
        left = Math.min(left, c);
        right = Math.max(right, c);
        top = Math.min(top, r);
        bottom = Math.max(bottom, r);
      }
    }
  }
  if (right < 0) return undefined;
  // The ink's box, scaled (aspect kept) to fit BOX×BOX, drawn onto a 28×28 canvas.
  const boxWidth = right - left + 1, boxHeight = bottom - top + 1;
  const scale = BOX / Math.max(boxWidth, boxHeight);
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  const g = small.getContext('2d', { willReadFrequently: true })!;
  g.fillStyle = '#000';
  g.fillRect(0, 0, SIDE, SIDE);
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = 'high';
  const w = boxWidth * scale, h = boxHeight * scale;
  g.drawImage(canvas, left, top, boxWidth, boxHeight, (SIDE - w) / 2, (SIDE - h) / 2, w, h);
  const grey = g.getImageData(0, 0, SIDE, SIDE).data;
  const levels = new Float64Array(SIDE * SIDE);
  let mass = 0, rowMoment = 0, columnMoment = 0;
  for (let p = 0; p < SIDE * SIDE; p++) {
    const v = grey[p * 4]! / 255;
    levels[p] = v;
    mass += v;
    rowMoment += v * Math.floor(p / SIDE);
    columnMoment += v * (p % SIDE);
  }
  // Shift so that the centre of mass is at the centre (as MNIST's preprocessing did).
  const dr = Math.round((SIDE - 1) / 2 - rowMoment / mass), dc = Math.round((SIDE - 1) / 2 - columnMoment / mass);
  const centred = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const sr = r - dr, sc = c - dc;
      if (sr >= 0 && sr < SIDE && sc >= 0 && sc < SIDE) centred[r * SIDE + c] = levels[sr * SIDE + sc]!;
    }
  }
  return centred;
}

/** Shows 28×28 grey levels on a (small) canvas, enlarged with square pixels by CSS. */
export function showDigit(canvas: HTMLCanvasElement, levels: Float64Array): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const g = canvas.getContext('2d')!;
  const image = g.createImageData(SIDE, SIDE);
  levels.forEach((v, p) => {
    const level = Math.round(255 * v);
    image.data.set([level, level, level, 255], p * 4);
  });
  g.putImageData(image, 0, 0);
}

/** Wires the pad: strokes follow the pointer; `onDrawn` runs when a stroke ends. */
export function setUpPad(canvas: HTMLCanvasElement, onDrawn: () => void): { clear(): void } {
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    g.fillStyle = '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  g.strokeStyle = '#fff';
  g.lineWidth = canvas.width / 14;
  g.lineCap = 'round';
  g.lineJoin = 'round';
  let last: { x: number; y: number } | undefined;
  const position = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * canvas.width, y: ((event.clientY - box.top) / box.height) * canvas.height };
  };
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = position(event);
    g.beginPath();
    g.arc(last.x, last.y, g.lineWidth / 2, 0, 2 * Math.PI);
    g.fillStyle = '#fff';
    g.fill();
    event.preventDefault();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (last === undefined) return;
    const next = position(event);
    g.beginPath();
    g.moveTo(last.x, last.y);
    g.lineTo(next.x, next.y);
    g.stroke();
    last = next;
  });
  const end = () => {
    if (last === undefined) return;
    last = undefined;
    onDrawn();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { clear };
}
