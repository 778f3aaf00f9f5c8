/**
 * CSV into arrays: a header row naming the columns, numeric cells, and optionally one column
 * taken out as the labels. Fields follow RFC 4180: a delimiter between fields, `"…"` around a
 * field that holds delimiters, quotes (doubled: `""`) or line breaks; CRLF or LF line ends.
 */
import { array, type DTypeOption } from "../creation.js";
import { isDType, typedArrayClass, type DType, type FloatArray } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { checkOptions, excerpt } from "../options.js";
import { fileError, toText, type Bytes } from "./source.js";

/**
 * What {@link readCsv} takes besides the text.
 * @example
 * vz.io.readCsv("1;2\n3;4\n", { delimiter: ";", header: false, label: -1 }).y; // => [2, 4]
 */
export interface ReadCsvOptions extends DTypeOption {
  /** The label column, by its name in the header or by its index (0-based; negative counts from the end). */
  label?: string | number;
  /** The character between fields; `","` unless said otherwise (`"\t"`, `";"`, …). */
  delimiter?: string;
  /** Whether the first row names the columns (the default); without it, columns are named "0", "1", …. */
  header?: boolean;
  /** The file's name, for error messages. */
  name?: string;
}
const READ_CSV_OPTIONS = ["dtype", "label", "delimiter", "header", "name"];

/**
 * A table read from CSV: the feature columns as X (one row per example), and their names.
 * @example
 * vz.io.readCsv("a,b\n1,2\n").columns; // => ["a", "b"]
 */
export interface CsvTable {
  /** `(m, n)`: one row per CSV row, one column per feature column. */
  X: NDArray;
  /** The feature columns' names, in X's column order. */
  columns: string[];
}

/**
 * A table read from CSV with a label column: X without it, and y.
 * @example
 * vz.io.readCsv("a,y\n1,0\n2,1\n", { label: "y" }).label; // => "y"
 */
export interface LabeledCsvTable extends CsvTable {
  /** `(m,)`: the label column. */
  y: NDArray;
  /** The label column's name. */
  label: string;
}

