/**
 * The reference backend: plain TypeScript over typed arrays, written to be obviously right.
 * It defines the semantics the wasm backend is tested against: every element computed in
 * float64 by `Math.*` and rounded once when stored into a float32 buffer.
 */
import { bytesPerElement, typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { OutOfMemoryError } from "../../errors.js";
import { contiguousStrides, type Shape } from "../../shape.js";
import { MAX_BUFFER_BYTES, type ArgOp, type Backend, type BinaryOp, type LbfgsParams, type LbfgsResult, type LogisticLayout, type MultinomialData, type ReduceOp, type Standardized, type Storage, type TrainParams, type TrainResult, type UnaryOp, type View } from "../backend.js";
import { lbfgs } from "./lbfgs.js";
import * as logistic from "./logistic.js";
import * as multinomial from "./multinomial.js";
import { argBetter, binaryFns, reduceFns, unaryFns } from "./math.js";
import { stridesOver, walk } from "./walk.js";

export interface ReferenceStorage extends Storage {
  readonly data: FloatArray;
}

type RView = View<ReferenceStorage>;

export class ReferenceBackend implements Backend<ReferenceStorage> {
  readonly name = "reference" as const;

  alloc(dtype: DType, length: number): ReferenceStorage {
    const bytes = length * bytesPerElement(dtype);
    try {
      if (bytes > MAX_BUFFER_BYTES) throw new RangeError(`one buffer holds at most ${MAX_BUFFER_BYTES} bytes`);
      return { dtype, length, data: new (typedArrayClass(dtype))(length) };
    } catch (error) {
      // The engine may refuse a smaller one too, with a RangeError, when memory is short.
      if (!(error instanceof RangeError)) throw error;
      throw new OutOfMemoryError(`cannot allocate ${bytes} bytes for ${length} ${dtype} elements: ${error.message}`, bytes);
    }
  }

  free(): void {
    // Garbage collected.
  }

  window(storage: ReferenceStorage, offset: number, length: number): ReferenceStorage {
    return { dtype: storage.dtype, length, data: storage.data.subarray(offset, offset + length) };
  }

  write(storage: ReferenceStorage, data: ArrayLike<number>, at = 0): void {
    storage.data.set(data, at);
  }

  fill(storage: ReferenceStorage, value: number): void {
    storage.data.fill(value);
  }

  read(storage: ReferenceStorage): FloatArray {
    return storage.data.slice();
  }

  readElement(storage: ReferenceStorage, index: number): number {
    return storage.data[index]!;
  }

  copy(shape: Shape, src: RView, out: ReferenceStorage, at = 0): void {
    const [s, o] = [src.storage.data, out.data];
    walk(shape, [src.strides, contiguousStrides(shape)], [src.offset, at], ([i, j]) => {
      o[j!] = s[i!]!;
    });
  }

  binary(op: BinaryOp, shape: Shape, a: RView, b: RView, out: ReferenceStorage): void {
    const f = binaryFns[op];
    const [ad, bd, od] = [a.storage.data, b.storage.data, out.data];
    walk(shape, [a.strides, b.strides, contiguousStrides(shape)], [a.offset, b.offset, 0], ([i, j, k]) => {
      od[k!] = f(ad[i!]!, bd[j!]!);
    });
  }

  where(shape: Shape, cond: RView, a: RView, b: RView, out: ReferenceStorage): void {
    const [cd, ad, bd, od] = [cond.storage.data, a.storage.data, b.storage.data, out.data];
    const strides = [cond.strides, a.strides, b.strides, contiguousStrides(shape)];
    walk(shape, strides, [cond.offset, a.offset, b.offset, 0], ([c, i, j, k]) => {
      od[k!] = cd[c!] !== 0 ? ad[i!]! : bd[j!]!; // NaN !== 0: NaN counts as true, as in numpy
    });
  }

  unary(op: UnaryOp, shape: Shape, a: RView, out: ReferenceStorage, lo: number, hi: number): void {
    const f = unaryFns[op];
    const [ad, od] = [a.storage.data, out.data];
    walk(shape, [a.strides, contiguousStrides(shape)], [a.offset, 0], ([i, k]) => {
      od[k!] = f(ad[i!]!, lo, hi);
    });
  }

  reduce(op: ReduceOp, shape: Shape, a: RView, reduced: readonly boolean[], out: ReferenceStorage): void {
    const { identity, step } = reduceFns[op];
    // Accumulate in float64, round once into the output's dtype.
    const acc = new Float64Array(out.length).fill(identity);
    const ad = a.storage.data;
    const outStrides = stridesOver(shape, reduced.map((r) => !r));
    walk(shape, [a.strides, outStrides], [a.offset, 0], ([i, k]) => {
      acc[k!] = step(acc[k!]!, ad[i!]!);
    });
    out.data.set(acc);
  }

  matmul(batch: Shape, m: number, k: number, n: number, a: RView, b: RView, out: ReferenceStorage): void {
    const nb = batch.length;
    const [ad, bd, od] = [a.storage.data, b.storage.data, out.data];
    const [rsA, csA, rsB, csB] = [a.strides[nb]!, a.strides[nb + 1]!, b.strides[nb]!, b.strides[nb + 1]!];
    const outBatch = contiguousStrides(batch).map((s) => s * m * n);
    walk(batch, [a.strides.slice(0, nb), b.strides.slice(0, nb), outBatch], [a.offset, b.offset, 0], ([pa, pb, po]) => {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0; // float64, rounded once into the output
          for (let p = 0; p < k; p++) acc += ad[pa! + i * rsA + p * csA]! * bd[pb! + p * rsB + j * csB]!;
          od[po! + i * n + j] = acc;
        }
      }
    });
  }

  logisticGrad(layout: LogisticLayout, x: ReferenceStorage, nx: number, m: number, y: ReferenceStorage, w: ReferenceStorage, b: number, l2: number, dw: ReferenceStorage, indices?: Uint32Array) {
    return logistic.grad(layout, x.data, nx, m, y.data, w.data, b, l2, dw.data, indices);
  }

  logisticForward(layout: LogisticLayout, x: ReferenceStorage, nx: number, m: number, w: ReferenceStorage, b: number, out: ReferenceStorage): void {
    logistic.forward(layout, x.data, nx, m, w.data, b, out.data);
  }

  logisticTrain(layout: LogisticLayout, x: ReferenceStorage, nx: number, m: number, y: ReferenceStorage, w: ReferenceStorage, b: number, params: TrainParams): TrainResult {
    const round = w.dtype === "float32" ? Math.fround : (v: number) => v;
    return logistic.train(layout, x.data, nx, m, y.data, w.data, round(b), params, round);
  }

  logisticLbfgs(layout: LogisticLayout, x: ReferenceStorage, nx: number, m: number, y: ReferenceStorage, state: ReferenceStorage, params: LbfgsParams, standardized?: Standardized<ReferenceStorage>): LbfgsResult {
    const round = x.dtype === "float32" ? Math.fround : (v: number) => v;
    // Standardised: plainly, on a scaled copy of X (the crate folds the scaling into its objective instead).
    let data = x.data;
    if (standardized) {
      const [mean, scale] = [standardized.mean.data, standardized.scale.data];
      data = x.data.map((v, k) => {
        const j = layout === 0 ? Math.floor(k / m) : k % nx; // Cols: (n_x, m); Rows: (m, n_x)
        return round((v - mean[j]!) / scale[j]!);
      });
    }
    return lbfgs(layout, data, nx, m, y.data, state.data, params, round);
  }

  multinomialGrad(d: MultinomialData<ReferenceStorage>, w: ReferenceStorage, b: ReferenceStorage, l2: number, dw: ReferenceStorage, db: ReferenceStorage): number {
    return multinomial.grad({ ...d, x: d.x.data, y: d.y.data }, w.data, b.data, l2, dw.data, db.data);
  }

  multinomialForward(d: Omit<MultinomialData<ReferenceStorage>, "y">, w: ReferenceStorage, b: ReferenceStorage, out: ReferenceStorage): void {
    multinomial.forward({ ...d, x: d.x.data }, w.data, b.data, out.data);
  }

  multinomialTrain(d: MultinomialData<ReferenceStorage>, w: ReferenceStorage, b: ReferenceStorage, params: TrainParams): Omit<TrainResult, "bias"> {
    return multinomial.train({ ...d, x: d.x.data, y: d.y.data }, w.data, b.data, params);
  }

  multinomialLbfgs(d: MultinomialData<ReferenceStorage>, state: ReferenceStorage, params: LbfgsParams): LbfgsResult {
    const round = d.x.dtype === "float32" ? Math.fround : (v: number) => v;
    return multinomial.lbfgs({ ...d, x: d.x.data, y: d.y.data }, state.data, params, round);
  }

  packColsToRows(x: ReferenceStorage, nx: number, m: number, out: ReferenceStorage): void {
    for (let j = 0; j < nx; j++) for (let i = 0; i < m; i++) out.data[i * nx + j] = x.data[j * m + i]!;
  }

  featureMoments(layout: LogisticLayout, x: ReferenceStorage, nx: number, m: number): Float64Array {
    // numpy's two passes per feature, in float64; a feature equal to its first value throughout is constant.
    const out = new Float64Array(2 * nx);
    const at = layout === 0 ? (j: number, i: number) => x.data[j * m + i]! : (j: number, i: number) => x.data[i * nx + j]!;
    for (let j = 0; j < nx; j++) {
      let sum = 0;
      let constant = true;
      for (let i = 0; i < m; i++) {
        sum += at(j, i);
        constant &&= at(j, i) === at(j, 0);
      }
      const mean = constant ? at(j, 0) : sum / m;
      let squares = 0;
      for (let i = 0; i < m; i++) squares += (at(j, i) - mean) ** 2;
      out[j] = mean;
      out[nx + j] = constant ? 0 : squares / m;
    }
    return out;
  }

  firstNonFinite(shape: Shape, a: RView): number {
    return firstWhere(shape, a, (v) => !Number.isFinite(v));
  }

  firstBadLabel(shape: Shape, y: RView, binary: boolean): number {
    return firstWhere(shape, y, binary ? (v) => v !== 0 && v !== 1 : (v) => !(v >= 0 && v <= 1));
  }

  argReduce(op: ArgOp, shape: Shape, a: RView, reduced: readonly boolean[], out: ReferenceStorage): void {
    const better = argBetter[op];
    const best = new Float64Array(out.length).fill(NaN);
    const seen = new Uint8Array(out.length);
    const ad = a.storage.data;
    const outStrides = stridesOver(shape, reduced.map((r) => !r));
    const withinStrides = stridesOver(shape, reduced);
    walk(shape, [a.strides, outStrides, withinStrides], [a.offset, 0, 0], ([i, k, w]) => {
      const x = ad[i!]!;
      if (!seen[k!] || better(x, best[k!]!)) {
        seen[k!] = 1;
        best[k!] = x;
        out.data[k!] = w!;
      }
    });
  }
}

/** The row-major index of the first element of `a` (laid out over `shape`) that is `bad`, or −1. */
function firstWhere(shape: Shape, a: RView, bad: (v: number) => boolean): number {
  let k = 0;
  let found = -1;
  walk(shape, [a.strides], [a.offset], ([i]) => {
    if (found < 0 && bad(a.storage.data[i!]!)) found = k;
    k++;
  });
  return found;
}
