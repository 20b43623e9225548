#!/usr/bin/python3
"""The seed TRM's network (MLP mixer, hidden 512, 2 layers) in PyTorch, timed the way TrmBenchmark
times the generated model: one network call at batch 1 on one thread, and one supervision step
(3 cycles x (6 latent + 1 answer) network calls and the heads) at batch 64 on two threads.

Same shapes and order of operations as docs/trm.md (the weights are random: only time is measured).
Prints one JSON object: the warm median and min of several runs in one process, in process CPU
time (every thread of the process; OpenBLAS keeps its own pool, sized before torch loads) and in
wall time. Needs Debian's python3-torch with OpenBLAS as the BLAS (apt-get install python3-torch
libopenblas0-pthread: Debian's default reference BLAS is 50x slower).

Usage: /usr/bin/python3 bench/trm-pytorch.py call|step [--threads T] [--batch B] [--runs N]
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

ARGS = argparse.ArgumentParser()
ARGS.add_argument("what", choices=["call", "step"])
ARGS.add_argument("--threads", type=int, default=1)
ARGS.add_argument("--batch", type=int, default=1)
ARGS.add_argument("--runs", type=int, default=20)
A = ARGS.parse_args()
# OpenBLAS and OpenMP size their pools when torch loads
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(A.threads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

H, L, CONTEXT, VOCAB, LAYERS = 512, 82, 81, 11, 2
CYCLES, LATENT = 3, 6


def find_multiple(a, b):
    return -(a // -b) * b


MLP_I = find_multiple(round(4 * H * 2 / 3), 256)
MIX_I = find_multiple(round(4 * L * 2 / 3), 256)


def rms_norm(x, eps=1e-5):
    return x * torch.rsqrt(x.square().mean(-1, keepdim=True) + eps)


class Net:
    """Plain tensors, no autograd: the forward pass as the seed computes it."""

    def __init__(self, seed=0):
        g = torch.Generator().manual_seed(seed)
        def w(o, i):
            return torch.randn(o, i, generator=g) / math.sqrt(i)
        self.layers = [dict(mix_up=w(2 * MIX_I, L), mix_down=w(L, MIX_I), up=w(2 * MLP_I, H), down=w(H, MLP_I))
                       for _ in range(LAYERS)]
        self.out_w = w(VOCAB, H)
        self.q_w = w(2, H)

    @staticmethod
    def swiglu(x, up, down):
        gate, u = F.linear(x, up).chunk(2, dim=-1)
        return F.linear(F.silu(gate) * u, down)

    def network(self, x):
        for p in self.layers:
            mixed = self.swiglu(x.transpose(1, 2), p["mix_up"], p["mix_down"]).transpose(1, 2)
            x = rms_norm(x + mixed)
            x = rms_norm(x + self.swiglu(x, p["up"], p["down"]))
        return x

    def step(self, x, y, z):
        for _ in range(CYCLES):
            for _ in range(LATENT):
                z = self.network(x + y + z)
            y = self.network(y + z)
        return y, z, F.linear(y[:, 1:], self.out_w), F.linear(y[:, 0], self.q_w)


def blas():
    """The BLAS library this process loaded (Debian picks it through update-alternatives)."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    return ", ".join(sorted(os.path.realpath(lib) for lib in libs)) or "none"


def measure(name, fn, runs, threads, flop):
    torch.set_num_threads(threads)
    for _ in range(2):
        fn()
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    clock = cpu if threads == 1 else wall
    med = statistics.median(clock)
    print(json.dumps(dict(what=name, threads=threads, runs=runs, clock="process CPU" if threads == 1 else "wall",
                          median_ms=round(med * 1e3, 3), min_ms=round(min(clock) * 1e3, 3),
                          median_wall_ms=round(statistics.median(wall) * 1e3, 3), gflops=round(flop / med / 1e9, 1),
                          torch=torch.__version__, blas=blas())),
          flush=True)


def main():
    torch.manual_seed(0)
    net = Net()
    call_flop = 2.0 * LAYERS * (L * 2 * MIX_I * H + L * MIX_I * H + L * H * 2 * MLP_I + L * MLP_I * H)
    with torch.no_grad():
        x, y, z = (torch.randn(A.batch, L, H) for _ in range(3))
        if A.what == "call":
            measure(f"network call, batch {A.batch}", lambda: net.network(x), A.runs, A.threads, A.batch * call_flop)
        else:
            measure(f"supervision step, batch {A.batch}", lambda: net.step(x, y, z), A.runs, A.threads,
                    A.batch * CYCLES * (LATENT + 1) * call_flop)


if __name__ == "__main__":
    sys.exit(main())
