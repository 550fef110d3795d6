/**
 * No import cycles between the modules of src/: the layers point down (typelevel → the DAG →
 * programs → backends → the typed API → the entries), and a cycle would make what a module sees
 * at load time depend on which module was imported first. Edges are the static `import` and
 * `export ... from` statements that stay in the JavaScript; `import type` is erased and does not
 * count, nor does a lazy `import()` (the backends are loaded that way on purpose).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Every .ts file under `folder`, iteratively. */
function sources(folder: string): string[] {
  const files: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  }
  return files;
}

const STATIC_IMPORT = /^(?:import|export)\s+(?!type\s)(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm;

/** The module graph of src/: each file (relative to the root) to the files it imports at run time. */
function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(folder)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(STATIC_IMPORT)].map((m) => relative(root, resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, '.ts'))));
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** The cycles of `graph` as paths `a → b → ... → a`, one per strongly connected component (Tarjan's algorithm, iterative). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [], components: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, next), low.set(start, next++), stack.push(start), onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const [v, i] = frame;
      const edges = graph.get(v) ?? [];
      if (i < edges.length) {
        frame[1]++;
        const w = edges[i]!;
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next), low.set(w, next++), stack.push(w), onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work.at(-1)![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
      }
    }
  }
  return components.map((component) => cyclePath(graph, new Set(component)));
}

/** One cycle through a strongly connected component, by breadth-first search back to its first member. */
function cyclePath(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k]!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)!) path.splice(1, 0, u);
        return [...path, start].join(' → ');
      }
      if (!previous.has(w)) previous.set(w, v), queue.push(w);
    }
  }
  return start;
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the check is not vacuous)', () => {
    const graph = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []], ['e', ['e']]]);
    expect(importCycles(graph)).toEqual(['a → b → c → a', 'e → e']);
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('reads the static imports and re-exports, not type-only imports or lazy ones', () => {
    const graph = importGraph(join(root, 'src'));
    expect(graph.get('src/api/calculus.ts')).toContain('src/api/transform/transforms.ts');
    expect(graph.get('src/index.ts')).toContain('src/api/scalar.ts');
    expect(graph.get('src/api/wrap.ts')).not.toContain('src/api/vector.ts'); // import type
    expect(graph.get('src/backend/registry.ts')).not.toContain('src/backend/gpu/index.ts'); // import()
  });

  it('there are none between the modules of src/', () => {
    expect(importCycles(importGraph(join(root, 'src')))).toEqual([]);
  });
});
