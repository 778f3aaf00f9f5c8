/**
 * Ownership of backend buffers. An array's buffer is freed by `dispose()`, or by a
 * FinalizationRegistry if the array is garbage collected first, never twice. The registry holds
 * only the buffer handle, never the array, so it cannot keep arrays alive.
 */
import type { Backend, Storage } from "./backend/backend.js";
import { bytesPerElement } from "./dtype.js";

/** A buffer and the backend that frees it; `live` turns false once freed. */
export interface Buffer {
  readonly backend: Backend;
  readonly storage: Storage;
  live: boolean;
}

let liveArrays = 0;
let liveBytes = 0;

const forgotten = new FinalizationRegistry<Buffer>(release);

/** Takes ownership of a freshly allocated storage for `owner`. */
export function own(owner: object, backend: Backend, storage: Storage): Buffer {
  const buffer: Buffer = { backend, storage, live: true };
  liveArrays++;
  liveBytes += storage.length * bytesPerElement(storage.dtype);
  forgotten.register(owner, buffer, owner);
  return buffer;
}

/** Frees `owner`'s buffer now (safe to call twice). */
export function disown(owner: object, buffer: Buffer): void {
  if (!buffer.live) return;
  forgotten.unregister(owner);
  release(buffer);
}

function release(buffer: Buffer): void {
  if (!buffer.live) return;
  buffer.live = false;
  liveArrays--;
  liveBytes -= buffer.storage.length * bytesPerElement(buffer.storage.dtype);
  buffer.backend.free(buffer.storage);
}

export interface MemoryInfo {
  /** Arrays whose buffers are not freed yet. */
  arrays: number;
  /** Bytes held by those buffers. */
  bytes: number;
}

/** Live arrays and their bytes, across backends. */
export function memory(): MemoryInfo {
  return { arrays: liveArrays, bytes: liveBytes };
}
