/**
 * The one error family of typegrad. Every misuse the library detects at run time (an unknown
 * variable, a binding of the wrong kind or shape, a shape mismatch) throws a `TypegradError`
 * whose message names the variable, the operation and the shapes involved.
 *
 * @example
 * try { Var('x').eval({} as never) } catch (e) { e instanceof TypegradError } // true
 */
export class TypegradError extends Error {
  override readonly name = 'TypegradError';
}
