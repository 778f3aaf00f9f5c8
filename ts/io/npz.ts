/**
 * numpy's `.npz` format: a zip archive of `.npy` files, one per array, named `<key>.npy`, as
 * `numpy.savez` (stored) and `numpy.savez_compressed` (deflated) write them.
 */
import { array } from "../creation.js";
import { ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { excerpt } from "../options.js";
import { checkNpyOptions, decodeNpy, writeNpy, type ReadNpyOptions } from "./npy.js";
import { fileError, toBytes, type Bytes } from "./source.js";
import { listZipEntries, readZipEntry, writeZip } from "./zip.js";

/**
 * What {@link readNpz} takes besides the bytes: readNpy's options, for every array, and a bound.
 * @example
 * const npz = vz.io.writeNpz({ x: vz.array([1, 2]) });
 * (await vz.io.readNpz(npz, { dtype: "float64", maxBytes: 1 << 20 })).x.dtype; // => "float64"
 */
export interface ReadNpzOptions extends ReadNpyOptions {
  /**
   * The most bytes the archive's `.npy` entries may declare in all, uncompressed: 2 GiB unless
   * said otherwise (one WebAssembly buffer holds at most 2 GiB), checked before anything is
   * inflated, so a small file cannot make readNpz inflate gigabytes.
   */
  maxBytes?: number;
}
const READ_NPZ_OPTIONS = ["dtype", "name", "maxHeaderSize", "maxBytes"];
const MAX_BYTES = 2 ** 31;

/**
 * The arrays of an `.npz` file, by name (the entry's name less `.npy`, as numpy's keys).
 * Entries that are not `.npy` files are skipped. Each array converts as `readNpy` converts
 * (float64 stays float64, other dtypes become float32 unless `dtype` says). Asynchronous
 * because deflated entries go through the platform's `DecompressionStream`.
 *
 * The result has no prototype: every key is an entry of the file, and an entry named
 * `__proto__` or `toString` is an ordinary key (`Object.keys`, destructuring and `in` work as
 * on any object).
 * @param data the file's bytes.
 * @param options `dtype` for every array; `name`, the file's name for errors; `maxHeaderSize`
 *   as readNpy's; `maxBytes`, the most uncompressed bytes to read (2 GiB).
 * @example
 * import { readFileSync } from "node:fs";
 * // Python: np.savez_compressed("data.npz", X=X, y=y)
 * const { X, y } = await vz.io.readNpz(readFileSync("data.npz"), { name: "data.npz" });
 * y; // => [[0, 1, 0, 1]]
 * @throws {IOError} not a zip archive, an unsupported, corrupt, overlapping or duplicate entry,
 *   entries declaring more than `maxBytes`, or any readNpy error (`readNpz: data.npz: X.npy: truncated data: …`).
 *   No array is left allocated when it throws.
 */
export async function readNpz(data: Bytes, options: ReadNpzOptions = {}): Promise<Record<string, NDArray>> {
  const op = "readNpz";
  checkNpyOptions(op, options, READ_NPZ_OPTIONS);
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) throw new ValueError(`${op}: maxBytes must be a non-negative integer, got ${JSON.stringify(maxBytes)}`);
  const bytes = toBytes(op, data);
  const file = options.name;

  const entries = listZipEntries(op, bytes, file).filter((entry) => entry.name.endsWith(".npy"));
  const names = new Set<string>();
  let declared = 0;
  for (const entry of entries) {
    if (names.has(entry.name)) throw fileError(op, file, `duplicate entry '${excerpt(entry.name)}'`);
    names.add(entry.name);
    declared += entry.size;
  }
  if (declared > maxBytes) {
    throw fileError(op, file, `its arrays declare ${declared} bytes uncompressed, more than maxBytes (${maxBytes}); pass a larger maxBytes to read them`);
  }

  const result: Record<string, NDArray> = Object.create(null) as Record<string, NDArray>;
  try {
    for (const entry of entries) {
      const npy = await readZipEntry(op, bytes, entry, file);
      result[entry.name.slice(0, -4)] = decodeNpy(op, npy, options, entry.name);
    }
  } catch (error) {
    for (const array of Object.values(result)) array.dispose();
    throw error;
  }
  return result;
}

/**
 * The bytes of an `.npz` file holding `arrays` (stored, uncompressed, as `numpy.savez`), which
 * `numpy.load` reads back as a dict-like of the same names. A number is stored as numpy's
 * `savez` stores a Python float: a 0-d float64 array (a model's `bias` goes in as it is).
 * @param arrays the arrays (or numbers), by the names they get in the file.
 * @example
 * import { writeFileSync } from "node:fs";
 * const w = vz.array([[0.5], [-1.5]]), b = 0.25;
 * writeFileSync("model2.npz", vz.io.writeNpz({ w, b }));
 * // Python: np.load("model2.npz")["w"]
 * (await vz.io.readNpz(vz.io.writeNpz({ b }))).b.dtype; // => "float64"
 * vz.io.writeNpz({ w, b: [0.25] }); // throws ValueError: writeNpz: "b" is neither an NDArray nor a number…
 * @throws {ValueError} a value that is neither an NDArray nor a number.
 */
export function writeNpz(arrays: Record<string, NDArray | number>): Uint8Array {
  const entries = Object.entries(arrays).map(([name, value]) => {
    if (typeof value === "number") return { name: `${name}.npy`, data: scalarNpy(value) };
    if (!(value instanceof NDArray)) throw new ValueError(`writeNpz: ${JSON.stringify(name)} is neither an NDArray nor a number (got ${excerpt(String(value))})`);
    return { name: `${name}.npy`, data: writeNpy(value) };
  });
  return writeZip(entries);
}

/** A number as a 0-d float64 `.npy`, as numpy saves `np.asanyarray(x)` of a Python float. */
function scalarNpy(value: number): Uint8Array {
  const scalar = array(value, { dtype: "float64" });
  try {
    return writeNpy(scalar);
  } finally {
    scalar.dispose();
  }
}
