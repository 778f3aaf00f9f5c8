/**
 * numpy's `.npz` format: a zip archive of `.npy` files, one per array, named `<key>.npy`, as
 * `numpy.savez` (stored) and `numpy.savez_compressed` (deflated) write them.
 */
import { ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { decodeNpy, writeNpy, type ReadNpyOptions } from "./npy.js";
import { toBytes, type Bytes } from "./source.js";
import { listZipEntries, readZipEntry, writeZip } from "./zip.js";

/**
 * The arrays of an `.npz` file, by name (the entry's name less `.npy`, as numpy's keys).
 * Entries that are not `.npy` files are skipped. Each array converts as `readNpy` converts
 * (float64 stays float64, other dtypes become float32 unless `dtype` says). Asynchronous
 * because deflated entries go through the platform's `DecompressionStream`.
 * @param data the file's bytes.
 * @param options `dtype` for every array; `name`, the file's name for errors.
 * @example
 * // Python: np.savez_compressed("data.npz", X=X, y=y)
 * const { X, y } = await vz.io.readNpz(readFileSync("data.npz"), { name: "data.npz" });
 * @throws {IOError} not a zip archive, an unsupported or corrupt entry, or any readNpy error
 *   (`readNpz: data.npz: X.npy: truncated data: …`).
 */
export async function readNpz(data: Bytes, options: ReadNpyOptions = {}): Promise<Record<string, NDArray>> {
  const bytes = toBytes("readNpz", data);
  const file = options.name;
  const result: Record<string, NDArray> = {};
  try {
    for (const entry of listZipEntries("readNpz", bytes, file)) {
      if (!entry.name.endsWith(".npy")) continue;
      const npy = await readZipEntry("readNpz", bytes, entry, file);
      result[entry.name.slice(0, -4)] = decodeNpy("readNpz", npy, options, entry.name);
    }
  } catch (error) {
    for (const array of Object.values(result)) array.dispose();
    throw error;
  }
  return result;
}

/**
 * The bytes of an `.npz` file holding `arrays` (stored, uncompressed, as `numpy.savez`), which
 * `numpy.load` reads back as a dict-like of the same names.
 * @example
 * writeFileSync("model.npz", vz.io.writeNpz({ w, b }));
 * // Python: np.load("model.npz")["w"]
 * @throws {ValueError} a value that is not an NDArray.
 */
export function writeNpz(arrays: Record<string, NDArray>): Uint8Array {
  const entries = Object.entries(arrays).map(([name, array]) => {
    if (!(array instanceof NDArray)) throw new ValueError(`writeNpz: ${JSON.stringify(name)} is not an NDArray`);
    return { name: `${name}.npy`, data: writeNpy(array) };
  });
  return writeZip(entries);
}
