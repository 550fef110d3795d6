import { TypegradError } from '../ad/errors.js';

/**
 * A plain object keyed by user-chosen names. A key named `__proto__` is defined, not assigned
 * (assigning would set the prototype), so it is an ordinary key; every other key is assigned,
 * which is fast (`constructor` and the like become own properties).
 */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const record: Record<string, T> = {};
  for (const [key, value] of entries) {
    if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    else record[key] = value;
  }
  return record;
}

/**
 * Sets `record[key] = value` for a user-chosen key: `__proto__` is defined as an own key (an
 * assignment would set the prototype and the entry would be lost).
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** The own enumerable entries of a bindings object given by a caller (typed or not). */
export function ownEntries(bindings: unknown, operation: string): [string, unknown][] {
  if (bindings === null || typeof bindings !== 'object' || Array.isArray(bindings)) {
    throw new TypegradError(`${operation}: expected an object of variable bindings, got ${describeValue(bindings)}`);
  }
  return Object.keys(bindings).map((k) => [k, (bindings as Record<string, unknown>)[k]]);
}




/** A short description of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}${'length' in value ? ` of length ${String(value.length)}` : ''}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `the bigint ${String(value)}n`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
