/**
 * NDArray's op methods (`x.add(y)`, `x.T`, `x.sum()`, …), installed on its prototype when this
 * module is loaded (the package entry loads it; package.json lists it in `sideEffects`). Each is
 * the op function of the same name with the array as its first argument; ts/ndarray.ts declares
 * them, so that it imports no op and no op module imports a module that imports it back
 * (tfjs-core's tensor.ts and public/chained_ops are built the same way).
 */
import type { DType } from "./dtype.js";
import { NDArray, type Operand, type OutOption, type ReduceOptions, type SliceSpec } from "./ndarray.js";
import * as ops from "./ops/index.js";

/** The methods' implementations, checked against NDArray's declarations. */
const methods: ThisType<NDArray> & Omit<Pick<NDArray, MethodName>, "T"> = {
  add(other: Operand, options?: OutOption) {
    return ops.add(this, other, options);
  },
  sub(other: Operand, options?: OutOption) {
    return ops.sub(this, other, options);
  },
  mul(other: Operand, options?: OutOption) {
    return ops.mul(this, other, options);
  },
  div(other: Operand, options?: OutOption) {
    return ops.div(this, other, options);
  },
  pow(other: Operand, options?: OutOption) {
    return ops.pow(this, other, options);
  },
  maximum(other: Operand, options?: OutOption) {
    return ops.maximum(this, other, options);
  },
  minimum(other: Operand, options?: OutOption) {
    return ops.minimum(this, other, options);
  },
  equal(other: Operand, options?: OutOption) {
    return ops.equal(this, other, options);
  },
  notEqual(other: Operand, options?: OutOption) {
    return ops.notEqual(this, other, options);
  },
  greater(other: Operand, options?: OutOption) {
    return ops.greater(this, other, options);
  },
  greaterEqual(other: Operand, options?: OutOption) {
    return ops.greaterEqual(this, other, options);
  },
  less(other: Operand, options?: OutOption) {
    return ops.less(this, other, options);
  },
  lessEqual(other: Operand, options?: OutOption) {
    return ops.lessEqual(this, other, options);
  },
  neg(options?: OutOption) {
    return ops.neg(this, options);
  },
  abs(options?: OutOption) {
    return ops.abs(this, options);
  },
  sign(options?: OutOption) {
    return ops.sign(this, options);
  },
  square(options?: OutOption) {
    return ops.square(this, options);
  },
  sqrt(options?: OutOption) {
    return ops.sqrt(this, options);
  },
  exp(options?: OutOption) {
    return ops.exp(this, options);
  },
  log(options?: OutOption) {
    return ops.log(this, options);
  },
  log1p(options?: OutOption) {
    return ops.log1p(this, options);
  },
  sigmoid(options?: OutOption) {
    return ops.sigmoid(this, options);
  },
  tanh(options?: OutOption) {
    return ops.tanh(this, options);
  },
  relu(options?: OutOption) {
    return ops.relu(this, options);
  },
  clip(min: number, max: number, options?: OutOption) {
    return ops.clip(this, min, max, options);
  },
  matmul(other: NDArray) {
    return ops.matmul(this, other);
  },
  dot(other: NDArray | number) {
    return ops.dot(this, other);
  },
  sum(options?: ReduceOptions) {
    return ops.sum(this, options);
  },
  mean(options?: ReduceOptions) {
    return ops.mean(this, options);
  },
  prod(options?: ReduceOptions) {
    return ops.prod(this, options);
  },
  max(options?: ReduceOptions) {
    return ops.max(this, options);
  },
  min(options?: ReduceOptions) {
    return ops.min(this, options);
  },
  argmax(options?: { axis?: number; keepdims?: boolean }) {
    return ops.argmax(this, options);
  },
  argmin(options?: { axis?: number; keepdims?: boolean }) {
    return ops.argmin(this, options);
  },
  reshape(...shape: number[] | [readonly number[]]) {
    return ops.reshape(this, shape.length === 1 && Array.isArray(shape[0]) ? shape[0] : (shape as number[]));
  },
  ravel() {
    return ops.ravel(this);
  },
  flatten() {
    return ops.flatten(this);
  },
  transpose(axes?: readonly number[]) {
    return ops.transpose(this, axes);
  },
  expandDims(axis: number) {
    return ops.expandDims(this, axis);
  },
  squeeze(axis?: number | readonly number[]) {
    return ops.squeeze(this, axis);
  },
  broadcastTo(shape: readonly number[]) {
    return ops.broadcastTo(this, shape);
  },
  slice(...specs: SliceSpec[]) {
    return ops.slice(this, ...specs);
  },
  copy() {
    return ops.copy(this);
  },
  astype(dtype: DType) {
    return ops.astype(this, dtype);
  },
};

type MethodName = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "equal" | "notEqual" | "greater" | "greaterEqual" | "less" | "lessEqual" | "neg" | "abs" | "sign" | "square" | "sqrt" | "exp" | "log" | "log1p" | "sigmoid" | "tanh" | "relu" | "clip" | "matmul" | "dot" | "sum" | "mean" | "prod" | "max" | "min" | "argmax" | "argmin" | "T" | "reshape" | "ravel" | "flatten" | "transpose" | "expandDims" | "squeeze" | "broadcastTo" | "slice" | "copy" | "astype";

for (const [name, method] of Object.entries(methods)) {
  // As class methods are: not enumerable, writable, configurable.
  Object.defineProperty(NDArray.prototype, name, { value: method, writable: true, configurable: true });
}
Object.defineProperty(NDArray.prototype, "T", {
  get(this: NDArray): NDArray {
    return ops.transpose(this);
  },
  configurable: true,
});
