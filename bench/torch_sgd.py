#!/usr/bin/env python3
"""PyTorch peer for lfm's SGD epoch (bench/README.md, "GPU check"): the same objective on the same
recipe of data, timed the same way, so lfm's updates/s can be put beside PyTorch's on one card.

Objective (README "The objective", the frequency-weighted form SgdEpochBenchmark uses):
    L = sum_(u,i) (r - mu - b_u - b_i - p_u.q_i)^2 + lam (sum_u n_u |p_u|^2 + sum_i n_i |q_i|^2)
        + lam_b (sum_u n_u b_u^2 + sum_i n_i b_i^2),     lam = 0.05, lam_b = 0.01
whose per-rating SGD step (weight w = 1 for every touched row, as in lfm's WEIGHTED form) is
    e = r - r_hat;  p_u += lr (e q_i - lam p_u);  q_i += lr (e p_u - lam q_i)
    b_u += lr (e - lam_b b_u);  b_i += lr (e - lam_b b_i)                       lr = 0.005

Data: SgdEpochBenchmark's recipe (SyntheticRatings.uniform): size ratings, size/100 users,
size/1000 items, uniform (u, i), r = clip(3 + 0.25 N(0,1) + u_a.v_b, 1, 5) with planted rank-8
factors N(0, 1/sqrt(sqrt(8))); the first 10% is the test part, the rest is trained. Drawn with
torch's generator (seed 42): the same distribution and sizes, not the same bits as Java's.

Two variants, one epoch = every train rating once, in a fresh random order, in batches:
  minibatch  exact mini-batch SGD: the batch's per-rating steps summed per row (index_add_),
             no lost updates (Hogwild-free);
  scatter    per-rating steps written back by scatter (index_put_ without accumulation): when a
             batch holds two ratings of one row, one write wins (the GPU analogue of Hogwild).
Timing: updates/s = train ratings / epoch seconds, after --warmup epochs, each epoch closed by
torch.cuda.synchronize(); the figure is the median over --epochs epochs. Prints one JSON object.
"""
import argparse
import json
import statistics
import sys
import time

import torch


def generate(size, seed, device):
    g = torch.Generator(device="cpu").manual_seed(seed)
    users, items, rank = max(10, size // 100), max(10, size // 1000), 8
    sd = 1.0 / (rank ** 0.25)
    u_true = torch.randn(users, rank, generator=g) * sd
    v_true = torch.randn(items, rank, generator=g) * sd
    u = torch.randint(0, users, (size,), generator=g)
    i = torch.randint(0, items, (size,), generator=g)
    r = torch.empty(size)
    chunk = 1 << 22
    for a in range(0, size, chunk):
        b = min(size, a + chunk)
        dot = (u_true[u[a:b]] * v_true[i[a:b]]).sum(1)
        r[a:b] = (3 + 0.25 * torch.randn(b - a, generator=g) + dot).clamp_(1, 5)
    n_test = size // 10
    train = (u[n_test:].to(device), i[n_test:].to(device), r[n_test:].to(device))
    return users, items, train


class Model:
    def __init__(self, users, items, k, mu, device, seed):
        g = torch.Generator(device="cpu").manual_seed(seed)
        self.p = (torch.randn(users, k, generator=g) * 0.1).to(device)
        self.q = (torch.randn(items, k, generator=g) * 0.1).to(device)
        self.bu = torch.zeros(users, device=device)
        self.bi = torch.zeros(items, device=device)
        self.mu = mu

    def steps(self, u, i, r, lam, lam_b, lr):
        """The per-rating SGD steps of a batch, all from the same (old) parameters."""
        pu, qi = self.p[u], self.q[i]
        e = r - (self.mu + self.bu[u] + self.bi[i] + (pu * qi).sum(1))
        e1 = e.unsqueeze(1)
        dp = lr * (e1 * qi - lam * pu)
        dq = lr * (e1 * pu - lam * qi)
        dbu = lr * (e - lam_b * self.bu[u])
        dbi = lr * (e - lam_b * self.bi[i])
        return dp, dq, dbu, dbi

    def minibatch(self, u, i, r, lam, lam_b, lr):
        dp, dq, dbu, dbi = self.steps(u, i, r, lam, lam_b, lr)
        self.p.index_add_(0, u, dp)
        self.q.index_add_(0, i, dq)
        self.bu.index_add_(0, u, dbu)
        self.bi.index_add_(0, i, dbi)

    def scatter(self, u, i, r, lam, lam_b, lr):
        dp, dq, dbu, dbi = self.steps(u, i, r, lam, lam_b, lr)
        self.p.index_put_((u,), self.p[u] + dp)
        self.q.index_put_((i,), self.q[i] + dq)
        self.bu.index_put_((u,), self.bu[u] + dbu)
        self.bi.index_put_((i,), self.bi[i] + dbi)

    def rmse(self, u, i, r):
        se = 0.0
        for a in range(0, u.numel(), 1 << 22):
            s = slice(a, a + (1 << 22))
            pr = self.mu + self.bu[u[s]] + self.bi[i[s]] + (self.p[u[s]] * self.q[i[s]]).sum(1)
            se += float(((r[s] - pr.clamp(1, 5)) ** 2).sum())
        return (se / u.numel()) ** 0.5


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def run(variant, k, users, items, train, args):
    u, i, r = train
    n = u.numel()
    model = Model(users, items, k, float(r.mean()), args.device, 42)
    step = model.minibatch if variant == "minibatch" else model.scatter
    g = torch.Generator(device=args.device).manual_seed(7)
    times = []
    for epoch in range(args.warmup + args.epochs):
        sync(args.device)
        t0 = time.perf_counter()
        order = torch.randperm(n, device=args.device, generator=g)
        for a in range(0, n, args.batch):
            j = order[a:a + args.batch]
            step(u[j], i[j], r[j], 0.05, 0.01, 0.005)
        sync(args.device)
        if epoch >= args.warmup:
            times.append(time.perf_counter() - t0)
    sec = statistics.median(times)
    return {"variant": variant, "k": k, "batch": args.batch, "train_ratings": n, "epoch_s": sec,
            "updates_per_s": n / sec, "train_rmse": model.rmse(u, i, r)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=20_000_000, help="ratings (90%% trained)")
    ap.add_argument("--k", default="64,128", help="ranks, comma-separated")
    ap.add_argument("--variants", default="minibatch,scatter")
    ap.add_argument("--batch", type=int, default=1 << 18, help="ratings per batch")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    t0 = time.perf_counter()
    users, items, train = generate(args.size, 42, args.device)
    out = {"torch": torch.__version__, "device": args.device,
           "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu",
           "size": args.size, "users": users, "items": items, "data_s": time.perf_counter() - t0, "runs": []}
    for k in (int(x) for x in args.k.split(",")):
        for variant in args.variants.split(","):
            res = run(variant, k, users, items, train, args)
            out["runs"].append(res)
            print(f"torch {variant:9s} k={k:<4d} {res['updates_per_s'] / 1e6:9.1f} M updates/s "
                  f"({res['epoch_s'] * 1e3:.1f} ms/epoch, train RMSE {res['train_rmse']:.4f})", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
