/**
 * A reader for the Python literals a `.npy` header holds: a dict of strings, booleans, ints and
 * tuples (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`), as numpy's
 * `ast.literal_eval` reads it. Tuples and lists both become JS arrays.
 */

export type PythonValue = string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

/**
 * Parses one Python literal.
 * @throws {SyntaxError} with the position of the first character that does not fit.
 * @example
 * parsePythonLiteral("{'shape': (2, 3), 'fortran_order': False}"); // { shape: [2, 3], fortran_order: false }
 */
export function parsePythonLiteral(text: string): PythonValue {
  let pos = 0;

  const fail = (what: string): never => {
    const near = text.slice(pos, pos + 12).trimEnd();
    throw new SyntaxError(`${what} at character ${pos}${near ? ` ('${near}')` : " (the end)"}`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };

  const sequence = (close: string): PythonValue[] => {
    const items: PythonValue[] = [];
    for (;;) {
      skipSpace();
      if (text[pos] === close) break;
      items.push(value());
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
    pos++;
    return items;
  };

  const dict = (): { [key: string]: PythonValue } => {
    const entries: { [key: string]: PythonValue } = {};
    for (;;) {
      skipSpace();
      if (text[pos] === "}") break;
      const key = value();
      if (typeof key !== "string") fail("expected a string key");
      skipSpace();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      entries[key as string] = value();
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
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[pos++];
      const hex = (n: number) => {
        const digits = text.slice(pos, pos + n);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== n) fail("bad escape");
        pos += n;
        return String.fromCodePoint(parseInt(digits, 16));
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
    if (c === "{" || c === "(" || c === "[" || c === "'" || c === '"') {
      pos++;
      if (c === "{") return dict();
      return c === "(" ? sequence(")") : c === "[" ? sequence("]") : string(c);
    }
    const word = /^(?:True|False|None|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?L?)/.exec(text.slice(pos))?.[0];
    if (!word) return fail("expected a value");
    pos += word.length;
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    return Number(word.endsWith("L") ? word.slice(0, -1) : word); // 3L: Python 2's long ints
  };

  const result = value();
  skipSpace();
  if (pos !== text.length) fail("unexpected text after the value");
  return result;
}
