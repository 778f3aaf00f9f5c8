// `npx vectorized train <file> --label <column>` on users' own data, as the built bin runs it.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "vz-cli-"));

/** A separable CSV: label 1 exactly when a + b > 1. */
function separableCsv(): string {
  const rows = ["a,b,label"];
  for (let i = 0; i < 120; i++) {
    const a = ((i * 37) % 100) / 100;
    const b = ((i * 61) % 100) / 100;
    if (Math.abs(a + b - 1) < 0.1) continue; // a margin, so 100 % is reachable
    rows.push(`${a},${b},${a + b > 1 ? 1 : 0}`);
  }
  return rows.join("\n");
}

describe("vectorized train", () => {
  it("trains on a CSV and prints the course's report", () => {
    const file = join(dir, "data.csv");
    writeFileSync(file, separableCsv());
    const out = execFileSync(process.execPath, [cli, "train", file, "--label", "label", "--iterations", "3000", "--learning-rate", "5", "--test-split", "0.25"], { encoding: "utf8" });
    expect(out).toMatch(/Cost after iteration 0: 0\.693147/);
    expect(out).toMatch(/Cost after iteration 2900: /);
    expect(out).toMatch(/train accuracy: 100\.00 %/);
    expect(out).toMatch(/test accuracy: \d+\.\d\d %/);
    expect(out).toMatch(/reference backend: .* (faster|slower on data this small)$/m);
  });

  it("reads an .npy table in either layout: the course's (n+1, m) with --layout cols gives the same run", () => {
    const rows = separableCsv().split("\n").slice(1).map((line) => line.split(",").map(Number));
    vz.setBackend("reference");
    const table = vz.array(rows, { dtype: "float64" }); // (m, 3): a, b, label
    writeFileSync(join(dir, "rows.npy"), vz.io.writeNpy(table));
    writeFileSync(join(dir, "cols.npy"), vz.io.writeNpy(table.T.copy())); // (3, m), as the course stores X with Y below
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [cli, "train", ...args, "--iterations", "500", "--learning-rate", "5", "--record-every", "100"], { encoding: "utf8" });
    const report = (out: string) => out.split("\n").filter((line) => /^(Cost after|train accuracy|test accuracy)/.test(line));
    const byRows = run(join(dir, "rows.npy"), "--label", "-1");
    const byCols = run(join(dir, "cols.npy"), "--label", "2", "--layout", "cols");
    expect(byCols).toMatch(new RegExp(`cols\\.npy \\(examples in columns\\): ${rows.length} examples × 2 features`));
    expect(report(byRows)).toHaveLength(7);
    expect(report(byCols)).toEqual(report(byRows));
  });

  it("runs on Node 18 as well (the oldest in package.json's engines), with the same report", () => {
    const file = join(dir, "data18.csv");
    writeFileSync(file, separableCsv());
    const args = [cli, "train", file, "--label", "label", "--iterations", "300", "--learning-rate", "5"];
    const report = (out: string) => out.split("\n").filter((line) => /^(Cost after|train accuracy|test accuracy)/.test(line));
    const node18 = fileURLToPath(new URL("../target/node/18.20.8/bin/node", import.meta.url)); // scripts/setup.sh fetches it
    const old = execFileSync(node18, args, { encoding: "utf8" });
    expect(report(old)).toHaveLength(5);
    expect(report(old)).toEqual(report(execFileSync(process.execPath, args, { encoding: "utf8" })));
  });

  it("reports a bad file or bad flags with a clear message and exit code 1", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,label\n1,0\nx,1\n");
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    const r1 = run("train", bad, "--label", "label");
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/bad\.csv/);
    expect(r1.stderr).toMatch(/row 3|line 3/);
    const r2 = run("train", bad);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/--label is required/);
    const r3 = run("train", join(dir, "missing.csv"), "--label", "y");
    expect(r3.status).toBe(1);
    expect(r3.stderr).toMatch(/missing\.csv/);
    const r4 = run("train", bad, "--label", "label", "--layout", "cols");
    expect(r4.status).toBe(1);
    expect(r4.stderr).toContain("bad.csv: --layout cols reads an .npy table of shape (n+1, m); a CSV file has one example per row (--layout rows)");
    const r5 = run("train", bad, "--label", "label", "--layout", "columns");
    expect(r5.stderr).toContain(`--layout must be rows or cols, got "columns"`);
  });

  it("refuses unknown or misspelt options by name, suggesting the close match", () => {
    const file = join(dir, "opts.csv");
    writeFileSync(file, separableCsv());
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, "train", file, "--label", "label", ...args], { encoding: "utf8" });
    for (const [given, meant] of [["--learning_rate", "--learning-rate"], ["--iteration", "--iterations"], ["--Seed", "--seed"]]) {
      const r = run(given!, "1");
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^vectorized: unknown option ${given} \\(did you mean ${meant}\\?\\)\n`));
      expect(r.stdout).toBe(""); // refused before any work
    }
    expect(run("--frobnicate", "1").stderr).toMatch(/^vectorized: unknown option --frobnicate\n\nUsage:/);
    expect(run("--seed", "1", "--seed", "2").stderr).toMatch(/--seed is given twice/);
    expect(run("--iterations").stderr).toMatch(/--iterations needs a value/);
    expect(run("--dtype", "int8").stderr).toMatch(/--dtype must be float32 or float64, got "int8"/);
    expect(run("--iterations", "12abc").stderr).toMatch(/--iterations must be a number, got "12abc"/);
  });

  it("--iterations 0: no training, accuracies of the initial model, no speed comparison (no Infinity or NaN)", () => {
    const file = join(dir, "zero.csv");
    writeFileSync(file, separableCsv());
    const r = spawnSync(process.execPath, [cli, "train", file, "--label", "label", "--iterations", "0"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/trained 0 iterations in /);
    expect(r.stdout).toMatch(/reference backend: not compared \(no iterations were run\)/);
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
  });

  it("reads regular files only: a device (/dev/zero) or a directory is refused before reading", () => {
    for (const path of ["/dev/zero", dir]) {
      const r = spawnSync(process.execPath, [cli, "train", path, "--label", "y"], { encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`vectorized: train: ${path}: cannot read the file: it is not a regular file (a device, a pipe or a directory)\n`);
    }
  });

  it("splits train and test in one gather: every row lands in exactly one part, with its label", () => {
    // Label = row number mod 2 and one feature = row number: the report's counts, and a model
    // that can only reach 100 % if no row was misaligned with its label.
    const rows = ["i,label"];
    for (let i = 0; i < 1000; i++) rows.push(`${i % 2 === 0 ? -1 : 1},${i % 2}`);
    const file = join(dir, "parity.csv");
    writeFileSync(file, rows.join("\n"));
    const out = execFileSync(process.execPath, [cli, "train", file, "--label", "label", "--iterations", "200", "--learning-rate", "1", "--test-split", "0.3"], { encoding: "utf8" });
    expect(out).toMatch(/1000 examples × 1 features; 700 for training, 300 for testing/);
    expect(out).toMatch(/train accuracy: 100\.00 %/);
    expect(out).toMatch(/test accuracy: 100\.00 %/);
  });
});
