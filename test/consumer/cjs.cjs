// The CJS consumer: `require` by package name, as a Node user writes it.
const vz = require("vectorized");
const { readFileSync } = require("node:fs");

import("./compute.mjs")
  .then(({ compute }) => compute(vz, readFileSync("public/deflated.npz")))
  .then((result) => console.log(JSON.stringify(result)));
