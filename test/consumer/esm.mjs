// The ESM consumer: `import` by package name, as a Node user writes it.
import * as vz from "vectorized";
import { readFileSync } from "node:fs";
import { compute } from "./compute.mjs";

console.log(JSON.stringify(await compute(vz, readFileSync("public/deflated.npz"))));
