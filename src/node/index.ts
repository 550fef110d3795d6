/**
 * typegrad/node, the Node conveniences: parameter files (save and load, checked against the
 * model), the MNIST loader (`mnist`, an optional peer) and the terminal progress bar for
 * `train`. The only entry that imports Node built-ins.
 */
export { saveParameters, loadParameters } from './parameter-files.js';
export { loadMnist } from './mnist.js';
export type { Mnist, MnistSplit, MnistOptions } from './mnist.js';
export { progressReporter, barLine, epochLine } from './progress.js';
export type { ProgressMode, ProgressStream } from './progress.js';
