/** The demo page's plots, drawn on canvases: the cost curve, 2-D data with the decision boundary, and weights as an image. */
import { extent, type Dataset, type Split } from "../datasets.js";

const CLASS_COLOURS = ["#1f77b4", "#ff7f0e"] as const; // label 0, label 1
const MARGIN = { left: 66, right: 16, top: 16, bottom: 40 };

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const g = canvas.getContext("2d")!;
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "white";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.font = "12px system-ui, sans-serif";
  return g;
}

/** Maps data coordinates to pixels inside the margins. */
function frame(canvas: HTMLCanvasElement, [x0, x1]: [number, number], [y0, y1]: [number, number]) {
  const [w, h] = [canvas.width - MARGIN.left - MARGIN.right, canvas.height - MARGIN.top - MARGIN.bottom];
  return {
    px: (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * w,
    py: (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * h,
    x: (px: number) => x0 + ((px - MARGIN.left) / w) * (x1 - x0),
    y: (py: number) => y0 + (1 - (py - MARGIN.top) / h) * (y1 - y0),
  };
}

/** Round tick values inside [lo, hi], about five: steps of 1, 2, 2.5 or 5 times a power of ten. */
function ticks([lo, hi]: [number, number]): number[] {
  const rough = (hi - lo) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = power * ([1, 2, 2.5, 5, 10].find((k) => k * power >= rough) ?? 10);
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(v);
  return values;
}

/** A tick label without float noise (0.30000000000000004 → 0.3). */
const label = (v: number) => String(Number(v.toPrecision(10)));

/** Axes with round ticks, labelled. */
function axes(g: CanvasRenderingContext2D, f: ReturnType<typeof frame>, xs: [number, number], ys: [number, number], labels: [string, string]) {
  const [W, H] = [g.canvas.width, g.canvas.height];
  g.strokeStyle = "#333";
  g.fillStyle = "#333";
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(MARGIN.left, MARGIN.top);
  g.lineTo(MARGIN.left, H - MARGIN.bottom);
  g.lineTo(W - MARGIN.right, H - MARGIN.bottom);
  g.stroke();
  g.textAlign = "center";
  for (const v of ticks(xs)) g.fillText(label(v), f.px(v), H - MARGIN.bottom + 16);
  g.textAlign = "right";
  for (const v of ticks(ys)) g.fillText(label(v), MARGIN.left - 6, f.py(v) + 4);
  g.textAlign = "center";
  g.fillText(labels[0], (MARGIN.left + W - MARGIN.right) / 2, H - 6);
  g.save();
  g.translate(12, (MARGIN.top + H - MARGIN.bottom) / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(labels[1], 0, 0);
  g.restore();
}

/** The cost against the iteration, on an axis up to `iterations`. */
export function drawCost(canvas: HTMLCanvasElement, costs: [number, number][], iterations: number): void {
  const g = context(canvas);
  const top = Math.max(...costs.map(([, c]) => c), 0.1);
  const xs: [number, number] = [0, iterations];
  const ys: [number, number] = [0, top * 1.05];
  const f = frame(canvas, xs, ys);
  axes(g, f, xs, ys, ["iteration", "cost"]);
  g.strokeStyle = "#1f6feb";
  g.lineWidth = 2;
  g.beginPath();
  costs.forEach(([i, c], k) => (k ? g.lineTo(f.px(i), f.py(c)) : g.moveTo(f.px(i), f.py(c))));
  g.stroke();
  const last = costs[costs.length - 1];
  if (last) {
    g.fillStyle = "#1f6feb";
    g.textAlign = "right";
    g.fillText(`J = ${last[1].toFixed(4)} at iteration ${last[0]}`, canvas.width - MARGIN.right, MARGIN.top + 12);
  }
}

/** What the data plot shades: a linear model's w and b, or P(y = 1 | x) on a side × side grid (a network's). */
export type Boundary = { weights: Float32Array; bias: number } | { grid: Float32Array; side: number };

/**
 * 2-D data (training points filled, test points hollow), and with a model: the background
 * shaded by P(y = 1 | x) and the decision boundary (wᵀx + b = 0, or the grid's 0.5 level).
 */
export function drawData(canvas: HTMLCanvasElement, data: Dataset, model?: Boundary): void {
  const g = context(canvas);
  const { xs, ys } = extent(data);
  const f = frame(canvas, xs, ys);
  if (model && "grid" in model) {
    // The grid's cells (row 0 at the top, as gridPoints made them), then its 0.5 level: cells
    // whose right or lower neighbour is on the other side.
    const { grid, side } = model;
    const [w, h] = [(canvas.width - MARGIN.left - MARGIN.right) / side, (canvas.height - MARGIN.top - MARGIN.bottom) / side];
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const p = grid[r * side + c]!;
        const edge = (c + 1 < side && grid[r * side + c + 1]! > 0.5 !== p > 0.5) || (r + 1 < side && grid[(r + 1) * side + c]! > 0.5 !== p > 0.5);
        g.fillStyle = edge ? "#111" : p > 0.5 ? `rgba(255,127,14,${(p - 0.5) * 0.5})` : `rgba(31,119,180,${(0.5 - p) * 0.5})`;
        g.fillRect(MARGIN.left + c * w, MARGIN.top + r * h, Math.ceil(w), Math.ceil(h));
      }
    }
  } else if (model) {
    const [w0, w1] = [model.weights[0]!, model.weights[1]!];
    const cell = 4;
    for (let py = MARGIN.top; py < canvas.height - MARGIN.bottom; py += cell) {
      for (let px = MARGIN.left; px < canvas.width - MARGIN.right; px += cell) {
        const p = 1 / (1 + Math.exp(-(w0 * f.x(px + cell / 2) + w1 * f.y(py + cell / 2) + model.bias)));
        g.fillStyle = p > 0.5 ? `rgba(255,127,14,${(p - 0.5) * 0.5})` : `rgba(31,119,180,${(0.5 - p) * 0.5})`;
        g.fillRect(px, py, cell, cell);
      }
    }
  }
  axes(g, f, xs, ys, ["x₁", "x₂"]);
  const points = ({ X, Y, m }: Split, filled: boolean) => {
    for (let i = 0; i < m; i++) {
      g.beginPath();
      g.arc(f.px(X[i]!), f.py(X[m + i]!), 3, 0, 2 * Math.PI);
      const colour = CLASS_COLOURS[Y[i]! ? 1 : 0];
      if (filled) {
        g.fillStyle = colour;
        g.fill();
      } else {
        g.strokeStyle = colour;
        g.lineWidth = 1.2;
        g.stroke();
      }
    }
  };
  points(data.train, true);
  points(data.test, false);
  if (model && "weights" in model) {
    // w0·x + w1·y + b = 0, drawn across the frame (clipped to it).
    const [w0, w1, b] = [model.weights[0]!, model.weights[1]!, model.bias];
    g.save();
    g.beginPath();
    g.rect(MARGIN.left, MARGIN.top, canvas.width - MARGIN.left - MARGIN.right, canvas.height - MARGIN.top - MARGIN.bottom);
    g.clip();
    g.strokeStyle = "#111";
    g.lineWidth = 2;
    g.beginPath();
    if (Math.abs(w1) > Math.abs(w0)) {
      g.moveTo(f.px(xs[0]), f.py(-(w0 * xs[0] + b) / w1));
      g.lineTo(f.px(xs[1]), f.py(-(w0 * xs[1] + b) / w1));
    } else if (w0 !== 0) {
      g.moveTo(f.px(-(w1 * ys[0] + b) / w0), f.py(ys[0]));
      g.lineTo(f.px(-(w1 * ys[1] + b) / w0), f.py(ys[1]));
    }
    g.stroke();
    g.restore();
  }
}

/**
 * Image weights (side × side × 3, channels last, as the images were flattened) as a side × side
 * picture of each pixel's mean weight: orange pushes towards label 1, blue towards label 0.
 */
export function drawWeights(canvas: HTMLCanvasElement, weights: Float32Array | undefined, side: number): void {
  const g = context(canvas);
  if (!weights) {
    g.fillStyle = "#777";
    g.textAlign = "center";
    g.fillText("the weights appear here as an image while training", canvas.width / 2, canvas.height / 2);
    return;
  }
  const mean = Float32Array.from({ length: side * side }, (_, p) => (weights[3 * p]! + weights[3 * p + 1]! + weights[3 * p + 2]!) / 3);
  const scale = Math.max(...mean.map(Math.abs)) || 1;
  const image = g.createImageData(side, side);
  mean.forEach((v, p) => {
    const t = Math.min(1, Math.abs(v) / scale);
    const [r, gr, b] = v > 0 ? [255, 255 - 128 * t, 255 - 241 * t] : [255 - 224 * t, 255 - 136 * t, 255 - 75 * t];
    image.data.set([r, gr, b, 255], 4 * p);
  });
  // Scale the side × side picture up without smoothing.
  const small = new OffscreenCanvas(side, side);
  small.getContext("2d")!.putImageData(image, 0, 0);
  g.imageSmoothingEnabled = false;
  const size = Math.min(canvas.width, canvas.height) - 40;
  g.drawImage(small, (canvas.width - size) / 2, 20, size, size);
  g.fillStyle = "#333";
  g.textAlign = "center";
  g.fillText(`|w| up to ${scale.toPrecision(3)}`, canvas.width / 2, canvas.height - 6);
}
