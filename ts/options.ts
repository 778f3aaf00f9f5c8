/**
 * Option objects are checked by name: a misspelt option (`learning_rate` for `learningRate`)
 * would otherwise be ignored silently and its default used.
 */
import { ValueError } from "./errors.js";

/**
 * Throws for any key of `options` that is not in `known`, suggesting the closest known name.
 * @throws {ValueError} `LogisticRegression: unknown option 'learning_rate' (did you mean 'learningRate'?); known options: …`
 */
export function checkOptions(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new ValueError(
      `${op}: unknown option '${excerpt(key)}'${guess ? ` (did you mean '${guess}'?)` : ""}; known options: ${known.map((k) => `'${k}'`).join(", ")}`,
    );
  }
}

/** The known name nearest to `name` ignoring case, `_` and `-`, if it is near enough to be a slip. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(norm(name), norm(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(norm(name).length / 4)) ? best : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`; names are short. */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** At most `max` characters of untrusted text, for an error message. */
export function excerpt(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Any value as a short, safe piece of an error message (a Symbol or a huge string included). */
export function show(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `'${excerpt(value)}'`;
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${excerpt(String(value))}n`;
    case "object":
      return value === null ? "null" : Array.isArray(value) ? `a list of ${value.length}` : "an object";
    default:
      return `a ${typeof value}`;
  }
}
