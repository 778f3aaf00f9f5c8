"""A square matmul in numpy, the yardstick for bench/cases/threads.ts.

Usage: python numpy_matmul.py N DTYPE RUNS  -> prints the median milliseconds of one N×N·N×N product.
Run by bench/python.ts with the venv's numpy; OPENBLAS_NUM_THREADS is the case's thread count.
"""
import sys
import time

import numpy as np

n, dtype, runs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
a = (np.sin(np.arange(n * n, dtype=np.float64))).astype(dtype).reshape(n, n)
b = (np.cos(np.arange(n * n, dtype=np.float64))).astype(dtype).reshape(n, n)
a @ b
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    a @ b
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(times[len(times) // 2])
