/**
 * A dense layer's activations g and what backpropagation needs of them: `dZ = dA ⊙ g′(Z)`,
 * written with the library's ops (each one kernel call over the layer's (n_l, m) arrays).
 */
import type { NDArray } from "../../ndarray.js";
import { greater } from "../../ops/greater.js";
import { mul } from "../../ops/mul.js";
import { relu } from "../../ops/relu.js";
import { sigmoid } from "../../ops/sigmoid.js";
import { square } from "../../ops/square.js";
import { sub } from "../../ops/sub.js";
import { tanh } from "../../ops/tanh.js";
import { where } from "../../ops/where.js";

/**
 * A hidden layer's activation: `relu` max(z, 0), `tanh`, `sigmoid` σ(z), or `leakyRelu`
 * (z, or 0.01·z below 0).
 * @example
 * new vz.DenseNetwork({ layers: [2, 3, 1], hidden: "leakyRelu" }).options.hidden; // => leakyRelu
 */
export type Hidden = "relu" | "tanh" | "sigmoid" | "leakyRelu";
export const HIDDEN: readonly Hidden[] = ["relu", "tanh", "sigmoid", "leakyRelu"];

/** leakyRelu's slope below 0 (as in most courses and frameworks: tf.nn.leaky_relu's default is 0.2, Keras' 0.3; the course's 0.01). */
export const LEAKY_SLOPE = 0.01;

/** A = g(Z). */
export function activate(g: Hidden, Z: NDArray): NDArray {
  switch (g) {
    case "relu":
      return relu(Z);
    case "tanh":
      return tanh(Z);
    case "sigmoid":
      return sigmoid(Z);
    case "leakyRelu":
      return where(greater(Z, 0), Z, mul(Z, LEAKY_SLOPE));
  }
}

/** dZ = dA ⊙ g′(Z), with g′ taken from A where that is cheaper (tanh′ = 1 − A², σ′ = A(1 − A)). */
export function backActivate(g: Hidden, dA: NDArray, Z: NDArray, A: NDArray): NDArray {
  switch (g) {
    case "relu":
      // The course's `dZ[Z <= 0] = 0`: g′(0) taken as 0.
      return where(greater(Z, 0), dA, 0);
    case "tanh":
      return mul(dA, sub(1, square(A)));
    case "sigmoid":
      return mul(dA, mul(A, sub(1, A)));
    case "leakyRelu":
      return where(greater(Z, 0), dA, mul(dA, LEAKY_SLOPE));
  }
}
