/**
 * Files in and out: numpy's `.npy` and `.npz`, and CSV. The readers take bytes or text, so they
 * work in browsers too; `load*` and `save*` take paths, in Node.
 * @example
 * const x = vz.io.readNpy(bytes, { name: "x.npy" });
 * const bytes = vz.io.writeNpy(x);
 * const { X, y } = vz.io.readCsv(text, { label: "label" });
 */
export { readNpy, writeNpy, type ReadNpyOptions, type WriteNpyOptions } from "./npy.js";
export { readNpz, writeNpz, type ReadNpzOptions } from "./npz.js";
export { readCsv, type ReadCsvOptions, type CsvTable, type LabeledCsvTable } from "./csv.js";
export { loadNpy, saveNpy, loadNpz, saveNpz, loadCsv } from "./files.js";
export type { Bytes } from "./source.js";
