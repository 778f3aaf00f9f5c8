/**
 * The demo page's training worker: the page stays responsive while wasm trains. One worker per
 * Train click (so a new click simply terminates the old one); it posts `Report`s, then "done".
 */
import * as vz from "vectorized";
import { train, type Report, type TrainRequest } from "./train.js";

export type WorkerRequest = TrainRequest & { simd: boolean };
export type WorkerMessage = Report | { type: "done" } | { type: "error"; name: string; message: string };

const post = (message: WorkerMessage) => self.postMessage(message);

self.addEventListener("message", async ({ data }: MessageEvent<WorkerRequest>) => {
  try {
    // The SIMD128 build, not the relaxed one: its results are the same bits in every engine,
    // which the browser tests compare with Node's (relaxed multiply-adds may fuse or not).
    await vz.init(data.simd ? { relaxed: false } : { simd: false });
    train(vz, data, post);
    post({ type: "done" });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", name: e.name, message: e.message });
  }
});
