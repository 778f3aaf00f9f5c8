/**
 * Files in and out: numpy's `.npy` and `.npz`, and CSV. The readers take bytes or text, so they
 * work in browsers too; `load*` and `save*` take paths, in Node.
 * @example
 * const bytes = vz.io.writeNpy(vz.array([[1, 2], [3, 4]])); // what numpy.save writes
 * vz.io.readNpy(bytes, { name: "x.npy" }); // => [[1, 2], [3, 4]]
 * const { X, y } = vz.io.readCsv("a,b,label\n1,2,0\n3,4,1\n", { label: "label" });
 * X; // => [[1, 2], [3, 4]]
 * y; // => [0, 1]
 */
export { readNpy, writeNpy, type ReadNpyOptions, type WriteNpyOptions } from "./npy.js";
export { readNpz, writeNpz, type ReadNpzOptions } from "./npz.js";
export { readCsv, type ReadCsvOptions, type CsvTable, type LabeledCsvTable } from "./csv.js";
export { loadNpy, saveNpy, loadNpz, saveNpz, loadCsv } from "./files.js";
export type { Bytes } from "./source.js";
