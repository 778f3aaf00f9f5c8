/**
 * The doctest convention, and how a result is held against it.
 *
 * After a statement, on its line or on the next one:
 *   `expr; // => VALUE`                 the statement's value (a `const x = …` declaration: x's value)
 *   `console.log(…); // => TEXT`         what it prints
 *   `stmt; // throws NameError: message` it throws that error (`…` at the end: the message starts so)
 * A value may go on over the next comment lines, aligned under its first character.
 * Any other comment is prose. A comment that looks like a value (`// [4, 6]`, `// 24`,
 * `// IOError: …`) but has no `=>` is refused, so that outputs are never left unchecked.
 *
 * VALUE is a JavaScript literal (arrays, objects, numbers, NaN, Infinity, strings). An NDArray
 * is compared by its `toArray()`; a string result with the text as written (unquoted). A
 * number written with a fraction or an exponent matches to the digits shown (half a unit in
 * its last written place), one written as an integer matches exactly.
 */

export type Expectation = { kind: "value"; text: string } | { kind: "throws"; text: string };

/** A `//` comment and the column it starts at. */
export interface Comment {
  text: string;
  column: number;
}

/** An annotation read from the comment lines after a statement, or a complaint about them. */
export function readAnnotation(comments: Comment[]): Expectation | { error: string } | undefined {
  const first = comments[0]?.text;
  if (first === undefined) return undefined;
  const marker = /^(\/\/\s*)(=>|throws)\s+(.*)$/.exec(first);
  if (!marker) {
    const text = first.replace(/^\/\/\s*/, "");
    if (/^(\[|\{|-?\d|NaN\b|-?Infinity\b|true\b|false\b|array\(|"|\w*Error: )/.test(text)) return { error: `an output without its marker (write \`// => ${text}\` or \`// throws ${text}\`)` };
    return undefined;
  }
  const [, lead, kind, value] = marker;
  // Continuation lines: comments whose text starts in the value's column (on the page).
  const column = comments[0]!.column + lead!.length + kind!.length + 1;
  const lines = [value!];
  for (const next of comments.slice(1)) {
    const offset = column - next.column;
    if (offset < 3 || next.text.slice(0, offset).trim() !== "//" || !next.text.slice(offset).trim()) break;
    lines.push(next.text.slice(offset));
  }
  return { kind: kind === "=>" ? "value" : "throws", text: lines.join("\n").trimEnd() };
}

/** Whether `x` is an NDArray (duck-typed: the built package's class is not this module's). */
function isArray(x: unknown): x is { toArray(): unknown; shape: readonly number[] } {
  return typeof x === "object" && x !== null && typeof (x as { toArray?: unknown }).toArray === "function" && Array.isArray((x as { shape?: unknown }).shape);
}

/** How a number written as `written` admits `actual`: exactly, or to the digits shown. */
function numberMatches(actual: number, written: number): boolean {
  if (Number.isNaN(written)) return Number.isNaN(actual);
  if (!Number.isFinite(written) || Object.is(actual, written) || actual === written) return actual === written;
  const text = String(written);
  const exact = /^-?\d+$/.test(text);
  if (exact) return false;
  // Half a unit in the last written place: 2.7182817 → 5e-8, 1.5e-10 → 5e-12.
  const [mantissa, exponent = "0"] = text.split("e");
  const decimals = (mantissa!.split(".")[1] ?? "").length - Number(exponent);
  return Math.abs(actual - written) <= 0.5 * 10 ** -decimals * (1 + 1e-9);
}

/** Where `actual` departs from `expected` (a path and the two values), or undefined when it does not. */
function difference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (isArray(actual)) return difference(actual.toArray(), expected, path);
  if (typeof expected === "number") return typeof actual === "number" && numberMatches(actual, expected) ? undefined : `${path}: ${String(actual)} is not ${String(expected)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: ${show(actual)} is not an array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} is not ${expected.length} (${show(actual)})`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null) return `${path}: ${show(actual)} is not an object`;
    const [a, e] = [Object.keys(actual).sort(), Object.keys(expected).sort()];
    if (a.join() !== e.join()) return `${path}: keys ${a.join(", ")} are not ${e.join(", ")}`;
    for (const key of e) {
      const d = difference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)} is not ${show(expected)}`;
}

function show(x: unknown): string {
  if (isArray(x)) return `NDArray ${JSON.stringify(x.toArray())}`;
  try {
    return typeof x === "string" ? JSON.stringify(x) : (JSON.stringify(x, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(x));
  } catch {
    return String(x);
  }
}

/** Why a statement's value does not match the written value, or undefined when it does. */
export function valueMismatch(actual: unknown, text: string): string | undefined {
  const quoted = /^["'`]/.test(text);
  if (typeof actual === "string" && !quoted) return actual === text ? undefined : `got\n${actual}\nexpected\n${text}`;
  let expected: unknown;
  try {
    expected = new Function(`"use strict"; return (${text});`)();
  } catch (error) {
    return `the expected value \`${text}\` is not a JavaScript literal (${(error as Error).message})`;
  }
  const d = difference(actual, expected, "value");
  return d && `${d}\n  got      ${show(actual)}\n  expected ${text}`;
}

/** Why a thrown error (or nothing thrown) does not match `NameError: message`, or undefined when it does. */
export function errorMismatch(thrown: { error: unknown } | undefined, text: string): string | undefined {
  if (!thrown) return `nothing was thrown; expected ${text}`;
  const e = thrown.error as { name?: unknown; message?: unknown };
  const got = `${String(e?.name)}: ${String(e?.message)}`;
  const ok = text.endsWith("…") ? got.startsWith(text.slice(0, -1)) : got === text;
  return ok ? undefined : `threw\n  ${got}\nexpected\n  ${text}`;
}
