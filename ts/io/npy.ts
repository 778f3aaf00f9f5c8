/**
 * numpy's `.npy` format, so arrays move between numpy and JS: read float32, float64, uint8,
 * int32, int64 and bool (either byte order, C or Fortran order, header versions 1.0, 2.0 and
 * 3.0); write float32 and float64 exactly as `numpy.save` does.
 *
 * The layout (numpy.lib.format): the magic string `\x93NUMPY`, the version (major, minor), the
 * header's length (uint16 in 1.0, uint32 in 2.0 and 3.0), the header (a Python dict literal,
 * latin-1 in 1.0 and 2.0, UTF-8 in 3.0, padded with spaces and a newline so the data starts at
 * a multiple of 64 bytes), then the elements in C or Fortran order.
 */
import { currentBackend } from "../backend/registry.js";
import type { DTypeOption } from "../creation.js";
import { isDType, typedArrayClass, type DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { checkOptions, excerpt } from "../options.js";
import { scope } from "../scope.js";
import { formatShape } from "../shape.js";
import { int64ToNumber } from "./int64.js";
import { parsePythonLiteral, pythonRepr, PythonTuple } from "./python_literal.js";
import { fileError, toBytes, type Bytes } from "./source.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** The data starts at a multiple of this many bytes (numpy's ARRAY_ALIGN). */
const ARRAY_ALIGN = 64;
/** numpy pads the header so the growth axis could reach this many digits in place (GROWTH_AXIS_MAX_DIGITS). */
const GROWTH_AXIS_MAX_DIGITS = 21;
/**
 * The longest header read by default, in characters: numpy's `_MAX_HEADER_SIZE`. Parsing a
 * header costs time and memory in its length, and no real array needs more.
 */
const MAX_HEADER_SIZE = 10000;
/** Elements converted per write into the array's buffer, so no second full-size copy is made in JS. */
const CHUNK = 1 << 16;
const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An element type readNpy reads, by numpy's type code (kind and size, as in `'<f4'`). */
interface ElementType {
  name: string;
  itemsize: number;
  /** The element at `offset`, as the number nearest to it in `dtype` (rounded once). */
  read(view: DataView, offset: number, littleEndian: boolean, dtype: DType): number;
}

const ELEMENT_TYPES: Record<string, ElementType> = {
  f4: { name: "float32", itemsize: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { name: "float64", itemsize: 8, read: (v, o, le) => v.getFloat64(o, le) },
  u1: { name: "uint8", itemsize: 1, read: (v, o) => v.getUint8(o) },
  i4: { name: "int32", itemsize: 4, read: (v, o, le) => v.getInt32(o, le) },
  // Beyond 2^53 the nearest float64, or the nearest float32, as numpy's astype (see int64.ts).
  i8: { name: "int64", itemsize: 8, read: (v, o, le, dtype) => int64ToNumber(v, o, le, dtype) },
  b1: { name: "bool", itemsize: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
};
const SUPPORTED = "float32 ('<f4'), float64 ('<f8'), uint8 ('|u1'), int32 ('<i4'), int64 ('<i8') and bool ('|b1'), in either byte order";

/**
 * What {@link readNpy} takes besides the bytes.
 * @example
 * vz.io.readNpy(vz.io.writeNpy(vz.array([1, 2])), { dtype: "float64", name: "x.npy" }).dtype; // => "float64"
 */
export interface ReadNpyOptions extends DTypeOption {
  /** The file's name, for error messages. */
  name?: string;
  /**
   * The longest header read, in characters: 10000 unless said otherwise, as numpy's
   * `max_header_size` (only arrays of thousands of dimensions need more).
   */
  maxHeaderSize?: number;
}
const READ_NPY_OPTIONS = ["dtype", "name", "maxHeaderSize"];

/**
 * An array from the bytes of a `.npy` file. float64 data stays float64; every other dtype
 * (float32, uint8, int32, int64, bool as 0/1) becomes float32 unless `dtype` says otherwise.
 * Fortran-ordered data comes back as an ordinary (C-ordered) array with the same values.
 * @param data the file's bytes (in Node, `readFileSync(path)`; in browsers, `new Uint8Array(await response.arrayBuffer())`).
 * @param options `dtype` for the result; `name`, the file's name for errors; `maxHeaderSize`.
 * @example
 * import { readFileSync } from "node:fs";
 * // Python: np.save("w.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
 * const w = vz.io.readNpy(readFileSync("w.npy"), { name: "w.npy" });
 * w.toString(); // => array([[0., 1., 2.],
 * //                         [3., 4., 5.]], dtype=float32)
 * vz.io.readNpy(new Uint8Array(8), { name: "zeros.npy" }); // throws IOError: readNpy: zeros.npy: not a .npy file: the magic string is not correct; …
 * @throws {IOError} `readNpy: w.npy: not a .npy file: the magic string is not correct; …`, an unsupported dtype,
 *   a malformed, oversized or truncated header, truncated data.
 * @throws {DTypeError} an unsupported `dtype` option.
 * @throws {ValueError} an unknown option.
 * @throws {OutOfMemoryError} an array larger than the backend can hold.
 */
export function readNpy(data: Bytes, options: ReadNpyOptions = {}): NDArray {
  checkNpyOptions("readNpy", options, READ_NPY_OPTIONS);
  return decodeNpy("readNpy", toBytes("readNpy", data), options);
}

/** @internal Checks readNpy's options (readNpz's add their own names). */
export function checkNpyOptions(op: string, options: ReadNpyOptions, known: readonly string[]): void {
  checkOptions(op, options, known);
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(options.dtype)}; expected "float32" or "float64"`);
  }
  const max = options.maxHeaderSize;
  if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0)) {
    throw new ValueError(`${op}: maxHeaderSize must be a non-negative integer, got ${JSON.stringify(max)}`);
  }
}

/**
 * @internal readNpy for a named op, options already checked; readNpz reads its entries with it,
 * naming the entry in errors after the archive's name.
 */
export function decodeNpy(op: string, bytes: Uint8Array, options: ReadNpyOptions, entry?: string): NDArray {
  const fail = (what: string) => fileError(op, options.name, entry === undefined ? what : `${excerpt(entry)}: ${what}`);
  const { element, littleEndian, fortranOrder, shape, dataOffset, descr } = readHeader(bytes, options.maxHeaderSize ?? MAX_HEADER_SIZE, fail);
  // Exact: the header check bounds the product of the dimensions by 2^53 bytes.
  const count = shape.reduce((n, d) => n * d, 1);
  const needed = count * element.itemsize;
  const available = bytes.length - dataOffset;
  if (available < needed) {
    throw fail(`truncated data: shape ${formatShape(shape)} of '${descr}' needs ${needed} bytes after the header, the file has ${available}`);
  }

  const dtype: DType = options.dtype ?? (element.name === "float64" ? "float64" : "float32");
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, needed);
  /** The elements, in file order, straight into a new array of `dims` (allocated first, so an array too large fails before any work). */
  const decode = (dims: readonly number[]) => {
    const result = NDArray.empty(currentBackend(op), dtype, dims);
    const storage = result.view(op).storage;
    const chunk = new (typedArrayClass(dtype))(Math.min(count, CHUNK));
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      for (let i = 0, offset = start * element.itemsize; i < n; i++, offset += element.itemsize) chunk[i] = element.read(view, offset, littleEndian, dtype);
      result.backend.write(storage, n === chunk.length ? chunk : chunk.subarray(0, n), start);
    }
    return result;
  };
  if (!fortranOrder || shape.length < 2) return decode(shape);
  // Fortran order is C order of the reversed shape: read it so, then transpose into a C-ordered copy.
  return scope(() => decode([...shape].reverse()).T.copy());
}

interface Header {
  descr: string;
  element: ElementType;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

function readHeader(bytes: Uint8Array, maxHeaderSize: number, fail: (what: string) => Error): Header {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw fail(`not a .npy file: the magic string is not correct; expected b'\\x93NUMPY', got b'${pythonBytes(bytes.subarray(0, MAGIC.length))}'`);
  }
  if (bytes.length < 8) throw fail(`truncated header: the file ends after ${bytes.length} bytes`);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw fail(`unsupported .npy format version ${major}.${minor}; readNpy reads versions 1.0, 2.0 and 3.0`);
  }
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) throw fail(`truncated header: the file ends after ${bytes.length} bytes`);
  const lengths = new DataView(bytes.buffer, bytes.byteOffset, prefix);
  const dataOffset = prefix + (major === 1 ? lengths.getUint16(8, true) : lengths.getUint32(8, true));
  if (bytes.length < dataOffset) {
    throw fail(`truncated header: the header ends at byte ${dataOffset}, the file has ${bytes.length} bytes`);
  }
  const raw = bytes.subarray(prefix, dataOffset);
  // numpy's check, on the header's length in characters, made before decoding or parsing it.
  const characters = major === 3 ? utf8Length(raw) : raw.length;
  if (characters > maxHeaderSize) {
    throw fail(
      `Header info length (${characters}) is large and may not be safe to load securely. ` +
        `To allow loading, adjust \`maxHeaderSize\` (now ${maxHeaderSize}) if you trust the file.`,
    );
  }
  const text = major === 3 ? new TextDecoder("utf-8").decode(raw) : latin1(raw);
  const quoted = () => JSON.stringify(excerpt(text.trim()));

  let dict: unknown;
  try {
    dict = parsePythonLiteral(text);
  } catch (error) {
    throw fail(`cannot parse the header ${quoted()}: ${(error as Error).message}`);
  }
  const keys = dict instanceof Map ? [...dict.keys()].sort() : undefined;
  if (keys?.join() !== "descr,fortran_order,shape") {
    throw fail(`the header ${quoted()} is not a dict with the keys 'descr', 'fortran_order' and 'shape'`);
  }
  const header = dict as Map<string, unknown>;
  const fortranOrder = header.get("fortran_order");
  if (typeof fortranOrder !== "boolean") throw fail(`the header's 'fortran_order' is ${excerpt(pythonRepr(fortranOrder))}, not True or False`);

  // numpy takes a tuple of ints only; a negative or huge dimension fails later there, here now.
  const dims = header.get("shape");
  if (!(dims instanceof PythonTuple) || !dims.items.every((d) => typeof d === "bigint" && d >= 0n)) {
    throw fail(`the header's 'shape' is ${excerpt(pythonRepr(dims))}, not a tuple of non-negative integers`);
  }

  const descr = header.get("descr");
  const match = typeof descr === "string" ? /^([<>|=]?)([a-z]\d+)$/.exec(descr) : null;
  const element = match ? ELEMENT_TYPES[match[2]!] : undefined;
  if (!match || !element) {
    const what = typeof descr === "string" ? `'${excerpt(descr)}'` : `${excerpt(pythonRepr(descr))}${Array.isArray(descr) ? ": structured arrays are not read" : ""}`;
    throw fail(`unsupported dtype ${what}; readNpy reads ${SUPPORTED}`);
  }
  // '|' (not applicable), '=' and no sign mean the reader's own order, as numpy reads them.
  const littleEndian = match[1] === "<" || (match[1] !== ">" && hostIsLittleEndian);

  // numpy's limit on the dimensions other than 0 (so an empty array cannot overflow its strides);
  // 2^53 bytes here, where arithmetic on sizes stays exact.
  const nonzero = (dims.items as bigint[]).reduce((n, d) => (d === 0n ? n : n * d), BigInt(element.itemsize));
  if (nonzero > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw fail(`array is too big; \`arr.size * arr.dtype.itemsize\` is larger than the maximum possible size: shape ${excerpt(pythonRepr(dims))} of '${descr}'`);
  }
  return { descr: descr as string, element, littleEndian, fortranOrder, shape: dims.items.map(Number), dataOffset };
}

