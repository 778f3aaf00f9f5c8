"""scikit-learn's default logistic regression, timed to a converged model: the yardstick of
bench/solvers.ts.

Usage: python sklearn_fit.py DIR RUNS [MAX_ITER] -> prints one JSON line.
DIR holds Xtrain.npy, ytrain.npy, Xtest.npy, ytest.npy (rows: one example per row). Each run is
StandardScaler().fit_transform(Xtrain) then LogisticRegression(max_iter=MAX_ITER).fit (lbfgs,
C=1, tol=1e-4): the same work as vectorized's `standardize: true` fit. One thread: run with
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 (also enforced with threadpoolctl).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

d, runs = sys.argv[1], int(sys.argv[2])
max_iter = int(sys.argv[3]) if len(sys.argv) > 3 else 100
Xtr, ytr = np.load(f"{d}/Xtrain.npy"), np.load(f"{d}/ytrain.npy")
Xte, yte = np.load(f"{d}/Xtest.npy"), np.load(f"{d}/ytest.npy")
times = []
with threadpool_limits(limits=1):
    for r in range(runs + 1):  # the first run untimed: imports and caches warm up
        t0 = time.perf_counter()
        scaler = StandardScaler().fit(Xtr)
        model = LogisticRegression(max_iter=max_iter).fit(scaler.transform(Xtr), ytr)
        if r > 0:
            times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(json.dumps({
    "medianMs": times[len(times) // 2],
    "minMs": times[0],
    "times": times,
    "iterations": int(model.n_iter_[0]),
    "converged": bool(model.n_iter_[0] < max_iter),
    "testAccuracy": float(model.score(scaler.transform(Xte), yte)),
    "dtype": str(Xtr.dtype),
}))
