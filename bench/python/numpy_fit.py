"""The course's training loop in numpy (propagate + update, as the course's `optimize`), the
native yardstick for `logistic fit` in bench/cases/logistic.ts.

Usage: python numpy_fit.py NX M DTYPE ITERATIONS RUNS -> prints the median milliseconds of one fit.
Data as in numpy_step.py (x = sin(k)·100/100 row-major, course layout (NX, M), y = k mod 2).
"""
import sys
import time

import numpy as np

nx, m, dtype, iterations, runs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
X = (np.sin(np.arange(nx * m, dtype=np.float64)) * 100 / 100).astype(dtype).reshape(nx, m)
Y = (np.arange(m) % 2).astype(dtype).reshape(1, m)
lr = np.array(0.005, dtype=dtype)


def fit():
    w = np.zeros((nx, 1), dtype=dtype)
    b = np.array(0.0, dtype=dtype)
    costs = []
    for i in range(iterations):
        z = w.T @ X + b
        a = 1 / (1 + np.exp(-z))
        cost = np.mean(np.logaddexp(0, z) - Y * z)
        dz = a - Y
        dw = (X @ dz.T) / m
        db = np.mean(dz)
        w = w - lr * dw
        b = b - lr * db
        if i % 100 == 0:
            costs.append(float(cost))
    return w, b, costs


times = []
for _ in range(runs):
    t0 = time.perf_counter()
    fit()
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(times[len(times) // 2])
