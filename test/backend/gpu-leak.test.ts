/**
 * gpu programs release what they hold: every kernel a compiled program built is destroyed by its
 * `dispose()`, or by the collector once the program is dropped, and RSS stays flat over hundreds
 * of compile/dispose cycles (each batch program dropped used to keep about 1.4 MB: 300 of them,
 * RSS 189 → 606 MB). Run in a child process with --expose-gc; the RSS bound is generous.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('gpu programs compiled and dropped', () => {
  it('release their kernels on dispose() and on collection; RSS stays flat', () => {
    const script = fileURLToPath(new URL('./gpu-leak/script.mts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 240_000 });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { engine: string; disposedGrowth: number; disposedBalance: number; droppedBuilt: number; droppedDestroyed: number };
    console.log(`gpu leak check (${result.engine}): RSS change ${result.disposedGrowth.toFixed(1)} MB over 300 disposed cycles; ${result.droppedDestroyed} of ${result.droppedBuilt} kernels of dropped programs destroyed by the collector`);
    expect(result.disposedBalance).toBe(0);
    expect(result.disposedGrowth).toBeLessThan(100);
    expect(result.droppedBuilt).toBeGreaterThan(0);
    // Finalisers run at the collector's pace: nearly all by now, none leaked for good.
    expect(result.droppedDestroyed).toBeGreaterThanOrEqual(result.droppedBuilt * 0.9);
  }, 300_000);
});
