/**
 * Loop nests over strided data in WebAssembly. Every tensor read or written by a loop is an
 * `Access`: a byte address and one element stride per loop dimension. Each access walks with a
 * pointer (an i32 local holding a byte address) per loop depth, advanced by its stride at the
 * end of each iteration, so the body reads its elements at `pointer + constant offset` (the
 * offset is the load's immediate). Adjacent dimensions every access walks contiguously are
 * merged first (`coalesce`, shared with the js backend).
 */
import { coalesce as coalesceStrings } from '../js/loops.js';
import type { Emitter } from './emitter.js';
import { op } from './encoder.js';

/** A byte address: a constant, plus a runtime byte offset held in an i32 local (a batch input's point). */
export interface Address {
  readonly constant: number;
  readonly dynamic?: number;
}

/** Memory read or written at address + Σ index_d · strides_d · element bytes. */
export interface Access {
  readonly address: Address;
  readonly strides: readonly number[];
}

/** The address `n` bytes further. */
export function offsetAddress(address: Address, n: number): Address {
  return { ...address, constant: address.constant + n };
}

/** Pushes an address. */
export function pushAddress(e: Emitter, address: Address): void {
  e.f.i32(address.constant);
  if (address.dynamic !== undefined) e.f.get(address.dynamic).op(op.i32Add);
}

/** A new i32 local holding an address. */
export function pointerTo(e: Emitter, address: Address): number {
  const local = e.index();
  pushAddress(e, address);
  e.f.set(local);
  return local;
}

/** The loop dimensions after dropping size-1 dimensions and merging contiguous neighbours. */
export function coalesce(sizes: readonly number[], accesses: readonly Access[]): { sizes: number[]; accesses: Access[] } {
  const merged = coalesceStrings(sizes, accesses.map((a) => ({ array: '', base: '', strides: a.strides })));
  return { sizes: merged.sizes, accesses: accesses.map((a, k) => ({ address: a.address, strides: merged.accesses[k]!.strides })) };
}

/**
 * A counted loop running `count` ≥ 1 times: `body` each time, then `step` (pointer advances),
 * with a down-counter in its own local.
 */
export function countedLoop(e: Emitter, count: number, body: () => void, step: () => void = () => {}): void {
  if (count <= 0) return;
  if (count === 1) {
    body();
    step();
    return;
  }
  const counter = e.index();
  e.f.i32(count).set(counter);
  e.f.open('loop');
  body();
  step();
  e.f.get(counter).i32(1).op(op.i32Sub).tee(counter).brIf(0);
  e.f.end();
}

/**
 * A loop nest over `sizes` (outermost first). `body` receives one pointer local per access,
 * holding the byte address of its current element. An access whose stride is 0 at a depth keeps
 * its outer pointer there. With `coalesced`, dimensions are merged first.
 */
export function loopNest(e: Emitter, sizes: readonly number[], accesses: readonly Access[], body: (pointers: readonly number[]) => void): void {
  if (sizes.some((n) => n === 0)) return;
  const initial = accesses.map((a) => pointerTo(e, a.address));
  nest(e, sizes, accesses.map((a) => a.strides), 0, initial, body);
}

/** `loopNest` after `coalesce`. */
export function coalescedLoop(e: Emitter, sizes: readonly number[], accesses: readonly Access[], body: (pointers: readonly number[]) => void): void {
  const merged = coalesce(sizes, accesses);
  loopNest(e, merged.sizes, merged.accesses, body);
}

function nest(e: Emitter, sizes: readonly number[], strides: readonly (readonly number[])[], depth: number, outer: readonly number[], body: (pointers: readonly number[]) => void): void {
  if (depth === sizes.length) {
    body(outer);
    return;
  }
  const moving = strides.map((s) => s[depth] !== 0);
  // Inside the loop each moving access walks its own copy of the outer pointer.
  const pointers = outer.map((p, k) => {
    if (!moving[k] || sizes[depth] === 1) return p;
    const local = e.index();
    e.f.get(p).set(local);
    return local;
  });
  countedLoop(
    e,
    sizes[depth]!,
    () => nest(e, sizes, strides, depth + 1, pointers, body),
    () => pointers.forEach((p, k) => moving[k] && sizes[depth]! > 1 && e.advance(p, strides[k]![depth]! * e.bytes)),
  );
}
