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

  /** A message longer than `MESSAGE_LIMIT` (a 10 MB variable name quoted whole) keeps its start and end. */
  constructor(message?: string, options?: ErrorOptions) {
    super(shortened(message), options);
  }
}

/** Enough for any message about well-formed input; beyond it a message only repeats user data. */
const MESSAGE_LIMIT = 2000;

function shortened(message: string | undefined): string | undefined {
  if (message === undefined || message.length <= MESSAGE_LIMIT) return message;
  const omitted = message.length - MESSAGE_LIMIT;
  return `${message.slice(0, MESSAGE_LIMIT / 2)}… (${omitted} characters omitted) …${message.slice(-MESSAGE_LIMIT / 2)}`;
}
