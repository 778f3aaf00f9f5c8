/**
 * Where a `node --cpu-prof` profile's time went: self time per function (with its file and
 * line), largest first, as percentages of the sampled time. Used for issue 12's per-op profile.
 *   tsx bench/cpuprofile_summary.ts PROFILE.cpuprofile [TOP=30] [--categories]
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, top = "30"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!file) throw new Error("usage: tsx bench/cpuprofile_summary.ts PROFILE.cpuprofile [TOP]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// The op loop's window: from the first to the last sample whose stack passes through
// small_loop.ts's `opLoop` (start-up and module loading, whose top level is small_loop.ts's
// too, are left out; the collector's samples inside the window are counted).
const inLoop = (id: number): boolean => {
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const frame = byId.get(n)!.callFrame;
    if (frame.functionName === "opLoop" && frame.url.includes("bench/small_loop.ts")) return true;
  }
  return false;
};
const looping = profile.samples.map(inLoop);
const [first, last] = [looping.indexOf(true), looping.lastIndexOf(true)];
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (first >= 0 && (i < first || i > last)) return;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((s, t) => s + t, 0);
const perFunction = new Map<string, number>();
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = url ? `${url.replace(/^.*\/(ts|bench|node_modules)\//, "$1/")}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`;
  perFunction.set(key, (perFunction.get(key) ?? 0) + t);
}
const rows = [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`total sampled ${(total / 1e3).toFixed(0)} ms${first >= 0 ? " (the loop in bench/small_loop.ts)" : ""}`);
for (const [key, t] of rows) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`);

/**
 * The same time by cost, for the per-op profile: each function of the op path named by what it
 * spends time on (self time only; with `--no-turbo-inlining` the attribution is per function).
 */
const categories: [string, RegExp][] = [
  ["wasm code (kernels, dlmalloc)", /^wasm-function|^wasm-to-js|^js-to-wasm/],
  ["wasm-bindgen glue: Vec copies", /^passArray|^getUint32ArrayMemory|^getInt32ArrayMemory|^getUint8ArrayMemory|^getFloat64ArrayMemory|_f32\d* |_f64\d* |^takeObject|^getArrayF64/],
  ["boundary marshalling (typed arrays, operand tuples, the layout descriptor)", /^operand |^dims |^call |^argsFor|^descriptor|^writeLayout|^layouts |^checkSize /],
  ["result buffer alloc/free", /^alloc |^free |^newBuffer |^release |^Block /],
  ["FinalizationRegistry (hold/letGo)", /^hold |^letGo /],
  ["NDArray construction and views", /^_?NDArray |^empty |^contiguousStrides |^view |^target |^get size |^get ndim |^get strides |^get isContiguous |^withLayout |^run /],
  ["scope bookkeeping", /^track |^current |^scope |^close |^collect |^isPromise |^getStore /],
  ["validation and broadcasting", /^check|^sameBackend |^own |^isContiguous |^sizeOf |^sameShape |^broadcast|^prepareInput |^operandArrays |^readableWhileWriting |^promoteTypes |^lengths |^design /],
  ["op driver (closures, temporaries, result)", /^binaryOp |^binaryArrays |^unaryOp |^binary |^unary |^matmul |^product |^withTemporaries |^writeResult |^\(anonymous\) file|^add |^tanh /],
  ["garbage collector", /^\(garbage collector\)/],
  ["idle / program / startup", /^\(idle\)|^\(program\)|node:|^\(anonymous\) node|^readFileUtf8|^RegExp|^receiveMessageOnPort|^startThread|esbuild|tsx/],
];
if (process.argv.includes("--categories")) {
  const sums = new Map<string, number>();
  for (const [key, t] of perFunction) {
    const category = categories.find(([, re]) => re.test(key))?.[0] ?? "other";
    sums.set(category, (sums.get(category) ?? 0) + t);
  }
  const idle = sums.get("idle / program / startup") ?? 0;
  console.log(`\nby cost (percent of the op loop's time, idle and startup excluded):`);
  for (const [category, t] of [...sums].sort((a, b) => b[1] - a[1])) {
    if (category === "idle / program / startup") continue;
    console.log(`${((100 * t) / (total - idle)).toFixed(1).padStart(5)}%  ${category}`);
  }
  const others = [...perFunction].filter(([key]) => !categories.some(([, re]) => re.test(key))).sort((a, b) => b[1] - a[1]).slice(0, 8);
  if (others.length) console.log(`other: ${others.map(([k, t]) => `${k.split(" ")[0]} ${((100 * t) / (total - idle)).toFixed(1)}%`).join(", ")}`);
}
