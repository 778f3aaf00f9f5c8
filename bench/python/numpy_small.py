"""numpy's per-op time on small arrays, the yardstick for bench/cases/small.ts (issue 12).

Usage: python numpy_small.py CASE ROUNDS  -> prints the median milliseconds of one run.
CASE is one of:
  add          (2,3)+(2,1) float32; the result is freed when the next one replaces it
  tanh-matmul  tanh(W @ X), W (4,2), X (2,400) float32
  propagate    the course's propagate at (2,400) float32: A = sigmoid(w.T @ X + b), the cost,
               dw = X (A-Y).T / m, db = mean(A-Y), as the notebook writes it
The data match the benchmark's: sin(i)·scale in row-major order. Each round times a loop of at
least ~50 ms with timeit (no Python function call around the expression); the median round is
printed. Run by bench/python.ts with the venv's numpy and OPENBLAS_NUM_THREADS=1.
"""
import sys
import timeit

import numpy as np

case, rounds = sys.argv[1], int(sys.argv[2])


def filled(n, scale=100.0):
    return (np.sin(np.arange(n, dtype=np.float64)) * scale).astype(np.float32)


a = filled(6).reshape(2, 3)
b = filled(2).reshape(2, 1)
W = filled(8, 1.0).reshape(4, 2)
X = filled(800, 1.0).reshape(2, 400)
Y = (np.arange(400) % 2).astype(np.float32).reshape(1, 400)
w = np.array([[0.01], [0.02]], dtype=np.float32)
m = X.shape[1]


def propagate(w, b, X, Y):
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost


statements = {
    "add": "a + b",
    "tanh-matmul": "np.tanh(W @ X)",
    "propagate": "propagate(w, 0.1, X, Y)",
}
timer = timeit.Timer(statements[case], globals=globals())
number, _ = timer.autorange()  # enough runs for ≥ 0.2 s
number = max(1, number // 4)
times = sorted(timer.repeat(repeat=rounds, number=number))
print(times[len(times) // 2] / number * 1e3)
