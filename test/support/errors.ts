import { expect } from 'vitest';
import { TypegradError } from '../../src/index.js';

/** Calls `f` (as an untyped JavaScript caller would) and returns the TypegradError it throws. */
export function typegradErrorOf(f: () => unknown): TypegradError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(TypegradError);
    return error as TypegradError;
  }
  throw new Error('expected a TypegradError');
}
