/**
 * The parts of the WebAssembly JavaScript API the wasm backend uses, typed here (the project
 * compiles without the DOM library, and @types/node does not declare them), and the checks of
 * what this engine offers: WebAssembly itself, 128-bit SIMD, shared memory for worker threads.
 */

/** A linear memory: its bytes are `buffer` (a SharedArrayBuffer when shared). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** A compiled module (opaque; it can be posted to a worker). */
export type WasmModule = object;

/** An instantiated module. */
export interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

/** `WebAssembly` as this backend calls it. */
export interface WasmApi {
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  validate(bytes: Uint8Array): boolean;
}

/** The engine's WebAssembly, or undefined where there is none. */
export function webAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * A module of one function `(v128) → v128` doing `f32x4.add`: it validates only where 128-bit SIMD
 * is supported (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4).
 */
const SIMD_PROBE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7b, 0x01, 0x7b, // type (v128) → v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x20, 0x00, 0xfd, 0xe4, 0x01, 0x0b, // local.get 0 ×2, f32x4.add, end
);

/** Whether this engine runs WebAssembly with 128-bit SIMD. */
export function supportsSimd(wasm: WasmApi): boolean {
  return wasm.validate(SIMD_PROBE);
}

/**
 * Why worker threads cannot share a program's memory here, or undefined when they can: shared
 * WebAssembly memory needs SharedArrayBuffer, which browsers give only to cross-origin isolated
 * pages (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`).
 */
export function sharedMemoryUnavailable(wasm: WasmApi): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available (in a browser: the page is not cross-origin isolated)';
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return 'the page is not cross-origin isolated (COOP/COEP headers), so memory cannot be shared with workers';
  try {
    const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(memory.buffer instanceof SharedArrayBuffer)) return 'shared WebAssembly memory is not supported';
  } catch (error) {
    return `shared WebAssembly memory is not supported (${error instanceof Error ? error.message : String(error)})`;
  }
  return undefined;
}
