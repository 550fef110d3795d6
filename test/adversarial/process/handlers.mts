/**
 * Child process of process.test.ts: the application's own handlers of unhandled rejections and
 * uncaught exceptions still run after initBackend('tfjs') (the wasm engine registered handlers
 * that rethrow), and a traced function returning a rejected Promise does not leave it unhandled.
 * Prints one JSON line with what happened.
 */
import { initBackend, trace } from '../../../src/index.js';

const seen: string[] = [];
process.on('unhandledRejection', (reason) => seen.push(`unhandledRejection: ${(reason as Error).message}`));
process.on('uncaughtException', (error) => seen.push(`uncaughtException: ${error.message}`));
const info = await initBackend('tfjs');
let traceError = '';
try {
  trace((() => Promise.reject(new Error('from the traced function'))) as never)(1 as never);
} catch (error) {
  traceError = `${(error as Error).name}: ${(error as Error).message}`;
}
void Promise.reject(new Error('application rejection'));
setTimeout(() => {
  throw new Error('application exception');
}, 20);
setTimeout(() => console.log(JSON.stringify({ engine: info.engine, seen, traceError })), 200);
