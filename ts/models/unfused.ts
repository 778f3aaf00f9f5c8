/**
 * The logistic step written with this library's own ops, one op per formula as in the notes:
 * the "unfused composition" the fused kernel is tested and benchmarked against. It reads X
 * twice (wᵀX, then X·dZᵀ) and materialises Z, A and dZ.
 */
import type { NDArray } from "../ndarray.js";
import { abs } from "../ops/abs.js";
import { add } from "../ops/add.js";
import { exp } from "../ops/exp.js";
import { log1p } from "../ops/log1p.js";
import { matmul } from "../ops/matmul.js";
import { maximum } from "../ops/maximum.js";
import { mean } from "../ops/mean.js";
import { mul } from "../ops/mul.js";
import { neg } from "../ops/neg.js";
import { sigmoid } from "../ops/sigmoid.js";
import { sub } from "../ops/sub.js";
import { scope } from "../scope.js";

/** `{ cost, dw (n_x,1), db }` for w (n_x,1), X (n_x,m), Y (1,m), every intermediate freed. */
export function propagateUnfused(w: NDArray, b: number, X: NDArray, Y: NDArray): { cost: number; dw: NDArray; db: number } {
  return scope(() => {
    const m = X.shape[1]!;
    const Z = add(matmul(w.T, X), b);
    const A = sigmoid(Z);
    // log(1 + eᶻ) − y·z, the cost in a form with no log(0).
    const softplus = add(maximum(Z, 0), log1p(exp(neg(abs(Z)))));
    const cost = mean(sub(softplus, mul(Y, Z))).item();
    const dZ = sub(A, Y);
    const dw = mul(matmul(X, dZ.T), 1 / m);
    const db = mean(dZ).item();
    return { cost, dw, db };
  });
}
