"""Independent reference for `npm run bench`: the seed MLP (784 -> H -> [BN] -> relu -> 10 softmax,
Adam, batch 64) trained with hand-written forward, backward and Adam in numpy (float32, the BLAS
numpy was built with). Prints {"msPerStep", "samplesPerSecond"} as JSON.
usage: python3 numpy_reference.py H [bn]"""
import json
import sys
import time

import numpy as np

H = int(sys.argv[1])
BN = len(sys.argv) > 2 and sys.argv[2] == "bn"
B, STEPS, WARMUP = 64, 60, 10
LR, B1, B2, EPS, BN_EPS = 1e-3, 0.9, 0.999, 1e-7, 1e-3
f32 = np.float32

rng = np.random.default_rng(0)
X = rng.random((B * STEPS, 784), dtype=f32)
Y = np.eye(10, dtype=f32)[rng.integers(0, 10, B * STEPS)]
params = {
    "W1": (rng.standard_normal((784, H)) * np.sqrt(2 / (784 + H))).astype(f32),
    "b1": np.zeros(H, f32),
    "gamma": np.ones(H, f32),
    "beta": np.zeros(H, f32),
    "W2": (rng.standard_normal((H, 10)) * np.sqrt(2 / (H + 10))).astype(f32),
    "b2": np.zeros(10, f32),
}
if not BN:
    del params["gamma"], params["beta"]
m = {k: np.zeros_like(v) for k, v in params.items()}
v = {k: np.zeros_like(v) for k, v in params.items()}


def step(x, y, t):
    p = params
    z = x @ p["W1"] + p["b1"]
    if BN:
        mu = z.mean(0)
        var = z.var(0)
        inv = 1 / np.sqrt(var + f32(BN_EPS))
        zhat = (z - mu) * inv
        pre = p["gamma"] * zhat + p["beta"]
    else:
        pre = z
    a = np.maximum(pre, 0)
    logits = a @ p["W2"] + p["b2"]
    e = np.exp(logits - logits.max(1, keepdims=True))
    prob = e / e.sum(1, keepdims=True)
    dlogits = (prob - y) / f32(B)
    g = {"W2": a.T @ dlogits, "b2": dlogits.sum(0)}
    dpre = (dlogits @ p["W2"].T) * (pre > 0)
    if BN:
        g["gamma"] = (dpre * zhat).sum(0)
        g["beta"] = dpre.sum(0)
        dzhat = dpre * p["gamma"]
        dz = (inv / f32(B)) * (f32(B) * dzhat - dzhat.sum(0) - zhat * (dzhat * zhat).sum(0))
    else:
        dz = dpre
    g["W1"] = x.T @ dz
    g["b1"] = dz.sum(0)
    c1, c2 = f32(1 - B1**t), f32(1 - B2**t)
    for k in params:
        m[k] *= f32(B1)
        m[k] += f32(1 - B1) * g[k]
        v[k] *= f32(B2)
        v[k] += f32(1 - B2) * g[k] * g[k]
        params[k] -= f32(LR) * (m[k] / c1) / (f32(EPS) + np.sqrt(v[k] / c2))


for t in range(1, WARMUP + 1):
    step(X[:B], Y[:B], t)
start = time.perf_counter()
for i in range(STEPS):
    step(X[i * B:(i + 1) * B], Y[i * B:(i + 1) * B], WARMUP + i + 1)
ms = (time.perf_counter() - start) * 1000 / STEPS
print(json.dumps({"msPerStep": ms, "samplesPerSecond": B * 1000 / ms}))
