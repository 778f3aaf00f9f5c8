/**
 * The demo page: pick a dataset and settings, Train starts a worker that trains with vectorized
 * and reports back; the plots follow live. `window.__demo` exposes the run's state and figures
 * for the browser test.
 */
import { DATASETS, IMAGE_SIDE, type Dataset, type DatasetName } from "../datasets.js";
import { drawCost, drawData, drawWeights } from "./plots.js";
import type { WorkerMessage, WorkerRequest } from "./worker.js";

type State = "idle" | "training" | "timing" | "done" | "error";
interface Run {
  state: State;
  request?: WorkerRequest;
  backend?: string;
  threads?: { count: number; reason: string };
  costs: [number, number][];
  /** Progress reports received (the plots' updates). */
  parts: number;
  weights?: Float32Array;
  bias?: number;
  /** A network's P(y = 1 | x) on a side × side grid over the plot. */
  grid?: Float32Array;
  side?: number;
  trainAccuracy?: number;
  testAccuracy?: number;
  trainMs?: number;
  speed?: { iterations: number; backend: string; backendMs: number; referenceMs: number };
  error?: string;
}
declare global {
  interface Window {
    __demo: Run;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const [datasetSelect, rateInput, iterationsInput, buildSelect, trainButton] = [
  $<HTMLSelectElement>("dataset"),
  $<HTMLInputElement>("learning-rate"),
  $<HTMLInputElement>("iterations"),
  $<HTMLSelectElement>("build"),
  $<HTMLButtonElement>("train"),
];
const [dataCanvas, costCanvas] = [$<HTMLCanvasElement>("data-plot"), $<HTMLCanvasElement>("cost-plot")];

let worker: Worker | undefined;
let run: Run = { state: "idle", costs: [], parts: 0 };
let shown: Dataset | undefined; // 2-D data made here too, for drawing
let frame = 0;

const percent = (v: number) => `${(100 * v).toFixed(2)} %`;
const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);

for (const [name, info] of Object.entries(DATASETS)) datasetSelect.add(new Option(info.label, name));

function chooseDataset(name: DatasetName): void {
  const info = DATASETS[name];
  rateInput.value = String(info.learningRate);
  iterationsInput.value = String(info.iterations);
  $("about").textContent = info.about;
  shown = name === "images" ? undefined : info.make();
  const network = (info as { network?: { layers: number[] } }).network;
  $("data-caption").textContent = shown
    ? `training points filled, test points hollow; shading: P(y = 1 | x); line: ${network ? `where the network ${JSON.stringify(network.layers)} says 0.5` : "wᵀx + b = 0"}`
    : `the weights w as a ${IMAGE_SIDE}×${IMAGE_SIDE} image (mean of the 3 colours)`;
  worker?.terminate();
  setRun({ state: "idle", costs: [], parts: 0 });
  $("status").textContent = "ready: press Train";
}

function setRun(next: Run): void {
  run = next;
  window.__demo = run;
  redraw();
}

/** Draws on the next animation frame: many reports may arrive between two frames. */
function redraw(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const model =
      run.grid && run.side ? { grid: run.grid, side: run.side } : run.weights && run.bias !== undefined ? { weights: run.weights, bias: run.bias } : undefined;
    if (shown) drawData(dataCanvas, shown, model);
    else drawWeights(dataCanvas, run.weights, IMAGE_SIDE);
    drawCost(costCanvas, run.costs, run.request?.iterations ?? Number(iterationsInput.value));
    $("backend").textContent = run.backend ?? "–";
    $("threads").textContent = run.threads ? `${run.threads.count}${run.threads.reason ? ` (${run.threads.reason})` : ""}` : "–";
    $("train-accuracy").textContent = run.trainAccuracy === undefined ? "–" : percent(run.trainAccuracy);
    $("test-accuracy").textContent = run.testAccuracy === undefined ? "–" : percent(run.testAccuracy);
    $("train-time").textContent =
      run.trainMs === undefined || !run.request ? "–" : `${ms(run.trainMs)} for ${run.request.iterations} iterations (${ms(run.trainMs / run.request.iterations)} each)`;
    const s = run.speed;
    $("speed").textContent = s
      ? `${(s.referenceMs / s.backendMs).toFixed(1)}× faster: ${s.iterations} iterations take ${ms(s.backendMs)} on ${s.backend}, ${ms(s.referenceMs)} on the pure-TypeScript reference backend`
      : "–";
  });
}

function onMessage(message: WorkerMessage): void {
  const status = $("status");
  switch (message.type) {
    case "data":
      run.backend = message.backend;
      run.threads = message.threads;
      status.textContent = `training on ${message.backend}: X is (${message.nx}, ${message.mTrain})…`;
      break;
    case "progress":
      run.costs.push(...message.costs);
      run.parts++;
      if ("grid" in message) Object.assign(run, { grid: message.grid, side: message.side, trainMs: message.trainMs });
      else Object.assign(run, { weights: message.weights, bias: message.bias, trainMs: message.trainMs });
      status.textContent = `training on ${run.backend}: ${message.done} / ${run.request!.iterations} iterations`;
      break;
    case "trained":
      Object.assign(run, { state: "timing", trainAccuracy: message.trainAccuracy, testAccuracy: message.testAccuracy, trainMs: message.trainMs });
      status.textContent = "timing the same training on the reference backend…";
      break;
    case "speed":
      run.speed = message;
      break;
    case "done":
      run.state = "done";
      status.textContent = `done: train accuracy ${percent(run.trainAccuracy!)}, test accuracy ${percent(run.testAccuracy!)}`;
      trainButton.textContent = "Train";
      break;
    case "error":
      Object.assign(run, { state: "error", error: `${message.name}: ${message.message}` });
      status.textContent = `failed: ${run.error}`;
      trainButton.textContent = "Train";
      break;
  }
  redraw();
}

$<HTMLFormElement>("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  const request: WorkerRequest = {
    dataset: datasetSelect.value as DatasetName,
    learningRate: Number(rateInput.value),
    iterations: Number(iterationsInput.value),
    simd: buildSelect.value === "simd",
  };
  worker?.terminate(); // a second click starts again
  worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  worker.addEventListener("message", ({ data }: MessageEvent<WorkerMessage>) => onMessage(data));
  worker.addEventListener("error", (event) => onMessage({ type: "error", name: "Error", message: event.message || "the worker failed to start" }));
  setRun({ state: "training", request, costs: [], parts: 0 });
  $("status").textContent = "starting…";
  trainButton.textContent = "Restart";
  worker.postMessage(request);
});

datasetSelect.addEventListener("change", () => chooseDataset(datasetSelect.value as DatasetName));
chooseDataset("blobs");
trainButton.disabled = false;
