/**
 * `npx tsx bench/report.ts [name]`: rebuilds bench/results/<name>.md and .html (and, for
 * `latest`, the README's benchmark table) from bench/results/<name>.json without re-running the
 * benchmarks, e.g. after changing how the report is drawn. `npm run bench` does this itself.
 */
import { loadRun, writeReports } from "./report_write.js";

const out = process.argv[2] ?? "latest";
for (const file of writeReports(loadRun(out), out)) console.log(`wrote ${file}`);
