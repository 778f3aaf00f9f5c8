/**
 * numpy-style text for arrays: `array([[ 1. ,  2.5],\n       [ 3. , 40. ]], dtype=float32)`.
 * Values print with the fewest digits that read back to the same value in the array's dtype,
 * aligned on the decimal point; scientific notation when magnitudes span more than 1e3 or
 * fall outside [1e-4, 1e16), and arrays over 1000 elements show 3 items at each edge.
 */
import type { DType } from "./dtype.js";
import type { Shape } from "./shape.js";

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** numpy's `repr` of an array with row-major `values`. */
export function formatArray(values: ArrayLike<number>, shape: Shape, dtype: DType): string {
  const summarise = values.length > SUMMARY_THRESHOLD;
  const shown = collectShown(values, shape, summarise);
  const cell = cellFormatter(shown, dtype);
  const prefix = "array(";
  const suffix = dtype === "float64" ? "" : `, dtype=${dtype}`;
  if (shape.length === 0) return `${prefix}${cell(values[0]!).trim()}${suffix})`;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((n, k) => n * k, 1));
  const block = (depth: number, start: number): string => {
    const len = shape[depth]!;
    const indices = summarise && len > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), -1, ...range(len - EDGE_ITEMS, len)] : range(0, len);
    const last = depth === shape.length - 1;
    const parts = indices.map((i) => (i < 0 ? "..." : last ? cell(values[start + i * strides[depth]!]!) : block(depth + 1, start + i * strides[depth]!)));
    const separator = last ? ", " : "," + "\n".repeat(shape.length - depth - 1) + " ".repeat(prefix.length + depth + 1);
    return `[${parts.join(separator)}]`;
  };
  return `${prefix}${block(0, 0)}${suffix})`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** The values that will be printed (all, or the summary's edges), to size the columns. */
function collectShown(values: ArrayLike<number>, shape: Shape, summarise: boolean): number[] {
  if (!summarise) return Array.from(values);
  const shown: number[] = [];
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((n, k) => n * k, 1));
  const visit = (depth: number, start: number): void => {
    if (depth === shape.length) return void shown.push(values[start]!);
    const len = shape[depth]!;
    const indices = len > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), ...range(len - EDGE_ITEMS, len)] : range(0, len);
    for (const i of indices) visit(depth + 1, start + i * strides[depth]!);
  };
  visit(0, 0);
  return shown;
}

/** numpy's default print precision: at most 8 digits after the point. */
const PRECISION = 8;

/** The fewest digits that read back as `value` in `dtype`, but no more than PRECISION after the point. */
function shortest(value: number, dtype: DType, exponential: boolean): string {
  const same = (text: string) => (dtype === "float32" ? Math.fround(Number(text)) === value : Number(text) === value);
  if (exponential) {
    for (let frac = 0; frac < PRECISION; frac++) if (same(value.toExponential(frac))) return value.toExponential(frac);
    return value.toExponential(PRECISION);
  }
  for (let frac = 0; frac < PRECISION; frac++) if (same(value.toFixed(frac))) return String(Number(value.toFixed(frac)));
  return String(Number(value.toFixed(PRECISION)));
}

/** A function that prints one value as a cell aligned with every other shown value. */
function cellFormatter(shown: number[], dtype: DType): (value: number) => string {
  const finite = shown.filter((v) => Number.isFinite(v));
  const magnitudes = finite.map(Math.abs).filter((v) => v !== 0);
  const [lo, hi] = [Math.min(...magnitudes), Math.max(...magnitudes)];
  const exponential = magnitudes.length > 0 && (hi >= 1e16 || lo < 1e-4 || hi / lo > 1e3);
  // Split each finite value into the text before and after its point (or its exponent).
  const split = (v: number): [string, string] => {
    if (exponential) {
      const [mantissa, exp] = shortest(v, dtype, true).split("e") as [string, string];
      const [whole, frac = ""] = mantissa.split(".");
      const sign = exp.startsWith("-") ? "-" : "+";
      return [whole!, `${frac}e${sign}${exp.replace(/^[-+]/, "").padStart(2, "0")}`];
    }
    const [whole, frac = ""] = shortest(v, dtype, false).split(".");
    return [v === 0 && Object.is(v, -0) ? "-0" : whole!, frac];
  };
  const parts = finite.map(split);
  const fracWidth = Math.max(0, ...parts.map(([, f]) => (exponential ? f.indexOf("e") : f.length)));
  const wholeWidth = Math.max(1, ...parts.map(([w]) => w.length));
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  const width = Math.max(wholeWidth + 1 + fracWidth + (exponential ? 4 : 0), ...shown.filter((v) => !Number.isFinite(v)).map((v) => special(v).length));
  return (value: number) => {
    if (!Number.isFinite(value)) return special(value).padStart(width);
    const [whole, frac] = split(value);
    const cell = exponential
      ? `${whole}.${frac.slice(0, frac.indexOf("e")).padEnd(fracWidth, "0")}${frac.slice(frac.indexOf("e"))}`
      : `${whole}.${frac.padEnd(fracWidth)}`;
    return cell.padStart(width);
  };
}