/** The characters in UTF-8 bytes (counted without decoding: every byte but a continuation byte starts one). */
function utf8Length(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * How {@link writeNpy} lays the file out.
 * @example
 * vz.io.readNpy(vz.io.writeNpy(vz.array([[1, 2], [3, 4]]), { order: "F" })); // => [[1, 2], [3, 4]]
 */
export interface WriteNpyOptions {
  /** `"C"` (row-major, the default) or `"F"` (column-major: numpy's `fortran_order: True`). */
  order?: "C" | "F";
  /** The header's format version: 1 (the default, as numpy; 2 when a header outgrows 1.0's 64 KiB), 2 or 3. */
  version?: 1 | 2 | 3;
}

/**
 * The bytes of a `.npy` file holding `x` (float32 as `'<f4'`, float64 as `'<f8'`), byte for
 * byte what `numpy.save` writes, so `numpy.load` reads it back.
 * @param x the array (any layout; written in `order`).
 * @param options `order` and `version`.
 * @example
 * import { writeFileSync } from "node:fs";
 * const bytes = vz.io.writeNpy(vz.array([[1, 2], [3, 4]]));
 * writeFileSync("w2.npy", bytes);
 * // Python: np.load("w2.npy") → array([[1., 2.], [3., 4.]], dtype=float32)
 * bytes.length; // => 144
 * vz.io.readNpy(bytes); // => [[1, 2], [3, 4]]
 * @throws {ValueError} `x` is not an array, or an unknown option.
 * @throws {DisposedError} `x` was disposed.
 */
export function writeNpy(x: NDArray, options: WriteNpyOptions = {}): Uint8Array {
  if (!(x instanceof NDArray)) throw new ValueError(`writeNpy: expected an NDArray, got ${x === null ? "null" : typeof x}`);
  const order = options.order ?? "C";
  if (order !== "C" && order !== "F") throw new ValueError(`writeNpy: order must be "C" or "F", got ${JSON.stringify(order)}`);
  const fortranOrder = order === "F" && x.ndim > 1;

  const shape = x.shape;
  const growthAxis = shape.length === 0 ? undefined : fortranOrder ? shape[shape.length - 1]! : shape[0]!;
  const dict = `{'descr': '<${x.dtype === "float64" ? "f8" : "f4"}', 'fortran_order': ${fortranOrder ? "True" : "False"}, 'shape': ${pythonTuple(shape)}, }`;
  const header = dict + (growthAxis === undefined ? "" : " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(growthAxis).length)));

  // numpy's _wrap_header: the header, spaces, then "\n", so the data starts at a multiple of
  // ARRAY_ALIGN (a full ARRAY_ALIGN of spaces when it already would).
  const headerBytes = (version: number) => {
    const prefix = version === 1 ? 10 : 12;
    const padding = ARRAY_ALIGN - ((prefix + header.length + 1) % ARRAY_ALIGN);
    return { prefix, length: header.length + padding + 1 };
  };
  const version = options.version ?? (headerBytes(1).length <= 0xffff ? 1 : 2);
  if (version !== 1 && version !== 2 && version !== 3) throw new ValueError(`writeNpy: version must be 1, 2 or 3, got ${JSON.stringify(version)}`);
  const { prefix, length } = headerBytes(version);
  if (version === 1 && length > 0xffff) {
    throw new ValueError(`writeNpy: the header needs ${length} bytes and version 1.0 holds at most 65535; use version 2`);
  }

  const data = fortranOrder ? transposedValues(x) : x.toTypedArray();
  const out = new Uint8Array(prefix + length + data.byteLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  out[6] = version;
  out[7] = 0;
  if (version === 1) view.setUint16(8, length, true);
  else view.setUint32(8, length, true);
  out.fill(0x20, prefix, prefix + length - 1);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out[prefix + length - 1] = 0x0a;

  const start = prefix + length;
  if (hostIsLittleEndian) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  else if (data instanceof Float64Array) data.forEach((v, i) => view.setFloat64(start + 8 * i, v, true));
  else data.forEach((v, i) => view.setFloat32(start + 4 * i, v, true));
  return out;
}

/** x's elements in Fortran order: the C order of its transpose. */
function transposedValues(x: NDArray) {
  const t = x.T;
  try {
    return t.toTypedArray();
  } finally {
    t.dispose();
  }
}

/** Python's repr of a tuple of ints: `()`, `(5,)`, `(2, 3)`. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Bytes as Python shows them inside b'…'. */
function pythonBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
