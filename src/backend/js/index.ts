/** The js backend: plans rendered as specialised JavaScript (`render.ts`), float64; the special functions and custom-derivative nodes decomposed. */
import type { Backend } from '../types.js';
import { renderJs } from './render.js';
import { JS_DECOMPOSED } from './scalar-lowering.js';

const decomposed: ReadonlySet<string> = new Set(JS_DECOMPOSED);

export { renderJs } from './render.js';

export const jsBackend: Backend = {
  info: { backend: 'js', engine: 'js', precision: 'float64', notes: [] },
  lowers: (op) => op !== 'custom' && !decomposed.has(op),
  allocate: (n) => new Float64Array(n),
  render: (plan) => renderJs(plan).executable,
};
