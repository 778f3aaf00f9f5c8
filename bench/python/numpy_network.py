"""A dense network's gradient-descent steps in numpy, the native yardstick for bench/cases/network.ts.

Usage: python numpy_network.py LAYERS M DTYPE HIDDEN STEPS BATCH RUNS [cpu] -> the median milliseconds of STEPS steps
(wall-clock time, or with `cpu` this process's CPU time: on a machine shared with other work it
is what one thread spent, whatever the scheduler did).
LAYERS is comma-separated (n_x,...,n_L); n_L = 1 is a sigmoid output, more a softmax; BATCH 0 is
full-batch. The math is the course's code (Z = W A + b, dZ_L = A_L - T, dW = dZ A_prev^T / m, ...,
and dA of every layer, the first one's included, as its L_model_backward does). Run with OPENBLAS_NUM_THREADS=1 (one thread, as vectorized).
"""
import sys
import time

import numpy as np

layers = [int(n) for n in sys.argv[1].split(",")]
m, dtype, hidden = int(sys.argv[2]), sys.argv[3], sys.argv[4]
steps, batch, runs = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
clock = time.process_time if sys.argv[8:] == ["cpu"] else time.perf_counter
rng = np.random.default_rng(1)
X = rng.random((layers[0], m)).astype(dtype)
K = layers[-1]
labels = np.arange(m) % max(K, 2)
T = (labels[None, :] % 2).astype(dtype) if K == 1 else np.eye(K, dtype=dtype)[:, labels]
params = [((rng.standard_normal((n, p)) / np.sqrt(p)).astype(dtype), np.zeros((n, 1), dtype)) for p, n in zip(layers, layers[1:])]
Xs, Ts = X, T
g = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}[hidden]


def step(Xb, Tb):
    acts, zs = [Xb], []
    for l, (W, b) in enumerate(params):
        z = W @ acts[-1] + b
        zs.append(z)
        if l < len(params) - 1:
            acts.append(g(z))
        elif K == 1:
            acts.append(1 / (1 + np.exp(-z)))
        else:
            e = np.exp(z - z.max(axis=0, keepdims=True))
            acts.append(e / e.sum(axis=0, keepdims=True))
    mb = Xb.shape[1]
    dz = acts[-1] - Tb
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        dW = dz @ acts[l].T / mb
        db = dz.sum(axis=1, keepdims=True) / mb
        # The course's L_model_backward forms dA for every layer, the first one's (dA0) too.
        da = W.T @ dz
        if l > 0:
            dz = da * (zs[l - 1] > 0) if hidden == "relu" else da * (1 - acts[l] ** 2)
        params[l] = (W - 0.01 * dW, b - 0.01 * db)


def run():
    # Mini-batches: a fresh shuffle per epoch (a gathered copy of X and T), as vectorized's batchSize.
    global Xs, Ts
    for s in range(steps):
        if batch:
            start = (s * batch) % m
            if start == 0:
                order = rng.permutation(m)
                Xs, Ts = X[:, order], T[:, order]
            step(Xs[:, start:start + batch], Ts[:, start:start + batch])
        else:
            step(X, T)


run()
times = []
for _ in range(runs):
    t0 = clock()
    run()
    times.append((clock() - t0) * 1e3)
times.sort()
print(times[len(times) // 2])
