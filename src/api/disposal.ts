/**
 * The lifetime of a compiled program. Engines hold native resources for a program (gpu kernels,
 * shaders and textures; tfjs tensors of its constants; an ONNX Runtime session): every compiled
 * function has `dispose()`, which releases them at once, and a function that is dropped without
 * it is released when the collector frees it (a FinalizationRegistry, at the collector's pace).
 * Calling a disposed function is a TypegradError.
 */
import { TypegradError } from '../ad/errors.js';
import type { AsyncExecutable, Executable } from '../backend/registry.js';

/**
 * What every compiled function has besides being called: `dispose()` releases what its engine
 * holds for it (a no-op on js, which holds nothing outside the JavaScript heap); a later call
 * is a TypegradError. Disposing twice is harmless.
 * @example const f = compile(loss, { backend: 'gpu' }); f({ x: 1 }); f.dispose();
 */
export interface CompiledProgram {
  dispose(): void;
}

/** The release of a program that was collected undisposed: there is no caller to report an error to. */
const collected = new FinalizationRegistry<() => unknown>((release) => {
  try {
    Promise.resolve(release()).catch(() => undefined);
  } catch {
    // The engine failed to release during collection; nothing can receive the error here.
  }
});

/** One compiled function's lifetime: whether it was released, and the release itself. */
export class ProgramLifetime {
  #released = false;
  readonly #executable: Executable | AsyncExecutable;

  constructor(executable: Executable | AsyncExecutable) {
    this.#executable = executable;
  }

  /** The error a call of a released program gets. */
  refusal(operation: string): TypegradError | undefined {
    return this.#released ? new TypegradError(`${operation}: this program was released by dispose(); compile it again`) : undefined;
  }

  /**
   * `f` with `dispose()` (a Promise on an asynchronous engine), registered to be released when
   * it is collected. The registry holds only the release, which reaches the executable and not
   * `f`, so registering does not keep `f` alive.
   */
  attach<T extends object>(f: T): T & { dispose(): void | Promise<void> } {
    const release = (): void | Promise<void> => {
      if (this.#released) return undefined;
      this.#released = true;
      return this.#executable.dispose();
    };
    const token = {};
    collected.register(f, release, token);
    const asynchronous = 'asynchronous' in this.#executable;
    return Object.assign(f, {
      dispose: () => {
        collected.unregister(token);
        const done = release();
        return asynchronous ? Promise.resolve(done) : undefined;
      },
    });
  }
}
