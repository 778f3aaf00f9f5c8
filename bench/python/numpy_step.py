"""One logistic-regression step in numpy, the native yardstick for bench/cases/logistic.ts.

Usage: python numpy_step.py NX M DTYPE LAYOUT RUNS  -> prints the median milliseconds of one step.
The data match the benchmark's: x = sin(k)·100/100 in row-major order (float32 or float64).
Run by bench/python.ts with the venv's numpy and OPENBLAS_NUM_THREADS=1 (one thread, as vectorized).
"""
import sys
import time

import numpy as np

nx, m, dtype, layout, runs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
shape = (nx, m) if layout == "cols" else (m, nx)
X = (np.sin(np.arange(nx * m, dtype=np.float64)) * 100 / 100).astype(dtype).reshape(shape)
Y = (np.arange(m) % 2).astype(dtype)
w = np.full(nx, 0.01, dtype=dtype)
b = dtype_b = np.array(0.1, dtype=dtype)


def step():
    z = (w @ X if layout == "cols" else X @ w) + b
    a = 1 / (1 + np.exp(-z))
    cost = np.mean(np.logaddexp(0, z) - Y * z)
    dz = a - Y
    dw = (X @ dz if layout == "cols" else dz @ X) / m
    db = np.mean(dz)
    return cost, dw, db


step()
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(times[len(times) // 2])
