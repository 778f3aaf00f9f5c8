/**
 * `scope(fn)`: frees every array `fn` creates except what it returns, for synchronous and
 * async `fn` alike (TensorFlow.js's `tidy` refuses async functions).
 *
 * Which scope an array belongs to follows the async context: in Node (and Deno and Bun) that is
 * `AsyncLocalStorage`, so concurrent async scopes never free each other's arrays. Elsewhere
 * (browsers, which have no async context yet) the innermost open scope owns new arrays: nested
 * and sequential async scopes work, but two async scopes running interleaved share attribution.
 *
 * Only `async` functions enter the async context: entering it costs about as much as an op on
 * a small array, and a plain function's arrays are all made while it runs. A plain function
 * that returns a promise (a `.then` chain, or async code transpiled to generators) is a scope
 * for what it makes synchronously; arrays its callbacks make later belong to the async scope
 * around it, if any.
 */

/**
 * What a scope tracks: its arrays (each once: an array is tracked when it is made, and moves
 * to the parent only when its scope closes), and the scope that receives what it keeps.
 */
interface Scope {
  readonly arrays: Disposable[];
  readonly parent: Scope | undefined;
  open: boolean;
}

interface Context {
  current(): Scope | undefined;
  run<T>(scope: Scope, fn: () => T): T;
}

interface AsyncLocalStorageLike<S> {
  getStore(): S | undefined;
  run<T>(store: S, fn: () => T): T;
}

/** AsyncLocalStorage when the runtime has it (found without importing Node modules, so bundlers stay quiet). */
function asyncContext(): Context | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as
    | { AsyncLocalStorage: new () => AsyncLocalStorageLike<Scope> }
    | undefined;
  if (!hooks) return undefined;
  const storage = new hooks.AsyncLocalStorage();
  return { current: () => storage.getStore(), run: (scope, fn) => storage.run(scope, fn) };
}

/** The fallback: a stack of open scopes; the innermost open one owns new arrays. */
function stackContext(): Context {
  const stack: Scope[] = [];
  return {
    current: () => {
      while (stack.length && !stack[stack.length - 1]!.open) stack.pop();
      return stack[stack.length - 1];
    },
    run: (scope, fn) => {
      stack.push(scope);
      let result: ReturnType<typeof fn>;
      try {
        result = fn();
      } catch (error) {
        if (stack[stack.length - 1] === scope) stack.pop();
        throw error;
      }
      // A function that finished leaves now (a loop of scopes would otherwise pile up, since
      // `track` only asks the context outside scope functions); an async one once it closes.
      if (!isPromise(result) && stack[stack.length - 1] === scope) stack.pop();
      return result;
    },
  };
}

const context: Context = asyncContext() ?? stackContext();

/**
 * The scope whose function is running synchronously right now (`null` when none is), and how
 * many async scopes are still open. Code running inside a scope's function belongs to that
 * scope without asking the async context (`getStore` costs more than the rest of `track`); code
 * outside every scope function can belong to a scope only through an async one's continuations.
 */
let running: Scope | null = null;
let openAsync = 0;

const AsyncFunction = (async () => {}).constructor;

/** Runs `fn` as `s`'s function: as `running`, and an `async` one in the async context for its continuations. */
function runIn<T>(s: Scope, fn: () => T): T {
  const outer = running;
  running = s;
  try {
    return fn instanceof AsyncFunction ? context.run(s, fn) : fn();
  } finally {
    running = outer;
  }
}

/** The scope new arrays belong to, if any. */
function current(): Scope | undefined {
  return running ?? (openAsync > 0 ? context.current() : undefined);
}

/** @internal Puts a new array in the current scope, if any. */
export function track(array: Disposable): void {
  current()?.arrays.push(array);
}

/**
 * @internal Runs `fn` outside every scope: the arrays it creates belong to whoever keeps them
 * (a model's weights), not to a scope the caller happens to be in.
 */
export function untracked<T>(fn: () => T): T {
  const detached: Scope = { arrays: [], parent: undefined, open: true };
  try {
    return runIn(detached, fn);
  } finally {
    detached.open = false;
    detached.arrays.length = 0;
  }
}

/**
 * Runs `fn` and disposes every array it created that it does not return. Whatever it returns
 * (an array, or arrays inside plain objects, arrays and Maps) is kept and handed to the
 * enclosing scope. Works with `async` functions: their arrays, across awaits, are freed once
 * the promise settles.
 * @param fn the work; sync or async.
 * @returns what `fn` returns (a promise of it for an async `fn`).
 * @example
 * const pred = vz.array([1, 2, 3]), y = vz.array([1, 2, 5]);
 * const loss = vz.scope(() => vz.mean(vz.square(vz.sub(pred, y)))); // temporaries freed, loss kept
 * loss.item(); // => 1.3333334
 * const w = vz.array([1, 1]), dw = vz.array([0.5, 2]);
 * const updated = await vz.scope(async () => w.sub(dw)); // awaits are fine inside
 * updated.toArray(); // => [0.5, -1]
 */
export function scope<T>(fn: () => T): T {
  const parent = current();
  const s: Scope = { arrays: [], parent, open: true };
  let result: T;
  try {
    result = runIn(s, fn);
  } catch (error) {
    close(s, undefined);
    throw error;
  }
  if (isPromise(result)) {
    openAsync++;
    return result.then(
      (value) => (openAsync--, close(s, value), value),
      (error: unknown) => {
        openAsync--;
        close(s, undefined);
        throw error;
      },
    ) as T;
  }
  close(s, result);
  return result;
}

function close(s: Scope, result: unknown): void {
  s.open = false;
  let kept: Set<unknown> | undefined;
  if (typeof result === "object" && result !== null) collect(result, (kept = new Set()), new Set());
  const arrays = s.arrays;
  for (let i = 0; i < arrays.length; i++) {
    const array = arrays[i]!;
    if (kept?.has(array)) s.parent?.arrays.push(array);
    else array[Symbol.dispose]();
  }
  arrays.length = 0;
}

/** Finds the arrays inside a returned value (arrays, plain objects, Maps, Sets), once each. */
function collect(value: unknown, into: Set<unknown>, seen: Set<unknown>): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (Symbol.dispose in value) into.add(value);
  if (Array.isArray(value)) for (const v of value) collect(v, into, seen);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into, seen);
  else if (value instanceof Set) for (const v of value) collect(v, into, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into, seen);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
