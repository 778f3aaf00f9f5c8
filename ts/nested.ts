/** Converting between nested JS arrays and flat values with a shape. */
import { ValueError } from "./errors.js";
import { formatShape, type Shape } from "./shape.js";

/** A number, or arrays of arrays of numbers (what `toArray()` returns, what `array()` takes). */
export type NestedArray = number | NestedArray[];

/** The shape and row-major values of a rectangular nested array of numbers (or booleans). */
export function flattenNested(op: string, data: unknown): { shape: number[]; values: number[] } {
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: number[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw inhomogeneous(op, shape, depth);
      values.push(toNumber(op, node));
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw inhomogeneous(op, shape, depth);
    for (const child of node) visit(child, depth + 1);
  };
  visit(data, 0);
  return { shape, values };
}

function toNumber(op: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const shown = typeof value === "string" ? `'${value}'` : String(value);
  throw new ValueError(`${op}: could not convert ${typeof value} to float: ${shown}`);
}

function inhomogeneous(op: string, shape: number[], depth: number): ValueError {
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
