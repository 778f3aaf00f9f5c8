// A CommonJS consumer of the built package, resolved through package.json "exports" (self-reference).
const vz = require("vectorized");

vz.init().then((backend) => {
  const sum = vz.add(vz.array([[1], [2]]), vz.array([10, 20, 30]));
  let error;
  try {
    vz.add(vz.array([1, 2, 3]), vz.array([1, 2]));
  } catch (e) {
    error = { name: e.name, isBroadcastError: e instanceof vz.BroadcastError, message: e.message };
  }
  return vz.init({ simd: false }).then((baseline) => {
    console.log(JSON.stringify({ backend, sum: sum.toArray(), error, baseline }));
  });
});
