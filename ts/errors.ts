/**
 * Typed errors. Every error names the operation first (`add: …`) and the shapes or values
 * involved, with numpy's wording where numpy has one. `code` is stable for programs to test.
 */
export class NdError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = code;
  }
}

/** Shapes that do not broadcast: `operands could not be broadcast together with shapes (3,4) (5,)`. */
export class BroadcastError extends NdError {
  constructor(message: string) {
    super("BroadcastError", message);
  }
}

/** A shape whose size does not match the data: `cannot reshape array of size 6 into shape (4,)`. */
export class ReshapeError extends NdError {
  constructor(message: string) {
    super("ReshapeError", message);
  }
}

/** Matrix shapes whose inner dimensions differ: `shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)`. */
export class AlignmentError extends NdError {
  constructor(message: string) {
    super("AlignmentError", message);
  }
}

/** An axis outside the array: `axis 2 is out of bounds for array of dimension 2`. */
export class AxisError extends NdError {
  constructor(message: string) {
    super("AxisError", message);
  }
}

/** An index outside an axis, or too many indices: `index 5 is out of bounds for axis 0 with size 3`. */
export class IndexError extends NdError {
  constructor(message: string) {
    super("IndexError", message);
  }
}

/** A model used before `fit()`. */
export class NotFittedError extends NdError {
  constructor(message: string) {
    super("NotFittedError", message);
  }
}

/** Training stopped because the cost stopped being finite (the learning rate is too large, usually). */
export class DivergenceError extends NdError {
  /** The iteration whose cost was not finite. */
  readonly iteration: number;
  constructor(message: string, iteration: number) {
    super("DivergenceError", message);
    this.iteration = iteration;
  }
}

/** An unsupported or mismatched dtype. */
export class DTypeError extends NdError {
  constructor(message: string) {
    super("DTypeError", message);
  }
}

/** A bad argument value: ragged nested arrays, non-numeric elements, unknown options. */
export class ValueError extends NdError {
  constructor(message: string) {
    super("ValueError", message);
  }
}

/** An array used after `dispose()`. */
export class DisposedError extends NdError {
  constructor(message: string) {
    super("DisposedError", message);
  }
}

/** WebAssembly could not be loaded, or an op ran before `init()`. */
export class WasmInitError extends NdError {
  constructor(message: string) {
    super("WasmInitError", message);
  }
}

/** WebAssembly memory cannot grow to hold a new buffer; earlier arrays stay valid. */
export class OutOfMemoryError extends NdError {
  readonly bytes: number;
  constructor(message: string, bytes: number) {
    super("OutOfMemoryError", message);
    this.bytes = bytes;
  }
}

/**
 * A file that cannot be read: a bad magic string, an unsupported dtype, truncated data, a
 * non-numeric CSV cell (with its line and column). `file` is the file's name when it is known.
 */
export class IOError extends NdError {
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super("IOError", message);
    this.file = file;
  }
}

/** An internal invariant broke (a bug in vectorized, not in the caller's code). */
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

/** Rebuilds the typed error from a Rust `"<code>: <message>"` error thrown through wasm. */
export function fromKernelError(op: string, error: unknown): Error {
  const text = error instanceof Error ? error.message : String(error);
  const match = /^(\w+): ([\s\S]*)$/.exec(text);
  const ErrorClass = match ? byCode[match[1]!] : undefined;
  return ErrorClass ? new ErrorClass(`${op}: ${match![2]}`) : (error as Error);
}
