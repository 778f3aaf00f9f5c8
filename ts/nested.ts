/** Converting between nested JS arrays and flat values with a shape. */
import { ValueError } from "./errors.js";
import { excerpt } from "./options.js";
import { formatShape, type Shape } from "./shape.js";

/**
 * A number, or arrays of arrays of numbers (what `toArray()` returns, what `array()` takes).
 * @example
 * vz.eye(2).toArray(); // => [[1, 0], [0, 1]]
 */
export type NestedArray = number | NestedArray[];

/** numpy's NPY_MAXDIMS: deeper nesting (or a cyclic array, which nests forever) is refused. */
export const MAX_DIMS = 64;

/**
 * The shape of a rectangular nested array, read down its first elements (the rest is checked by
 * `forEachNested`).
 * @throws {ValueError} nesting deeper than 64 levels, or a cycle
 */
export function nestedShape(op: string, data: unknown): number[] {
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) {
    if (shape.length === MAX_DIMS) {
      throw new ValueError(`${op}: maximum supported dimension for an ndarray is currently ${MAX_DIMS}, found more (or the nested array contains itself)`);
    }
    shape.push(level.length);
  }
  return shape;
}

/**
 * Calls `sink` with each element of `data` (of `shape`, from `nestedShape`) as a number, in
 * row-major order. Recursion is bounded by the shape's depth, so a cycle cannot recurse forever.
 * @throws {ValueError} ragged nesting or a non-numeric element
 */
export function forEachNested(op: string, data: unknown, shape: readonly number[], sink: (value: number) => void): void {
  const visit = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw inhomogeneous(op, shape, depth);
      sink(toNumber(op, node));
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw inhomogeneous(op, shape, depth);
    for (const child of node) visit(child, depth + 1);
  };
  visit(data, 0);
}

function toNumber(op: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const shown = typeof value === "string" ? `'${excerpt(value)}'` : typeof value === "object" ? Object.prototype.toString.call(value) : excerpt(String(value));
  throw new ValueError(`${op}: could not convert ${typeof value} to float: ${shown}`);
}

function inhomogeneous(op: string, shape: readonly number[], depth: number): ValueError {
  return new ValueError(
    `${op}: setting an array element with a sequence. The requested array has an inhomogeneous ` +
      `shape after ${depth} dimensions. The detected shape was ${formatShape(shape.slice(0, depth))} + inhomogeneous part.`,
  );
}

/** Rebuilds nested arrays from row-major `values` of `shape`; a 0-d shape gives a number. */
export function unflatten(values: ArrayLike<number>, shape: Shape): NestedArray {
  let next = 0;
  const build = (depth: number): NestedArray => {
    if (depth === shape.length) return values[next++]!;
    const out: NestedArray[] = new Array(shape[depth]!);
    for (let i = 0; i < shape[depth]!; i++) out[i] = build(depth + 1);
    return out;
  };
  return build(0);
}
