/**
 * A reader for the Python literals a `.npy` header holds: a dict of strings, booleans, ints and
 * tuples (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`), as numpy's
 * `ast.literal_eval` reads it. The result keeps what numpy's checks tell apart: ints (exact, as
 * bigint) from floats, tuples from lists; dicts are Maps, so no key (`__proto__`) is special.
 */

export type PythonValue = string | bigint | number | boolean | null | PythonValue[] | PythonTuple | PythonDict;
export type PythonDict = Map<string, PythonValue>;

/** A Python tuple (a JS array is a Python list). */
export class PythonTuple {
  constructor(readonly items: PythonValue[]) {}
}

/** Deeper nesting is refused rather than recursed into (no header nests more than a few levels). */
const MAX_DEPTH = 64;

const INT = /[+-]?\d+L?/y; // 3L: Python 2's long ints, as numpy's _filter_header allows
const FLOAT = /[+-]?(?:(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/y;
const WORD = /(?:True|False|None)(?!\w)/y;

/**
 * Parses one Python literal: `parsePythonLiteral("{'shape': (2, 3)}")` is a Map from "shape"
 * to a PythonTuple of 2n and 3n. (Internal: not part of the package's API, so no `@example`,
 * which would run as a doctest against the package.)
 * @throws {SyntaxError} with the position of the first character that does not fit.
 */
export function parsePythonLiteral(text: string): PythonValue {
  let pos = 0;
  let depth = 0;

  const fail = (what: string): never => {
    const near = text.slice(pos, pos + 12).trimEnd();
    throw new SyntaxError(`${what} at character ${pos}${near ? ` ('${near}')` : " (the end)"}`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = pos;
    const found = pattern.exec(text)?.[0];
    if (found !== undefined) pos += found.length;
    return found;
  };

  /** Items up to `close`; `sawComma` tells `(1)` (a parenthesised int) from `(1,)` (a tuple). */
  const sequence = (close: string): { items: PythonValue[]; sawComma: boolean } => {
    const items: PythonValue[] = [];
    let sawComma = false;
    for (;;) {
      skipSpace();
      if (text[pos] === close) break;
      items.push(value());
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        sawComma = true;
      } else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
    pos++;
    return { items, sawComma };
  };

  const dict = (): PythonDict => {
    const entries: PythonDict = new Map();
    for (;;) {
      skipSpace();
      if (text[pos] === "}") break;
      const key = value();
      if (typeof key !== "string") fail("expected a string key");
      skipSpace();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      entries.set(key as string, value());
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== "}") fail("expected ',' or '}'");
    }
    pos++;
    return entries;
  };

  const string = (quote: string): string => {
    let out = "";
    for (;;) {
      const c = text[pos++];
      if (c === undefined) return fail("unterminated string");
      if (c === quote) return out;
      if (c === "\n") return fail("unterminated string");
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[pos++];
      const hex = (n: number) => {
        const digits = text.slice(pos, pos + n);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== n) fail("bad escape");
        const code = parseInt(digits, 16);
        if (code > 0x10ffff) fail("bad escape");
        pos += n;
        return String.fromCodePoint(code);
      };
      if (e === "x") out += hex(2);
      else if (e === "u") out += hex(4);
      else if (e === "U") out += hex(8);
      else if (e === "n") out += "\n";
      else if (e === "t") out += "\t";
      else if (e === "r") out += "\r";
      else if (e === "0") out += "\0";
      else if (e !== undefined) out += e; // \\ \' \" and anything else taken literally
    }
  };

  const value = (): PythonValue => {
    skipSpace();
    const c = text[pos];
    if (c === "{" || c === "(" || c === "[") {
      if (++depth > MAX_DEPTH) fail(`more than ${MAX_DEPTH} levels of nesting`);
      pos++;
      let result: PythonValue;
      if (c === "{") result = dict();
      else if (c === "[") result = sequence("]").items;
      else {
        const { items, sawComma } = sequence(")");
        result = items.length === 1 && !sawComma ? items[0]! : new PythonTuple(items);
      }
      depth--;
      return result;
    }
    if (c === "'" || c === '"') {
      pos++;
      return string(c);
    }
    const start = pos;
    const float = match(FLOAT);
    if (float !== undefined) return Number(float);
    const int = match(INT);
    if (int !== undefined) {
      // "1e5" or "1.5" fell to FLOAT above; an int followed by a letter or dot is not one.
      if (/[\w.]/.test(text[pos] ?? "")) {
        pos = start;
        return fail("expected a value");
      }
      return BigInt(int.endsWith("L") ? int.slice(0, -1) : int);
    }
    const word = match(WORD);
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    return fail("expected a value");
  };

  const result = value();
  skipSpace();
  if (pos !== text.length) fail("unexpected text after the value");
  return result;
}

/** How Python prints a parsed value (`(2, 3)`, `(2.0,)`, `[2, 3]`, `True`), for error messages; `undefined` (a missing key) as nothing. */
export function pythonRepr(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint") return String(value);
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === "string") return `'${value.replace(/[\\']/g, "\\$&").replace(/\n/g, "\\n")}'`;
  if (value instanceof PythonTuple) return value.items.length === 1 ? `(${pythonRepr(value.items[0])},)` : `(${value.items.map(pythonRepr).join(", ")})`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  return String(value);
}
