"""PyTorch reference for `npm run bench`: what a user would pick instead of nnlab. The seed MLP
(frozen per-pixel Dense(1) -> 784 -> H -> [BN] -> relu -> 10 softmax, Adam 1e-3, batch 64, Keras' BN epsilon and momentum) trained
with torch.nn on the CPU, one thread (torch.set_num_threads(1)), as nnlab's workers run. With
`sweep N`, trains the default bn-vs-nobn grid (H in 5, 50, 100, 1024; BN off/on; N seeds, 20 epochs of
8,000 samples) in this process and prints the total seconds. Prints JSON.
usage: python3 torch_reference.py H [bn]   |   python3 torch_reference.py sweep SEEDS [PART PARTS]
(a sweep split in PARTS processes: this one trains the runs i with i % PARTS == PART)"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
B, STEPS, WARMUP = 64, 60, 10


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


def per_step(h, bn):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.random((B * STEPS, 784), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, 10, B * STEPS))
    net = model(h, bn)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    train_steps(net, opt, x, y, WARMUP)
    start = time.perf_counter()
    train_steps(net, opt, x, y, STEPS)
    ms = (time.perf_counter() - start) * 1000 / STEPS
    return {"msPerStep": ms, "samplesPerSecond": B * 1000 / ms}


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
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
        for _ in range(20):
            net.train()
            perm = torch.randperm(len(x))
            train_steps(net, opt, x[perm], y[perm], len(x) // B)
            net.eval()
            with torch.no_grad():
                net(xv)
    return {"seconds": time.perf_counter() - start}


if sys.argv[1] == "sweep":
    print(json.dumps(sweep(int(sys.argv[2]), *map(int, sys.argv[3:5]))))
else:
    print(json.dumps(per_step(int(sys.argv[1]), len(sys.argv) > 2 and sys.argv[2] == "bn")))
