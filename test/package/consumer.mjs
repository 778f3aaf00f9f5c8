// An ESM consumer of the built package, resolved through package.json "exports" (self-reference).
import * as vz from "vectorized";

const backend = await vz.init();
const sum = vz.add(vz.array([[1], [2]]), vz.array([10, 20, 30]));
let error;
try {
  vz.add(vz.array([1, 2, 3]), vz.array([1, 2]));
} catch (e) {
  error = { name: e.name, isBroadcastError: e instanceof vz.BroadcastError, message: e.message };
}
console.log(JSON.stringify({ backend, sum: sum.toArray(), error, baseline: await vz.init({ simd: false }) }));
