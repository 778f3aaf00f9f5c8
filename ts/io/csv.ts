/**
 * CSV into arrays: a header row naming the columns, numeric cells, and optionally one column
 * taken out as the labels. Fields follow RFC 4180: a delimiter between fields, `"…"` around a
 * field that holds delimiters, quotes (doubled: `""`) or line breaks; CRLF or LF line ends.
 */
import { array, type DTypeOption } from "../creation.js";
import { isDType, typedArrayClass, type FloatArray } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { fileError, toText, type Bytes } from "./source.js";

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

/** A table read from CSV: the feature columns as X (one row per example), and their names. */
export interface CsvTable {
  /** `(m, n)`: one row per CSV row, one column per feature column. */
  X: NDArray;
  /** The feature columns' names, in X's column order. */
  columns: string[];
}

/** A table read from CSV with a label column: X without it, and y. */
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
 * @example
 * const { X, y, columns } = vz.io.readCsv("x1,x2,label\n0.5,1.5,1\n2,3,0\n", { label: "label" });
 * X.shape; // [2, 2]
 * y.toArray(); // [1, 0]
 * columns; // ["x1", "x2"]
 * @throws {IOError} a non-numeric cell (`readCsv: data.csv: line 3, column 2 ('x2'): could not
 *   convert string to float: 'abc'`), a row with the wrong number of fields, an unterminated quote.
 * @throws {ValueError} a label column that is not there, a bad delimiter.
 * @throws {DTypeError} an unsupported `dtype` option.
 */
export function readCsv(data: string | Bytes, options: ReadCsvOptions & { label: string | number }): LabeledCsvTable;
export function readCsv(data: string | Bytes, options?: ReadCsvOptions): CsvTable;
export function readCsv(data: string | Bytes, options: ReadCsvOptions = {}): CsvTable | LabeledCsvTable {
  const op = "readCsv";
  const file = options.name;
  const where = file === undefined ? "" : `${file}: `;
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ValueError(`${op}: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const dtype = options.dtype ?? "float32";
  if (!isDType(dtype)) throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);

  const rows = parseRecords(toText(op, data), delimiter, (what) => fileError(op, file, what));
  const first = options.header === false ? undefined : rows.shift();
  const width = first?.fields.length ?? rows[0]?.fields.length ?? 0;
  const names = first ? first.fields.map((f) => f.trim()) : Array.from({ length: width }, (_, i) => String(i));

  let labelIndex = -1;
  if (options.label !== undefined) {
    const label = options.label;
    if (typeof label === "number") {
      if (!Number.isInteger(label) || label < -width || label >= width) {
        throw new ValueError(`${op}: ${where}label column ${label} is out of bounds for ${width} columns`);
      }
      labelIndex = label < 0 ? label + width : label;
    } else {
      if (first === undefined) throw new ValueError(`${op}: ${where}a label column by name needs a header row; give its index`);
      labelIndex = names.indexOf(label);
      if (labelIndex < 0) throw new ValueError(`${op}: ${where}no column named '${label}'; the columns are ${names.map((n) => `'${n}'`).join(", ")}`);
    }
  }

  const m = rows.length;
  const n = labelIndex < 0 ? width : width - 1;
  const X = new (typedArrayClass(dtype))(m * n);
  const y: FloatArray = new (typedArrayClass(dtype))(labelIndex < 0 ? 0 : m);
  rows.forEach(({ fields, line }, r) => {
    if (fields.length !== width) {
      throw fileError(op, file, `line ${line} has ${fields.length} field${fields.length === 1 ? "" : "s"}, expected ${width}${first ? " as in the header" : " as in the first row"}`);
    }
    let c = 0;
    fields.forEach((field, j) => {
      const value = parseNumber(field.trim());
      if (value === undefined) {
        throw fileError(op, file, `line ${line}, column ${j + 1} ('${names[j]}'): could not convert string to float: '${field.trim()}'`);
      }
      if (j === labelIndex) y[r] = value;
      else X[r * n + c++] = value;
    });
  });

  const columns = names.filter((_, j) => j !== labelIndex);
  const table: CsvTable = { X: array(X, { dtype, shape: [m, n] }), columns };
  return labelIndex < 0 ? table : { ...table, y: array(y, { dtype, shape: [m] }), label: names[labelIndex]! };
}

/** A decimal number, or nan/inf/infinity in any case with a sign, as Python's float() reads them. */
function parseNumber(text: string): number | undefined {
  // Number() reads decimals (fast), but also "" as 0 and 0x/0o/0b literals, which are refused.
  const value = Number(text);
  const prefixed = text.length > 1 && text.charCodeAt(0) === 48 && /[xob]/i.test(text[1]!);
  if (text !== "" && !Number.isNaN(value) && !prefixed) return value;
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

interface CsvRecord {
  fields: string[];
  /** The line (1-based) the record starts on. */
  line: number;
}

/** The records of CSV text, blank lines left out. */
function parseRecords(text: string, delimiter: string, fail: (what: string) => Error): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // the current record has a quoted field (so it is not blank)
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0]!.trim() !== "" || quoted) records.push({ fields, line: recordLine });
    fields = [];
    quoted = false;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      // A quoted field: runs to the next lone quote; "" is a quote; line breaks are kept.
      const start = line;
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw fail(`unterminated quoted field starting on line ${start}`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n") line++;
        field += q;
        i++;
      }
    } else if (c === delimiter) {
      endField();
      i++;
    } else if (c === "\n" || c === "\r") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      let j = i + 1;
      while (j < text.length && text[j] !== delimiter && text[j] !== "\n" && text[j] !== "\r") j++;
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== "" || fields.length > 0 || quoted) endRecord();
  return records;
}
