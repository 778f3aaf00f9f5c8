/**
 * What the readers take (bytes or text, so they work in browsers as well as Node) and how
 * their errors name the file they read.
 */
import { IOError, ValueError } from "../errors.js";

/**
 * File contents as bytes: a Uint8Array (Node's `Buffer` is one), an ArrayBuffer or any other view.
 * @example
 * vz.io.readNpy(vz.io.writeNpy(vz.array([1])).buffer); // => [1]
 */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/** The bytes of `data` as a Uint8Array over the same memory (no copy). */
export function toBytes(op: string, data: Bytes): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ValueError(`${op}: expected the file's bytes (a Uint8Array, Buffer or ArrayBuffer), got ${describe(data)}`);
}

/**
 * Text from a string, or from UTF-8 bytes; a leading byte-order mark is dropped.
 * @throws {IOError} bytes beyond the engine's longest string (about 512 MiB in V8).
 */
export function toText(op: string, data: string | Bytes, file?: string): string {
  let text: string;
  if (typeof data === "string") {
    text = data;
  } else {
    const bytes = toBytes(op, data);
    try {
      text = new TextDecoder("utf-8").decode(bytes);
    } catch (error) {
      // V8 throws a plain RangeError ("Invalid string length") for text it cannot hold.
      throw fileError(op, file, `${bytes.length} bytes are too many to read as text (${(error as Error).message})`);
    }
  }
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
