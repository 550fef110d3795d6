/**
 * Optional peers: the engines and helpers typegrad uses only when asked (TensorFlow.js, gpu.js,
 * ONNX Runtime, onnx-proto, decimal.js, Graphviz). `npm install typegrad` installs none of them;
 * each is imported at run time by the feature that needs it, and a missing one is a
 * TypegradError naming the package to install. The specifiers are literal, so that bundlers see
 * them (and can leave them out, or split them into chunks loaded on demand).
 */
import { TypegradError } from '../ad/errors.js';

/** Each optional peer's module, by the name a user installs. */
interface Peers {
  'gpu.js': typeof import('gpu.js');
  '@tensorflow/tfjs-core': typeof import('@tensorflow/tfjs-core');
  '@tensorflow/tfjs-backend-wasm': typeof import('@tensorflow/tfjs-backend-wasm');
  '@tensorflow/tfjs-backend-cpu': typeof import('@tensorflow/tfjs-backend-cpu');
  'onnxruntime-node': typeof import('onnxruntime-node');
  'onnx-proto': typeof import('onnx-proto');
  'decimal.js': { readonly Decimal: typeof import('decimal.js').Decimal };
  '@viz-js/viz': typeof import('@viz-js/viz');
}

/** How each optional peer is imported. */
const peers: { readonly [N in PeerName]: () => Promise<Peers[N]> } = {
  'gpu.js': () => import('gpu.js'),
  '@tensorflow/tfjs-core': () => import('@tensorflow/tfjs-core'),
  '@tensorflow/tfjs-backend-wasm': () => import('@tensorflow/tfjs-backend-wasm'),
  '@tensorflow/tfjs-backend-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
  'onnxruntime-node': () => import('onnxruntime-node'),
  'onnx-proto': () => import('onnx-proto'),
  'decimal.js': () => import('decimal.js'),
  '@viz-js/viz': () => import('@viz-js/viz'),
};

/** The name of an optional peer that typegrad imports. */
export type PeerName = keyof Peers;

/** Why an import failed, in one line. */
export function importFailure(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * The module `name`, imported, or a TypegradError: `<operation> needs the package <name> (npm
 * install <install>): <why>`. `install` lists what to install when more than the one package
 * makes the feature work.
 */
export async function importPeer<N extends PeerName>(name: N, operation: string, install: string = name): Promise<Peers[N]> {
  try {
    return await peers[name]();
  } catch (error) {
    throw missingPeer(name, operation, install, error);
  }
}

/** The error for a peer that did not load. */
export function missingPeer(name: string, operation: string, install: string, error: unknown): TypegradError {
  return new TypegradError(`${operation} needs the package ${name} (npm install ${install}): ${importFailure(error)}`);
}
