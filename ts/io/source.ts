/**
 * What the readers take (bytes or text, so they work in browsers as well as Node) and how
 * their errors name the file they read.
 */
import { IOError, ValueError } from "../errors.js";

/** File contents as bytes: a Uint8Array (Node's `Buffer` is one), an ArrayBuffer or any other view. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/** The bytes of `data` as a Uint8Array over the same memory (no copy). */
export function toBytes(op: string, data: Bytes): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ValueError(`${op}: expected the file's bytes (a Uint8Array, Buffer or ArrayBuffer), got ${describe(data)}`);
}

/** Text from a string, or from UTF-8 bytes; a leading byte-order mark is dropped. */
export function toText(op: string, data: string | Bytes): string {
  const text = typeof data === "string" ? data : new TextDecoder("utf-8").decode(toBytes(op, data));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `op: file: what`, as an IOError that remembers the file. */
export function fileError(op: string, file: string | undefined, what: string): IOError {
  return new IOError(`${op}: ${file === undefined ? "" : `${file}: `}${what}`, file);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
