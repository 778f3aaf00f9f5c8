/**
 * Ownership of backend buffers. A buffer is shared by the arrays that view it (reshape,
 * transpose, slices, broadcasts) and freed when the last of them lets go: by `dispose()`, at the
 * end of a `scope()`, or by a FinalizationRegistry if an array is garbage collected first. The
 * registry holds only the buffer, never the array, so it cannot keep arrays alive.
 *
 * Registration is deferred: registering an array with the FinalizationRegistry and unregistering
 * it at dispose() cost ~0.5 µs together in V8 (more than an op on small arrays; issue 12's
 * profile), and most arrays of an op loop are disposed microseconds after they are made. New
 * arrays wait in a short list, which is registered in one go at the next microtask or when it
 * reaches `PENDING_LIMIT`; arrays disposed before then skip the registry altogether. An array
 * forgotten meanwhile is held by the list until that batch, then left to the collector as before.
 */
import type { Backend, Storage } from "./backend/backend.js";
import { bytesPerElement } from "./dtype.js";

/** A backend buffer and how many live arrays view it. */
export interface Buffer {
  readonly backend: Backend;
  readonly storage: Storage;
  refs: number;
}

/** One array's hold on a buffer; `live` turns false once released. */
export interface Hold {
  readonly buffer: Buffer;
  live: boolean;
  /**
   * The array's place in the pending lists while it waits for registration (-1 once registered:
   * dispose must then unregister it).
   */
  pending: number;
}

let liveArrays = 0;
let liveBuffers = 0;
let liveBytes = 0;

const forgotten = new FinalizationRegistry<Hold>(release);

/**
 * Arrays not yet registered, and their holds (two lists: a hold must not reference its array).
 * A disposed array's entries are cleared at once, so the lists never keep garbage alive.
 */
const pendingOwners: (object | undefined)[] = [];
const pendingHolds: (Hold | undefined)[] = [];
/** Most arrays waiting for registration; a loop that makes arrays without yielding registers them in batches of this many. */
const PENDING_LIMIT = 256;
let flushScheduled = false;

/** Registers the pending arrays that are still live; the disposed ones are just dropped. */
function registerPending(): void {
  for (let i = 0; i < pendingOwners.length; i++) {
    const [owner, h] = [pendingOwners[i], pendingHolds[i]];
    if (!owner || !h) continue;
    forgotten.register(owner, h, owner);
    h.pending = -1;
  }
  pendingOwners.length = 0;
  pendingHolds.length = 0;
  flushScheduled = false;
}

/** A new buffer of `length` elements on `backend`, not yet held by any array. */
export function newBuffer(backend: Backend, storage: Storage): Buffer {
  liveBuffers++;
  liveBytes += storage.length * bytesPerElement(storage.dtype);
  return { backend, storage, refs: 0 };
}

/** Makes `owner` (an array) hold `buffer` until `letGo` or garbage collection. */
export function hold(owner: object, buffer: Buffer): Hold {
  const h: Hold = { buffer, live: true, pending: pendingOwners.length };
  buffer.refs++;
  liveArrays++;
  pendingOwners.push(owner);
  pendingHolds.push(h);
  if (pendingOwners.length >= PENDING_LIMIT) registerPending();
  else if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(registerPending);
  }
  return h;
}

/** Releases `owner`'s hold now (safe to call twice). */
export function letGo(owner: object, h: Hold): void {
  if (!h.live) return;
  if (h.pending < 0) forgotten.unregister(owner);
  else pendingOwners[h.pending] = pendingHolds[h.pending] = undefined;
  release(h);
}

function release(h: Hold): void {
  if (!h.live) return;
  h.live = false;
  liveArrays--;
  const buffer = h.buffer;
  if (--buffer.refs > 0) return;
  liveBuffers--;
  liveBytes -= buffer.storage.length * bytesPerElement(buffer.storage.dtype);
  buffer.backend.free(buffer.storage);
}

/**
 * What {@link memory} reports.
 * @example
 * typeof vz.memory().bytes; // => "number"
 */
export interface MemoryInfo {
  /** Arrays not yet disposed (views included). */
  arrays: number;
  /** Distinct buffers those arrays hold (views share their base's buffer). */
  buffers: number;
  /** Bytes of array data in those buffers. */
  bytes: number;
  /** Size of each loaded WebAssembly memory, in bytes (it grows, and never shrinks). */
  wasmMemoryBytes: Record<string, number>;
}

const wasmMemories = new Map<string, WebAssembly.Memory>();

/** @internal Registers a loaded wasm backend's memory for `memory()`. */
export function registerWasmMemory(name: string, memory: WebAssembly.Memory): void {
  wasmMemories.set(name, memory);
}

/**
 * Live arrays, their buffers and bytes across all backends, and the wasm memory sizes.
 * @example
 * const before = vz.memory().arrays;
 * vz.scope(() => vz.sum(vz.square(vz.arange(10))).item()); // => 285
 * vz.memory().arrays - before; // => 0
 * // nothing leaked: the scope freed its temporaries
 */
export function memory(): MemoryInfo {
  const wasmMemoryBytes: Record<string, number> = {};
  for (const [name, mem] of wasmMemories) wasmMemoryBytes[name] = mem.buffer.byteLength;
  return { arrays: liveArrays, buffers: liveBuffers, bytes: liveBytes, wasmMemoryBytes };
}
