/**
 * Node lifetime (src/ad/node.ts): expressions nothing holds are released, what a live Fun holds
 * keeps its identity. Run in a child process with --expose-gc, so that collections (and the
 * sweeps that follow them between jobs) can be forced; the bound on growth is generous (the
 * exact figures belong to `bench/symbolic.ts`).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { constantNode, operationNode, pin, poolSize, registerRoots, sweep, variableNode } from '../../src/ad/node.js';

describe('node lifetime', () => {
  it('frees dropped expressions and keeps live ones identical across collections', () => {
    const script = fileURLToPath(new URL('./lifetime/script.mts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { identical: boolean; derivativeSame: boolean; droppedSame: boolean; collectedInJob: number; heaps: number[]; pools: number[] };
    expect(result.identical).toBe(true);
    // Of 1,000 Funs dropped within one job, a collection in that job frees (nearly) all.
    expect(result.collectedInJob).toBeGreaterThan(900);
    expect(result.derivativeSame).toBe(true);
    expect(result.droppedSame).toBe(true);
    // 500,000 expressions and 1,000 compiled gradients made and dropped: the heap stays flat.
    for (const heap of result.heaps) expect(heap).toBeLessThan(40);
    for (const pool of result.pools) expect(pool).toBeLessThan(50_000);
  }, 180_000);

  it('a sweep keeps what the roots and pinned nodes reach, and drops the rest from the table', () => {
    const x = variableNode('lifetime-x');
    const held = operationNode('sin', [x], []);
    const dropped = operationNode('cos', [x], []);
    const pinned = pin(operationNode('exp', [constantNode(12345.678)], []));
    registerRoots(() => [held]);
    sweep();
    expect(operationNode('sin', [x], [])).toBe(held);
    expect(operationNode('exp', [constantNode(12345.678)], [])).toBe(pinned);
    // The dropped node left the table: the same structure is now a new node.
    expect(operationNode('cos', [x], [])).not.toBe(dropped);
    expect(poolSize()).toBeGreaterThan(0);
  });
});
