"""Times one numpy expression: the native yardstick for the element-wise, reduction and
matrix-product cases (bench/contenders.ts, `numpyOp`), on the very inputs the JS contenders get.

Usage: python numpy_op.py EXPR DTYPE ROUNDS MIN_ROUND_MS BUDGET_MS FILE:SHAPE...
  EXPR names the inputs a, b, … and numpy as np ("np.exp(a)", "a.T @ b"); each FILE holds an
  input's raw row-major values, SHAPE is its shape as "1000x1000". Prints the median
  milliseconds of one evaluation. Timed as bench/harness.ts times the JS contenders: a warm-up,
  then rounds of a batch lasting at least MIN_ROUND_MS, as many rounds as fit in BUDGET_MS
  (at least 3, at most ROUNDS). Every evaluation makes a new result, as theirs do.
Run by bench/python.ts with the venv's numpy and OPENBLAS_NUM_THREADS=1 (one thread, as vectorized).
"""
import sys
import time

import numpy as np

expr, dtype = sys.argv[1], sys.argv[2]
rounds, min_round_ms, budget_ms = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
names = "abcdefgh"
scope = {"np": np}
for name, spec in zip(names, sys.argv[6:]):
    path, shape = spec.rsplit(":", 1)
    scope[name] = np.fromfile(path, dtype=dtype).reshape([int(d) for d in shape.split("x")])
f = eval(compile(f"lambda: {expr}", "<expr>", "eval"), scope)

f()
t0 = time.perf_counter()
f()
once = max((time.perf_counter() - t0) * 1e3, 1e-3)
batch = max(1, int(-(-min_round_ms // once)))
rounds = max(3, min(rounds, int(budget_ms // (once * batch))))
samples = []
for _ in range(rounds):
    t0 = time.perf_counter()
    for _ in range(batch):
        f()
    samples.append((time.perf_counter() - t0) * 1e3 / batch)
samples.sort()
mid = len(samples) // 2
print(samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2)
