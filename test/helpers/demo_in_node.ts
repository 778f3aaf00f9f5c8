/**
 * The demo page's training run (scripts/demo_web/train.ts) done in Node on the built package:
 * what the page's worker would have posted, for the browser tests to compare the page with.
 */
import * as vz from "../../dist/index.js";
import type { DatasetName } from "../../scripts/datasets.js";
import { train, type Report } from "../../scripts/demo_web/train.js";

/** The demo page's controls. */
export interface DemoSettings {
  dataset: DatasetName;
  learningRate: number;
  iterations: number;
  simd: boolean;
}

/** The same run in Node, on the same built package; what the worker would have posted. */
export async function trainInNode({ simd, ...request }: DemoSettings) {
  await vz.init(simd ? { relaxed: false } : { simd: false }); // as the page's worker
  const reports: Report[] = [];
  train(vz, request, (r) => reports.push(r));
  const of = <T extends Report["type"]>(type: T) => reports.filter((r): r is Extract<Report, { type: T }> => r.type === type);
  const progress = of("progress");
  const last = progress[progress.length - 1]!;
  // A linear model reports its weights; the network, P(y = 1 | x) on a grid for the boundary.
  const model = "weights" in last ? { weights: Array.from(last.weights), bias: last.bias } : { grid: Array.from(last.grid), side: last.side };
  return { backend: of("data")[0]!.backend, costs: progress.flatMap((p) => p.costs), parts: progress.length, ...model, ...of("trained")[0]! };
}
