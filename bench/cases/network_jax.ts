/**
 * The dense network's gradient-descent step in jax-js as its users write one: the cost as a
 * function of the parameters, `jit(grad(cost))`-style (here `jit` of the whole update, so the
 * gradient and the update compile together), on its wasm device.
 */
import { jax, type JaxArray } from "../peers.js";

export type JaxParams = { W: JaxArray; b: JaxArray }[];

/**
 * One step `params ← params − α·∇cost(params)` for a network with `hidden` layers and a sigmoid
 * (k = 1) or softmax output, X (n_x, m) and targets T (k, m); the returned function takes
 * ownership of its arguments, as every jax-js function does.
 */
export function jaxStep(hidden: "relu" | "tanh", k: number, rate: number) {
  const np = jax.numpy;
  const g = hidden === "relu" ? jax.nn.relu : np.tanh;
  const cost = (params: JaxParams, x: JaxArray, t: JaxArray): JaxArray => {
    let a = x;
    params.forEach(({ W, b }, l) => {
      const z = np.matmul(W, a).add(b);
      a = l < params.length - 1 ? g(z) : z;
    });
    // Stable forms of the course's costs: log(1 + e^z) − t·z, and log Σ e^z − Σ t·z per column.
    if (k === 1) return jax.nn.softplus(a.ref).sub(t.mul(a)).mean();
    return jax.nn.logsumexp(a.ref, 0).sub(np.sum(t.mul(a), 0)).mean();
  };
  const gradient = jax.grad(cost);
  return jax.jit((params: JaxParams, x: JaxArray, t: JaxArray): JaxParams => {
    const grads = gradient(jax.tree.ref(params), x, t);
    return params.map(({ W, b }, l) => ({ W: W.sub(grads[l]!.W.mul(rate)), b: b.sub(grads[l]!.b.mul(rate)) }));
  });
}
