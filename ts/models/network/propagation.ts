/**
 * Forward and backward propagation through an L-layer dense network in the course's notation:
 * X is (n_x, m) with examples in columns; layer l has W_l (n_l, n_{l−1}) and b_l (n_l, 1);
 * `Z_l = W_l·A_{l−1} + b_l`, `A_l = g(Z_l)`; the output is σ (one unit, cross-entropy) or
 * softmax (K units, categorical cross-entropy). Every array made here belongs to the caller's
 * scope.
 */
import type { NDArray } from "../../ndarray.js";
import { abs } from "../../ops/abs.js";
import { add } from "../../ops/add.js";
import { div } from "../../ops/div.js";
import { exp } from "../../ops/exp.js";
import { log } from "../../ops/log.js";
import { log1p } from "../../ops/log1p.js";
import { matmul } from "../../ops/matmul.js";
import { max } from "../../ops/max.js";
import { mul } from "../../ops/mul.js";
import { neg } from "../../ops/neg.js";
import { relu } from "../../ops/relu.js";
import { sigmoid } from "../../ops/sigmoid.js";
import { square } from "../../ops/square.js";
import { sub } from "../../ops/sub.js";
import { sum } from "../../ops/sum.js";
import { activate, backActivate, type Hidden } from "./activation.js";

/**
 * A network's output layer: `sigmoid` (one unit, labels 0/1, cross-entropy) or `softmax`
 * (K units, labels 0…K−1, categorical cross-entropy).
 * @example
 * new vz.DenseNetwork({ layers: [2, 3, 3] }).options.output; // => softmax
 */
export type Output = "sigmoid" | "softmax";

/** W_l and b_l for l = 1…L. */
export interface Layer {
  W: NDArray;
  b: NDArray;
}

/** What backward propagation needs of one layer's forward pass. */
export interface Cache {
  /** A_{l−1}: the layer's input (X for the first layer). */
  input: NDArray;
  Z: NDArray;
  A: NDArray;
}

/**
 * The network's output A_L and every layer's cache.
 * @param layers W_l, b_l in order
 */
export function forward(layers: readonly Layer[], X: NDArray, hidden: Hidden, output: Output): { AL: NDArray; caches: Cache[] } {
  const caches: Cache[] = [];
  let A = X;
  layers.forEach(({ W, b }, l) => {
    const Z = add(matmul(W, A), b);
    const last = l === layers.length - 1;
    const next = !last ? activate(hidden, Z) : output === "sigmoid" ? sigmoid(Z) : softmax(Z);
    caches.push({ input: A, Z, A: next });
    A = next;
  });
  return { AL: A, caches };
}

/** softmax over each column: exp(z − max z) / Σ exp(z − max z), so no exp overflows. */
export function softmax(Z: NDArray): NDArray {
  const e = exp(sub(Z, max(Z, { axis: 0, keepdims: true })));
  return div(e, sum(e, { axis: 0, keepdims: true }));
}

/**
 * The cost from the output layer's Z (not A: no log(0) at saturation) and the targets T
 * (Y (1, m) for σ, one-hot (K, m) for softmax), plus the L2 term `λ/(2m)·Σ‖W_l‖²`.
 *   σ:       (1/m)·Σ [log(1 + e^z) − y·z], log(1 + e^z) = max(z, 0) + log1p(e^−|z|)
 *   softmax: (1/m)·Σ [log Σ_k e^{z_k} − Σ_k t_k·z_k], the log-sum-exp taken from the column's max
 */
export function cost(ZL: NDArray, T: NDArray, output: Output, layers: readonly Layer[], l2: number): number {
  const m = ZL.shape[1]!;
  let total: number;
  if (output === "sigmoid") {
    const softplus = add(relu(ZL), log1p(exp(neg(abs(ZL)))));
    total = sum(sub(softplus, mul(T, ZL))).item();
  } else {
    const top = max(ZL, { axis: 0, keepdims: true });
    const logSumExp = add(log(sum(exp(sub(ZL, top)), { axis: 0, keepdims: true })), top);
    total = sub(sum(logSumExp), sum(mul(T, ZL))).item();
  }
  const penalty = l2 === 0 ? 0 : layers.reduce((s, { W }) => s + sum(square(W)).item(), 0);
  return total / m + (l2 / (2 * m)) * penalty;
}

/**
 * Gradients dW_l, db_l of the cost for every layer, from the output's `dZ_L = A_L − T` (both
 * σ with cross-entropy and softmax with categorical cross-entropy give it) backwards:
 * `dW_l = (1/m)·dZ_l·A_{l−1}ᵀ + (λ/m)·W_l`, `db_l = (1/m)·Σ_columns dZ_l`,
 * `dZ_{l−1} = (W_lᵀ·dZ_l) ⊙ g′(Z_{l−1})`. The first layer's dA (= dX) is never computed.
 */
export function backward(layers: readonly Layer[], caches: readonly Cache[], T: NDArray, hidden: Hidden, l2: number): Layer[] {
  const L = layers.length;
  const m = T.shape[1]!;
  const grads: Layer[] = new Array(L);
  let dZ = sub(caches[L - 1]!.A, T);
  for (let l = L - 1; l >= 0; l--) {
    const { W } = layers[l]!;
    const input = caches[l]!.input;
    let dW = mul(matmul(dZ, input.T), 1 / m);
    if (l2 !== 0) dW = add(dW, mul(W, l2 / m));
    const db = mul(sum(dZ, { axis: 1, keepdims: true }), 1 / m);
    grads[l] = { W: dW, b: db };
    if (l > 0) {
      const below = caches[l - 1]!;
      dZ = backActivate(hidden, matmul(W.T, dZ), below.Z, below.A);
    }
  }
  return grads;
}
