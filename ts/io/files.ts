/**
 * Reading and writing files by path, in Node. The file system is found through
 * `process.getBuiltinModule` (Node ≥ 20.16), not imported, so browser bundles of vectorized
 * stay free of Node modules; elsewhere, read the bytes yourself and call `readNpy`, `readNpz`
 * or `readCsv`.
 */
import { IOError, ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { type CsvTable, type LabeledCsvTable, type ReadCsvOptions, readCsv } from "./csv.js";
import { readNpy, writeNpy, type ReadNpyOptions, type WriteNpyOptions } from "./npy.js";
import { readNpz, writeNpz, type ReadNpzOptions } from "./npz.js";
import { fileError } from "./source.js";

interface FileHandle {
  stat(): Promise<{ isFile(): boolean; size: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** The part of Node's fs/promises used here (the CLI passes its own import of it). */
export interface FileSystem {
  open(path: string, flags: "r"): Promise<FileHandle>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

/** Node's fs/promises; `instead` says what to do where there is none. */
function fileSystem(op: string, instead: string): FileSystem {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.("node:fs/promises") as FileSystem | undefined;
  if (!fs) throw new ValueError(`${op}: file paths need Node.js 20.16 or later (process.getBuiltinModule); elsewhere, ${instead}`);
  return fs;
}

async function read(op: string, path: string, reader: string): Promise<Uint8Array> {
  return readRegularFile(fileSystem(op, `pass the file's contents to ${reader}`), op, path);
}

/**
 * @internal The bytes of a regular file: as many as its size when opened, never more, so a
 * device (`/dev/zero`), a pipe or a file that keeps growing cannot make a reader read forever.
 * @throws {IOError} the file cannot be read, or is not a regular file.
 */
export async function readRegularFile(fs: FileSystem, op: string, path: string): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(path, "r");
    const stat = await handle.stat();
    if (!stat.isFile()) throw fileError(op, path, "cannot read the file: it is not a regular file (a device, a pipe or a directory)");
    const bytes = new Uint8Array(stat.size);
    for (let at = 0; at < bytes.length; ) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) return bytes.subarray(0, at); // it shrank while being read
      at += bytesRead;
    }
    return bytes;
  } catch (error) {
    if (error instanceof IOError) throw error;
    throw fileError(op, path, `cannot read the file: ${(error as Error).message}`);
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function write(op: string, path: string, data: Uint8Array, writer: string): Promise<void> {
  try {
    await fileSystem(op, `save the bytes ${writer} returns`).writeFile(path, data);
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw fileError(op, path, `cannot write the file: ${(error as Error).message}`);
  }
}

/**
 * Reads a `.npy` file (Node): `readNpy` of its bytes, with the path in errors.
 * @param path the file's path.
 * @param options readNpy's options (the path is the name).
 * @example
 * const X = await vz.io.loadNpy("X.npy");
 * X.shape; // => [2, 4]
 * await vz.io.loadNpy("missing.npy"); // throws IOError: loadNpy: missing.npy: cannot read the file: …
 * @throws {IOError} the file cannot be read, or any readNpy error.
 */
export async function loadNpy(path: string, options: Omit<ReadNpyOptions, "name"> = {}): Promise<NDArray> {
  return readNpy(await read("loadNpy", path, "readNpy"), { ...options, name: path });
}

/**
 * Writes `x` to a `.npy` file (Node), as `numpy.save` does.
 * @param path the file's path (replaced if it exists).
 * @param x the array.
 * @param options writeNpy's options.
 * @example
 * const weights = vz.array([[0.5], [-1.5]]);
 * await vz.io.saveNpy("weights.npy", weights);
 * await vz.io.loadNpy("weights.npy"); // => [[0.5], [-1.5]]
 * @throws {IOError} the file cannot be written.
 */
export async function saveNpy(path: string, x: NDArray, options: WriteNpyOptions = {}): Promise<void> {
  await write("saveNpy", path, writeNpy(x, options), "writeNpy");
}

/**
 * Reads the arrays of an `.npz` file (Node): `readNpz` of its bytes, with the path in errors.
 * @param path the file's path.
 * @param options readNpz's options (the path is the name).
 * @example
 * const { X, y } = await vz.io.loadNpz("data.npz");
 * [X.shape, y.shape]; // => [[2, 4], [1, 4]]
 * @throws {IOError} the file cannot be read, or any readNpz error.
 */
export async function loadNpz(path: string, options: Omit<ReadNpzOptions, "name"> = {}): Promise<Record<string, NDArray>> {
  return readNpz(await read("loadNpz", path, "readNpz"), { ...options, name: path });
}

/**
 * Writes arrays to an `.npz` file (Node), uncompressed, as `numpy.savez` does.
 * @param path the file's path (replaced if it exists).
 * @param arrays the arrays (or numbers, stored as 0-d float64 arrays), by the names they get in the file.
 * @example
 * const w = vz.array([[0.5], [-1.5]]), b = 0.25;
 * await vz.io.saveNpz("saved.npz", { w, b }); // a number goes in as a 0-d float64 array, as in numpy.savez
 * Object.keys(await vz.io.loadNpz("saved.npz")); // => ["w", "b"]
 * @throws {IOError} the file cannot be written.
 */
export async function saveNpz(path: string, arrays: Record<string, NDArray | number>): Promise<void> {
  await write("saveNpz", path, writeNpz(arrays), "writeNpz");
}

/**
 * Reads a CSV file (Node): `readCsv` of its text, with the path in errors.
 * @param path the file's path.
 * @param options readCsv's options (the path is the name).
 * @example
 * const { X, y, columns } = await vz.io.loadCsv("iris.csv", { label: "species" });
 * X.shape; // => [4, 4]
 * y; // => [0, 0, 1, 2]
 * columns; // => ["sepal_length", "sepal_width", "petal_length", "petal_width"]
 * @throws {IOError} the file cannot be read, or any readCsv error.
 */
export async function loadCsv(path: string, options: Omit<ReadCsvOptions, "name"> & { label: string | number }): Promise<LabeledCsvTable>;
export async function loadCsv(path: string, options?: Omit<ReadCsvOptions, "name">): Promise<CsvTable>;
export async function loadCsv(path: string, options: Omit<ReadCsvOptions, "name"> = {}): Promise<CsvTable | LabeledCsvTable> {
  return readCsv(await read("loadCsv", path, "readCsv"), { ...options, name: path });
}
