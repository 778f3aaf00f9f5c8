/**
 * Options checked by name: a misspelt option (`{ delimeter: ";" }`, `--learning_rate`) is an
 * error that suggests the name meant, never silently ignored.
 */
import { ValueError } from "../errors.js";
import { excerpt } from "./source.js";

/**
 * Refuses an options object with a key outside `known`.
 * @throws {ValueError} `readCsv: unknown option "delimeter" (did you mean "delimiter"?)`; options that are not an object.
 */
export function checkOptions(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = didYouMean(key, known);
    throw new ValueError(`${op}: unknown option ${JSON.stringify(excerpt(key))}${near === undefined ? `; the options are ${known.join(", ")}` : ` (did you mean ${JSON.stringify(near)}?)`}`);
  }
}

/**
 * The name in `known` that `name` most likely misspells: the same letters once case, `-` and `_`
 * are ignored (`learning_rate` for `learning-rate`), else one at most 2 edits away.
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const same = known.find((k) => plain(k) === plain(name));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(plain(name), plain(k), bestDistance);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance, or `cap` as soon as it is known to be at least that (names can be long). */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...row) >= cap) return cap;
    previous = row;
  }
  return Math.min(previous[b.length]!, cap);
}
