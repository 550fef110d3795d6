/**
 * The library leaves the process alone: after initBackend('tfjs') the application's own
 * `unhandledRejection` and `uncaughtException` handlers still decide (the wasm engine's handlers
 * rethrew and the process died), and trace of a function returning a rejected Promise throws a
 * TypegradError without leaving the Promise unhandled. Run in a child process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('process-wide handlers', () => {
  it("the application's handlers run after initBackend('tfjs'); a traced rejected Promise is handled", () => {
    const script = fileURLToPath(new URL('./process/handlers.mts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { engine: string; seen: string[]; traceError: string };
    expect(result.traceError).toMatch(/^TypegradError: trace: the function returned a Promise/);
    expect(result.seen).toEqual(['unhandledRejection: application rejection', 'uncaughtException: application exception']);
  }, 150_000);
});
