"""PyTorch reference for `npm run bench`: what a user would pick instead of nnlab. The seed MLP
(frozen per-pixel Dense(1) -> 784 -> H -> [BN] -> relu -> 10 softmax, Adam 1e-3, batch 64, Keras' BN epsilon and momentum) trained
with torch.nn on the CPU, one thread (torch.set_num_threads(1)), as nnlab's workers run. With
`sweep N`, trains the default bn-vs-nobn grid (H in 5, 50, 100, 1024; BN off/on; N seeds, 20 epochs of
8,000 samples) in this process and prints the total seconds. Prints JSON.
With `cnn [reg]`, overfitting-cnn.yaml's CNN (conv 8 and 16 3x3 same, 2x2 max pooling, dense 64, Adam
2e-3, batch 32; `reg`: batch norm after each conv and dropout after each pooling, as regularize: true).
usage: python3 torch_reference.py H [bn] [--data DIR]   |   python3 torch_reference.py cnn [reg] [--data DIR]
       python3 torch_reference.py sweep SEEDS [PART PARTS]
`--data DIR` trains on the samples nnlab's bench case trains on (written by `bench.js --export`: x.f32,
y.i32, shape.json), so both tools see the same pixels; without it, uniform random inputs.
(a sweep split in PARTS processes: this one trains the runs i with i % PARTS == PART)"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
# PyTorch at its fastest here, so ratios are not flattered: denormals flushed (on random inputs they
# cost it up to 4x) and the multi-tensor Adam (about 2x the default single-tensor one on H=1024).
torch.set_flush_denormal(True)
B, STEPS, WARMUP = 64, 60, 10
# Timed blocks per measurement, the fastest kept: nnlab's bench keeps its best of 3 runs the same way.
REPEATS = 3


def best_of(times, block):
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        block()
        best = min(best, time.perf_counter() - start)
    return best


class FrozenPixelScale(torch.nn.Module):
    """The asker's frozen Dense(1) on each pixel (weight 1, no bias), as Keras applies it."""

    def __init__(self):
        super().__init__()
        self.unit = torch.nn.Linear(1, 1, bias=False)
        torch.nn.init.ones_(self.unit.weight)
        self.unit.weight.requires_grad_(False)

    def forward(self, x):
        return self.unit(x.unsqueeze(-1)).flatten(1)


def model(h, bn):
    layers = [FrozenPixelScale(), torch.nn.Linear(784, h)]
    if bn:
        layers.append(torch.nn.BatchNorm1d(h, eps=1e-3, momentum=0.01))
    layers += [torch.nn.ReLU(), torch.nn.Linear(h, 10)]
    return torch.nn.Sequential(*layers)


def train_steps(net, opt, x, y, steps):
    loss_fn = torch.nn.CrossEntropyLoss()
    for i in range(steps):
        xb = x[(i % (len(x) // B)) * B:][:B]
        yb = y[(i % (len(y) // B)) * B:][:B]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()


def samples(data_dir, count, shape):
    """The bench case's training samples (nnlab's layout: height, width, channels) or random ones."""
    if data_dir is None:
        rng = np.random.default_rng(0)
        return (torch.from_numpy(rng.random((count, *shape), dtype=np.float32)),
                torch.from_numpy(rng.integers(0, 10, count)))
    with open(f"{data_dir}/shape.json") as f:
        n = json.load(f)["samples"]
    x = np.fromfile(f"{data_dir}/x.f32", dtype=np.float32).reshape(n, 28, 28, 1)
    y = np.fromfile(f"{data_dir}/y.i32", dtype=np.int32).astype(np.int64)
    x = x.reshape(n, 784) if shape == (784,) else np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    return torch.from_numpy(x), torch.from_numpy(y)


def per_step(h, bn, data_dir=None):
    torch.manual_seed(0)
    x, y = samples(data_dir, B * STEPS, (784,))
    net = model(h, bn)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    train_steps(net, opt, x, y, WARMUP)
    ms = best_of(REPEATS, lambda: train_steps(net, opt, x, y, STEPS)) * 1000 / STEPS
    return {"msPerStep": ms, "samplesPerSecond": B * 1000 / ms}


def cnn_model(reg):
    def block(cin, cout):
        layers = [torch.nn.Conv2d(cin, cout, 3, padding=1)]
        if reg:
            layers.append(torch.nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1))
        layers += [torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
        if reg:
            layers.append(torch.nn.Dropout(0.25))
        return layers
    return torch.nn.Sequential(*block(1, 8), *block(8, 16), torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))


def cnn_per_step(reg, data_dir=None):
    torch.manual_seed(0)
    b = 32
    x, y = samples(data_dir, b * STEPS, (1, 28, 28))
    net = cnn_model(reg)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, eps=1e-7, foreach=True)
    loss_fn = torch.nn.CrossEntropyLoss()

    def steps(count):
        for i in range(count):
            j = i % (len(x) // b)
            xb, yb = x[j * b:(j + 1) * b], y[j * b:(j + 1) * b]
            opt.zero_grad(set_to_none=True)
            loss_fn(net(xb), yb).backward()
            opt.step()

    steps(WARMUP)
    ms = best_of(REPEATS, lambda: steps(STEPS)) * 1000 / STEPS
    return {"msPerStep": ms, "samplesPerSecond": b * 1000 / ms}


def sweep(seeds, part=0, parts=1):
    """The default sweep's work, with validation after every epoch as nnlab does."""
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.random((8000, 784), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, 10, 8000))
    xv = torch.from_numpy(rng.random((2000, 784), dtype=np.float32))
    start = time.perf_counter()
    runs = [(h, bn, seed) for h in (5, 50, 100, 1024) for bn in (False, True) for seed in range(seeds)]
    for h, bn, seed in runs[part::parts]:
        torch.manual_seed(seed)
        net = model(h, bn)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        for _ in range(20):
            net.train()
            perm = torch.randperm(len(x))
            train_steps(net, opt, x[perm], y[perm], len(x) // B)
            net.eval()
            with torch.no_grad():
                net(xv)
    return {"seconds": time.perf_counter() - start}


args = sys.argv[1:]
data = None
if "--data" in args:
    data = args[args.index("--data") + 1]
    args = args[:args.index("--data")]
if args[0] == "sweep":
    print(json.dumps(sweep(int(args[1]), *map(int, args[2:4]))))
elif args[0] == "cnn":
    print(json.dumps(cnn_per_step(len(args) > 1 and args[1] == "reg", data)))
else:
    print(json.dumps(per_step(int(args[0]), len(args) > 1 and args[1] == "bn", data)))
