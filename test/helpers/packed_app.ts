/**
 * The package as users get it: `npm pack`, installed from the tarball (offline: it has no
 * dependencies) into an empty ESM project that holds test/consumer's scripts and page. The
 * engine tests run that project's files in other runtimes and browsers.
 */
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

export interface PackedApp {
  /** The consumer project: node_modules/vectorized, test/consumer's files, public/deflated.npz. */
  app: string;
  /** A site for browsers without a bundler: the installed dist/ as plain ES modules behind an import map. */
  site: string;
  /** Removes everything. */
  remove(): void;
}

/** Packs the built package and installs it into a fresh temporary project. */
export async function installPackedApp(): Promise<PackedApp> {
  const work = mkdtempSync(join(tmpdir(), "vectorized-packed-"));
  const npm = (args: string[], cwd: string) => run("npm", args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const [pack] = JSON.parse((await npm(["pack", "--json", "--silent", "--pack-destination", work], root)).stdout) as { filename: string }[];
  const app = join(work, "app");
  mkdirSync(join(app, "public"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await npm(["install", "--offline", "--no-audit", "--no-fund", "--silent", join(work, pack!.filename)], app);
  for (const file of ["compute.mjs", "esm.mjs", "cjs.cjs", "index.html", "main.js"]) copyFileSync(join(root, "test/consumer", file), join(app, file));
  copyFileSync(join(root, "test/fixtures/io/deflated.npz"), join(app, "public/deflated.npz"));

  const site = join(work, "site");
  cpSync(join(app, "node_modules/vectorized/dist"), join(site, "vectorized"), { recursive: true });
  for (const file of ["main.js", "compute.mjs"]) copyFileSync(join(app, file), join(site, file));
  copyFileSync(join(app, "public/deflated.npz"), join(site, "deflated.npz"));
  const importMap = `<script type="importmap">{ "imports": { "vectorized": "/vectorized/index.js" } }</script>`;
  writeFileSync(join(site, "index.html"), readFileSync(join(app, "index.html"), "utf8").replace("</head>", `  ${importMap}\n  </head>`));

  return { app, site, remove: () => rmSync(work, { recursive: true, force: true }) };
}
