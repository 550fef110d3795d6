/** The js backend: plans rendered as specialised JavaScript (`render.ts`), float64, every primitive lowered. */
import type { Backend } from '../types.js';
import { renderJs } from './render.js';

export { renderJs } from './render.js';

export const jsBackend: Backend = {
  info: { backend: 'js', engine: 'js', precision: 'float64', notes: [] },
  lowers: () => true,
  allocate: (n) => new Float64Array(n),
  render: (plan) => renderJs(plan).executable,
};
