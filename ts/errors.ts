/**
 * Typed errors. Every error names the operation first (`add: …`) and the shapes or values
 * involved, with numpy's wording where numpy has one. `code` is stable for programs to test.
 * @example
 * let caught;
 * try {
 *   vz.ones([6]).reshape(4);
 * } catch (error) {
 *   caught = error;
 * }
 * [caught instanceof vz.NdError, caught instanceof vz.ReshapeError, caught.code]; // => [true, true, "ReshapeError"]
 */
export class NdError extends Error {
  /** The error's class name (`"BroadcastError"`, …), stable for programs to test. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = code;
  }
}

/**
 * Shapes that do not broadcast: `operands could not be broadcast together with shapes (3,4) (5,)`.
 * @example
 * vz.add(vz.ones([3, 4]), vz.ones([5])); // throws BroadcastError: add: operands could not be broadcast together with shapes (3,4) (5,)
 */
export class BroadcastError extends NdError {
  constructor(message: string) {
    super("BroadcastError", message);
  }
}

/**
 * A shape whose size does not match the data: `cannot reshape array of size 6 into shape (4,)`.
 * @example
 * vz.ones([6]).reshape(4); // throws ReshapeError: reshape: cannot reshape array of size 6 into shape (4,)
 */
export class ReshapeError extends NdError {
  constructor(message: string) {
    super("ReshapeError", message);
  }
}

/**
 * Matrix shapes whose inner dimensions differ: `shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)`.
 * @example
 * vz.dot(vz.ones([3, 4]), vz.ones([5, 2])); // throws AlignmentError: dot: shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)
 */
export class AlignmentError extends NdError {
  constructor(message: string) {
    super("AlignmentError", message);
  }
}

/**
 * An axis outside the array: `axis 2 is out of bounds for array of dimension 2`.
 * @example
 * vz.sum(vz.ones([2, 2]), { axis: 2 }); // throws AxisError: sum: axis 2 is out of bounds for array of dimension 2
 */
export class AxisError extends NdError {
  constructor(message: string) {
    super("AxisError", message);
  }
}

/**
 * An index outside an axis, or too many indices: `index 5 is out of bounds for axis 0 with size 3`.
 * @example
 * vz.ones([3]).slice(5); // throws IndexError: slice: index 5 is out of bounds for axis 0 with size 3
 */
export class IndexError extends NdError {
  constructor(message: string) {
    super("IndexError", message);
  }
}

/**
 * A model used before `fit()`.
 * @example
 * new vz.LogisticRegression().predict(vz.ones([2, 1])); // throws NotFittedError: …
 */
export class NotFittedError extends NdError {
  constructor(message: string) {
    super("NotFittedError", message);
  }
}

/**
 * Training stopped because the cost stopped being finite (the learning rate is too large, usually).
 * @example
 * const X = vz.array([[1, 2, 3, 4]]), Y = vz.array([[0, 1, 0, 1]]);
 * new vz.LogisticRegression({ learningRate: 1e38, iterations: 10 }).fit(X, Y); // throws DivergenceError: fit: the cost is Infinity at iteration 2: …
 */
export class DivergenceError extends NdError {
  /** The iteration whose cost was not finite. */
  readonly iteration: number;
  constructor(message: string, iteration: number) {
    super("DivergenceError", message);
    this.iteration = iteration;
  }
}

/**
 * An unsupported or mismatched dtype.
 * @example
 * vz.zeros([2], { dtype: "int8" }); // throws DTypeError: …
 */
export class DTypeError extends NdError {
  constructor(message: string) {
    super("DTypeError", message);
  }
}

/**
 * A bad argument value: ragged nested arrays, non-numeric elements, unknown options.
 * @example
 * vz.array([[1, 2], [3]]); // throws ValueError: …
 */
export class ValueError extends NdError {
  constructor(message: string) {
    super("ValueError", message);
  }
}

/**
 * An array used after `dispose()`.
 * @example
 * const x = vz.ones([2]);
 * x.dispose();
 * x.add(1); // throws DisposedError: …
 */
export class DisposedError extends NdError {
  constructor(message: string) {
    super("DisposedError", message);
  }
}

/**
 * WebAssembly could not be loaded, or an op ran before `init()`.
 * @example
 * await vz.init({ wasm: new Uint8Array([0, 97, 115, 109]) }); // throws WasmInitError: …
 */
export class WasmInitError extends NdError {
  constructor(message: string) {
    super("WasmInitError", message);
  }
}

/**
 * WebAssembly memory cannot grow to hold a new buffer; earlier arrays stay valid.
 * @example
 * vz.zeros([2 ** 30]); // throws OutOfMemoryError: …
 */
export class OutOfMemoryError extends NdError {
  /** The size of the buffer that could not be allocated. */
  readonly bytes: number;
  constructor(message: string, bytes: number) {
    super("OutOfMemoryError", message);
    this.bytes = bytes;
  }
}

/**
 * A file that cannot be read: a bad magic string, an unsupported dtype, truncated data, a
 * non-numeric CSV cell (with its line and column). `file` is the file's name when it is known.
 * @example
 * vz.io.readCsv("a\nx\n", { name: "d.csv" }); // throws IOError: readCsv: d.csv: line 2, column 1 ('a'): could not convert string to float: 'x'
 */
export class IOError extends NdError {
  /** The file's name, when the caller gave one. */
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super("IOError", message);
    this.file = file;
  }
}

/**
 * An internal invariant broke (a bug in vectorized, not in the caller's code).
 * @example
 * new vz.LayoutError("strides do not fit the buffer").code; // => "LayoutError"
 */
export class LayoutError extends NdError {
  constructor(message: string) {
    super("LayoutError", message);
  }
}

const byCode: Record<string, new (message: string) => NdError> = {
  BroadcastError,
  AlignmentError,
  AxisError,
  ReshapeError,
  DTypeError,
  ValueError,
  LayoutError,
};

/**
 * Rebuilds the typed error from a Rust `"<code>: <message>"` error thrown through wasm, with
 * `op` in front of the message when given (the ops layer adds it otherwise: see {@link inOp}).
 */
export function fromKernelError(error: unknown, op?: string): Error {
  const text = error instanceof Error ? error.message : String(error);
  const match = /^(\w+): ([\s\S]*)$/.exec(text);
  const ErrorClass = match ? byCode[match[1]!] : undefined;
  return ErrorClass ? new ErrorClass(op === undefined ? match![2]! : `${op}: ${match![2]}`) : (error as Error);
}

/**
 * `error` with the op's name in front of its message, as every error of ours reads (`add: …`);
 * backends do not know which op called them. Errors that are not ours pass through.
 */
export function inOp(op: string, error: unknown): unknown {
  if (error instanceof OutOfMemoryError) return new OutOfMemoryError(`${op}: ${error.message}`, error.bytes);
  const ErrorClass = error instanceof NdError ? byCode[error.code] : undefined;
  return ErrorClass ? new ErrorClass(`${op}: ${(error as NdError).message}`) : error;
}

/** `call()`, with `op` in front of what it throws (see {@link inOp}): a backend call, named by the op that makes it. */
export function withOpName<T>(op: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw inOp(op, error);
  }
}
