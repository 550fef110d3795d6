/**
 * Loop nests over strided data, as generated source. Every tensor read or written by a
 * generated loop is an `Access`: an array name, a base offset (an expression) and one stride per
 * loop dimension, so a transpose, a slice or a broadcast is read in place.
 *
 * Before emitting, adjacent dimensions that every access walks contiguously are merged (numpy's
 * iterator coalescing): an elementwise loop over same-shape row-major tensors is one flat loop,
 * and a bias added to every row is one loop over rows around one over columns.
 */

/** An array read or written at base + Σ index_d · strides_d. */
export interface Access {
  readonly array: string;
  readonly base: string;
  readonly strides: readonly number[];
}

/** The loop dimensions after dropping size-1 dimensions and merging contiguous neighbours. */
export function coalesce(sizes: readonly number[], accesses: readonly Access[]): { sizes: number[]; accesses: Access[] } {
  const keep = sizes.map((n) => n !== 1);
  let dims = sizes.filter((_, d) => keep[d]);
  let strides = accesses.map((a) => a.strides.filter((_, d) => keep[d]));
  for (let d = dims.length - 2; d >= 0; d--) {
    const inner = dims[d + 1]!;
    if (strides.every((s) => s[d] === s[d + 1]! * inner)) {
      dims = [...dims.slice(0, d), dims[d]! * inner, ...dims.slice(d + 2)];
      strides = strides.map((s) => [...s.slice(0, d), s[d + 1]!, ...s.slice(d + 2)]);
    }
  }
  return { sizes: dims, accesses: accesses.map((a, i) => ({ array: a.array, base: a.base, strides: strides[i]! })) };
}

/** `base + index · stride` as short source. */
export function offsetExpression(base: string, index: string, stride: number): string {
  const term = stride === 0 ? '' : stride === 1 ? index : `${index} * ${stride}`;
  if (term === '') return base;
  return base === '0' ? term : `${base} + ${term}`;
}

/**
 * A loop nest over `sizes` (dimensions as given, outermost first). `body` receives, for each
 * access, the expression of its current element's index, and returns the innermost statements.
 * Index and offset locals are named with `prefix`, so nests can be placed inside each other.
 */
export function loopNest(sizes: readonly number[], accesses: readonly Access[], prefix: string, body: (index: readonly string[]) => string[]): string[] {
  const lines: string[] = [];
  let indent = '';
  let bases = accesses.map((a) => a.base);
  for (let d = 0; d < sizes.length; d++) {
    const i = `${prefix}${d}`;
    lines.push(`${indent}for (let ${i} = 0; ${i} < ${sizes[d]}; ${i}++) {`);
    indent += '  ';
    const next = accesses.map((a, k) => offsetExpression(bases[k]!, i, a.strides[d]!));
    if (d === sizes.length - 1) bases = next;
    else {
      // Name each access's offset at this depth once, so inner loops add one term.
      bases = next.map((expression, k) => {
        if (expression === bases[k]) return expression;
        const name = `${prefix}${d}_${k}`;
        lines.push(`${indent}const ${name} = ${expression};`);
        return name;
      });
    }
  }
  for (const statement of body(bases)) lines.push(`${indent}${statement}`);
  for (let d = sizes.length - 1; d >= 0; d--) lines.push(`${'  '.repeat(d)}}`);
  return lines;
}

/** `loopNest` after `coalesce`. */
export function coalescedLoop(sizes: readonly number[], accesses: readonly Access[], prefix: string, body: (index: readonly string[]) => string[]): string[] {
  const merged = coalesce(sizes, accesses);
  return loopNest(merged.sizes, merged.accesses, prefix, body);
}