const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * Reads CSV text (or UTF-8 bytes) whose cells are all numbers into arrays: X is `(m, n)`, one
 * row per example as in scikit-learn (the course's layout is `X.T`), and y is the label column
 * when `label` names one. Cells may have spaces around them; `nan`, `inf` and `-inf` are read
 * as numpy reads them. Blank lines (or lines of spaces) are skipped.
 * @param data the text, or its UTF-8 bytes.
 * @param options `label` (a column's name or index), `delimiter` (`,`), `header` (true: the
 *   first line names the columns), `dtype`, and `name`, the file's name for errors.
 * @example
 * const { X, y, columns } = vz.io.readCsv("x1,x2,label\n0.5,1.5,1\n2,3,0\n", { label: "label" });
 * X.shape; // => [2, 2]
 * y.toArray(); // => [1, 0]
 * columns; // => ["x1", "x2"]
 * @throws {IOError} a non-numeric cell (`readCsv: data.csv: line 3, column 2 ('x2'): could not
 *   convert string to float: 'abc'`), a row with the wrong number of fields, an unterminated quote.
 * @throws {ValueError} a label column that is not there, a bad delimiter, an unknown option.
 * @throws {DTypeError} an unsupported `dtype` option.
 * @throws {OutOfMemoryError} a table larger than the backend can hold.
 */
export function readCsv(data: string | Bytes, options: ReadCsvOptions & { label: string | number }): LabeledCsvTable;
export function readCsv(data: string | Bytes, options?: ReadCsvOptions): CsvTable;
export function readCsv(data: string | Bytes, options: ReadCsvOptions = {}): CsvTable | LabeledCsvTable {
  const op = "readCsv";
  checkOptions(op, options, READ_CSV_OPTIONS);
  const file = options.name;
  const where = file === undefined ? "" : `${file}: `;
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ValueError(`${op}: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const dtype = options.dtype ?? "float32";
  if (!isDType(dtype)) throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);
  const fail = (what: string) => fileError(op, file, what);

  let names: string[] | undefined; // from the header row, or "0", "1", … once the first row is seen
  let labelIndex = -1;
  let table: Table | undefined;
  forEachRecord(toText(op, data, file), delimiter, fail, (fields, line) => {
    if (names === undefined) {
      names = options.header === false ? fields.map((_, j) => String(j)) : fields.map((f) => f.trim());
      labelIndex = findLabel(op, where, options.label, names, options.header !== false);
      table = new Table(dtype, names.length, labelIndex);
      if (options.header !== false) return;
    }
    if (fields.length !== names.length) {
      throw fail(`line ${line} has ${fields.length} field${fields.length === 1 ? "" : "s"}, expected ${names.length}${options.header !== false ? " as in the header" : " as in the first row"}`);
    }
    table!.addRow(fields, (j, cell) => fail(`line ${line}, column ${j + 1} ('${excerpt(names![j]!)}'): could not convert string to float: '${excerpt(cell)}'`));
  });
  // An empty file: no columns (a label is then out of bounds, or missing by name).
  if (names === undefined) {
    names = [];
    labelIndex = findLabel(op, where, options.label, names, options.header !== false);
    table = new Table(dtype, 0, -1);
  }

  const columns = names.filter((_, j) => j !== labelIndex);
  const { X, y, m } = table!.values();
  const result: CsvTable = { X: array(X, { dtype, shape: [m, columns.length] }), columns };
  return labelIndex < 0 ? result : { ...result, y: array(y, { dtype, shape: [m] }), label: names[labelIndex]! };
}

/** The label column's index in `names` (-1 without a label). @throws {ValueError} */
function findLabel(op: string, where: string, label: string | number | undefined, names: string[], header: boolean): number {
  if (label === undefined) return -1;
  const width = names.length;
  if (typeof label === "number") {
    if (!Number.isInteger(label) || label < -width || label >= width) {
      throw new ValueError(`${op}: ${where}label column ${label} is out of bounds for ${width} columns`);
    }
    return label < 0 ? label + width : label;
  }
  if (typeof label !== "string") throw new ValueError(`${op}: label must be a column name or index, got ${typeof label}`);
  if (!header) throw new ValueError(`${op}: ${where}a label column by name needs a header row; give its index`);
  const index = names.indexOf(label);
  if (index < 0) {
    const shown = names.slice(0, 10).map((n) => `'${excerpt(n)}'`).join(", ");
    const more = width > 10 ? `, … (${width} columns)` : "";
    throw new ValueError(`${op}: ${where}no column named '${excerpt(label)}'; the columns are ${shown}${more}`);
  }
  return index;
}

/** X's and y's values, row by row, in typed arrays that grow as rows arrive (no array of rows is kept). */
class Table {
  private X: FloatArray;
  private y: FloatArray;
  private m = 0;
  constructor(
    private readonly dtype: DType,
    private readonly width: number,
    private readonly labelIndex: number,
  ) {
    // Small to start: a header can name a million columns that no row fills.
    this.X = new (typedArrayClass(dtype))(1024);
    this.y = new (typedArrayClass(dtype))(labelIndex < 0 ? 0 : 1024);
  }

  addRow(fields: readonly string[], bad: (column: number, cell: string) => Error): void {
    const n = this.labelIndex < 0 ? this.width : this.width - 1;
    if ((this.m + 1) * n > this.X.length) this.X = grown(this.dtype, this.X, (this.m + 1) * n);
    if (this.labelIndex >= 0 && this.m + 1 > this.y.length) this.y = grown(this.dtype, this.y, this.m + 1);
    let at = this.m * n;
    for (let j = 0; j < fields.length; j++) {
      const cell = fields[j]!.trim();
      const value = parseNumber(cell);
      if (value === undefined) throw bad(j, cell);
      if (j === this.labelIndex) this.y[this.m] = value;
      else this.X[at++] = value;
    }
    this.m++;
  }

  values(): { X: FloatArray; y: FloatArray; m: number } {
    const n = this.labelIndex < 0 ? this.width : this.width - 1;
    return { X: this.X.subarray(0, this.m * n), y: this.y.subarray(0, this.labelIndex < 0 ? 0 : this.m), m: this.m };
  }
}

/** A copy of `values` with room for at least `needed` (doubling, so n rows cost O(n) copying in all). */
function grown(dtype: DType, values: FloatArray, needed: number): FloatArray {
  const bigger = new (typedArrayClass(dtype))(Math.max(needed, 2 * values.length));
  bigger.set(values);
  return bigger;
}

/** Exact powers of ten (to 10^22, the last one a float64 holds exactly). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal of at most 15 digits (`-0.125`, `42`), the common cell, read without
 * Number()'s general path: its digits as an integer below 2^53 divided by an exact power of
 * ten is the correctly rounded value, the same number Number() gives (Clinger's fast path).
 * Undefined for anything else.
 */
function plainDecimal(text: string): number | undefined {
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i = 1;
  let digits = 0;
  let mantissa = 0;
  let scale = -1; // digits after the point; -1 before a point is seen
  for (; i < text.length; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) {
      scale = 0;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = scale > 0 ? mantissa / POWERS_OF_TEN[scale]! : mantissa;
  return negative ? -value : value;
}

/** A decimal number, or nan/inf/infinity in any case with a sign, as Python's float() reads them. */
function parseNumber(text: string): number | undefined {
  const plain = plainDecimal(text);
  if (plain !== undefined) return plain;
  // Number() reads decimals (fast), but also "" as 0 and 0x/0o/0b literals, which are refused.
  const value = Number(text);
  const second = text.charCodeAt(1) | 0x20; // lower case
  const prefixed = text.charCodeAt(0) === 48 && (second === 0x78 || second === 0x6f || second === 0x62); // 0x 0o 0b
  if (text !== "" && !Number.isNaN(value) && !prefixed) return value;
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Calls `onRecord` with each record's fields and the line (1-based) it starts on, blank lines
 * left out. `fields` is reused from one record to the next.
 */
function forEachRecord(text: string, delimiter: string, fail: (what: string) => Error, onRecord: (fields: string[], line: number) => void): void {
  const delim = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let field = "";
  let quoted = false; // the current record has a quoted field (so it is not blank)
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = () => {
    fields.push(field);
    field = "";
    if (fields.length > 1 || fields[0]!.trim() !== "" || quoted) onRecord(fields, recordLine);
    fields.length = 0;
    quoted = false;
  };

  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE && field === "") {
      // A quoted field: runs to the next lone quote; "" is a quote; line breaks are kept.
      const start = line;
      quoted = true;
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw fail(`unterminated quoted field starting on line ${start}`);
        const part = text.slice(i, close);
        for (let k = part.indexOf("\n"); k >= 0; k = part.indexOf("\n", k + 1)) line++;
        field += part;
        if (text.charCodeAt(close + 1) === QUOTE) {
          field += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
    } else if (c === delim) {
      fields.push(field);
      field = "";
      i++;
    } else if (c === LF || c === CR) {
      endRecord();
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === delim || d === LF || d === CR) break;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== "" || fields.length > 0 || quoted) endRecord();
}
