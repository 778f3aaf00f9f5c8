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
    await vz.init({ simd: data.simd });
    train(vz, data, post);
    post({ type: "done" });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", name: e.name, message: e.message });
  }
});
