// The page's entry: imports the installed package by name, with no bundler configuration.
import * as vz from "vectorized";
import { compute } from "./compute.mjs";

const status = document.getElementById("status");
try {
  const npz = new Uint8Array(await (await fetch("/deflated.npz")).arrayBuffer());
  const result = await compute(vz, npz);
  document.getElementById("result").textContent = Object.entries(result)
    .map(([backend, r]) => `${backend}\n${r.addString}\nsum(axis=0) ${JSON.stringify(r.sumAxis0)}  mean ${r.mean}  exp(-2…2) ${r.exp.map((v) => v.toFixed(4)).join(" ")}`)
    .join("\n\n");
  window.__result = result;
  status.textContent = `done: ${Object.keys(result).join(", ")}`;
} catch (error) {
  window.__error = String(error && error.stack || error);
  status.textContent = `failed: ${error}`;
}
