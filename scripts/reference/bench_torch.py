#!/usr/bin/env python3
"""PyTorch reference for `npm run bench:compare` (test/bench/compare.ts).

A long-lived process: it reads one JSON request per line on stdin and answers one JSON line on
stdout, so the Node side can interleave its own measurements with these. Requests:

  {"op": "info"}                                   -> {"torch": version, "threads": n}
  {"op": "load", "work": id, "kind": k, ...}       -> {"ok": true}   (sets up a workload)
  {"work": id, "seconds": s}                       -> {"rate": throughput}
  {"op": "check", "work": id, "samples": n}        -> {"mean": m, "se": s}   (Monte Carlo kinds)
  {"op": "check", "work": id}                      -> {"error": e}   (arcsin kind: 1 - b^T C^-1 b)

A failing request is answered {"failure": "one-line reason"}; the process keeps serving.
torch runs on 2 intra-op threads (torch.set_num_threads(2)) and is seeded deterministically.
"""

import json
import math
import sys
import time

import torch

THREADS = 2
torch.set_num_threads(THREADS)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass
torch.manual_seed(0)

DTYPES = {"float64": torch.float64, "float32": torch.float32}


def unit_rows(g, shape, dtype):
    """Points uniform on the sphere: normalised Gaussian rows."""
    x = torch.randn(*shape, generator=g, dtype=dtype)
    return x / x.norm(dim=-1, keepdim=True)


def ortho_frames(g, size, n, d, dtype):
    """Haar orthonormal n-frames in R^d ([size, n, d]): QR of a Gaussian d x n with R's diagonal made positive."""
    q, r = torch.linalg.qr(torch.randn(size, d, n, generator=g, dtype=dtype))
    s = torch.sign(torch.diagonal(r, dim1=-2, dim2=-1))
    s = torch.where(s == 0, torch.ones_like(s), s)
    return (q * s.unsqueeze(-2)).transpose(-1, -2)


def contexts(g, dist, size, n, d, dtype):
    y = unit_rows(g, (size, d), dtype)
    x = ortho_frames(g, size, n, d, dtype) if dist == "ortho" else unit_rows(g, (size, n, d), dtype)
    return y, x


def nearest_points(x, y):
    """x_{argmax_i <x_i, y>} for each sample."""
    idx = torch.bmm(x, y.unsqueeze(-1)).squeeze(-1).argmax(dim=1)
    return x[torch.arange(x.shape[0]), idx]


def timed(step, units_per_call, seconds):
    """Calls step() until `seconds` have passed (at least once); units per second."""
    done = 0
    t0 = time.perf_counter()
    while True:
        step()
        done += units_per_call
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return done / elapsed


class MonteCarlo:
    """Squared error of a fixed multi-head softmax layer against the nearest point, batch 1024."""

    BATCH = 1024

    def __init__(self, req):
        self.dtype = DTYPES[req.get("dtype", "float64")]
        self.d, self.r, self.n, self.dist = req["d"], req["r"], req["n"], req["dist"]
        d, r = self.d, self.r
        H = len(req["heads"])
        Q = torch.tensor([h["Q"] for h in req["heads"]], dtype=self.dtype).reshape(H, d, r)
        K = torch.tensor([h["K"] for h in req["heads"]], dtype=self.dtype).reshape(H, d, r)
        V = torch.tensor([h["V"] for h in req["heads"]], dtype=self.dtype).reshape(H, d, d)
        self.H = H
        # [d, H*r] so that Q_h^T y of every head is one product; likewise K_h^T x_i.
        self.Qcat = Q.permute(1, 0, 2).reshape(d, H * r).contiguous()
        self.Kcat = K.permute(1, 0, 2).reshape(d, H * r).contiguous()
        # out = sum_h V_h z_h = [z_1 ... z_H] @ Vcat with Vcat[h*d + j, k] = V_h[k, j].
        self.Vcat = V.transpose(1, 2).reshape(H * d, d).contiguous()
        self.g = torch.Generator().manual_seed(3)

    def errors(self, g, size):
        d, r, n, H = self.d, self.r, self.n, self.H
        y, x = contexts(g, self.dist, size, n, d, self.dtype)
        p = (y @ self.Qcat).reshape(size, H, 1, r)
        kx = (x.reshape(size * n, d) @ self.Kcat).reshape(size, n, H, r).permute(0, 2, 3, 1)
        a = torch.softmax(torch.matmul(p, kx).squeeze(2), dim=-1)  # [size, H, n]
        z = torch.bmm(a, x).reshape(size, H * d)
        out = z @ self.Vcat
        return ((out - nearest_points(x, y)) ** 2).sum(dim=1)

    def rate(self, seconds):
        with torch.no_grad():
            return timed(lambda: self.errors(self.g, self.BATCH), self.BATCH, seconds)

    def check(self, req):
        samples = int(req.get("samples", 200_000))
        g = torch.Generator().manual_seed(12345)
        total, total_sq, done = 0.0, 0.0, 0
        with torch.no_grad():
            while done < samples:
                size = min(4096, samples - done)
                e = self.errors(g, size).double()
                total += e.sum().item()
                total_sq += (e * e).sum().item()
                done += size
        mean = total / done
        var = max(0.0, (total_sq - done * mean * mean) / (done - 1))
        return {"mean": mean, "se": math.sqrt(var / done), "samples": done}


def learning_rate_at(t, total, peak):
    """rankcheck's schedule (src/training/schedule.ts): 5% linear warm-up, cosine decay to a tenth."""
    warm = max(1, int(0.05 * total))
    if t < warm:
        return peak * (t + 1) / warm
    progress = (t - warm) / max(1, total - warm)
    return peak * (0.1 + 0.45 * (1 + math.cos(math.pi * progress)))


class Trainer:
    """Adam on a fresh batch every step, sampling included, float32; the schedule as rankcheck's."""

    SCHEDULE_STEPS = 1000

    def setup(self, params, lr, betas):
        self.params = params
        self.peak = lr
        self.opt = torch.optim.Adam(params, lr=lr, betas=betas, eps=1e-8)
        self.t = 0

    def step(self):
        for group in self.opt.param_groups:
            group["lr"] = learning_rate_at(self.t % self.SCHEDULE_STEPS, self.SCHEDULE_STEPS, self.peak)
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss()
        loss.backward()
        self.opt.step()
        self.t += 1

    def rate(self, seconds):
        return timed(self.step, 1, seconds)


class SearchTraining(Trainer):
    """src/search/trainable-attention.ts, plain variant: Q, K [H, d, r], V [H, d, d], softmax over N positions."""

    def __init__(self, req):
        d, r, H = req["d"], req["r"], req["heads"]
        self.d, self.r, self.H, self.n, self.batch = d, r, H, req["n"], req["batch"]
        self.dist = req.get("dist", "ortho")
        g = torch.Generator().manual_seed(0)
        f32 = torch.float32
        self.Q = (torch.randn(H, d, r, generator=g, dtype=f32) / math.sqrt(d)).requires_grad_()
        self.K = (torch.randn(H, d, r, generator=g, dtype=f32) / math.sqrt(d)).requires_grad_()
        v = torch.randn(H, d, d, generator=g, dtype=f32) * (0.1 / math.sqrt(d)) + torch.eye(d) / H
        self.V = v.requires_grad_()
        self.g = torch.Generator().manual_seed(1)
        self.setup([self.Q, self.K, self.V], req.get("lr", 0.01), (0.9, 0.999))

    def loss(self):
        d, r, H, n, B = self.d, self.r, self.H, self.n, self.batch
        y, x = contexts(self.g, self.dist, B, n, d, torch.float32)
        target = nearest_points(x, y)
        p = (y @ self.Q.permute(1, 0, 2).reshape(d, H * r)).reshape(B, H, 1, r)
        kx = (x.reshape(B * n, d) @ self.K.permute(1, 0, 2).reshape(d, H * r)).reshape(B, n, H, r).permute(0, 2, 3, 1)
        a = torch.softmax(torch.matmul(p, kx).squeeze(2), dim=-1)
        z = torch.bmm(a, x).reshape(B, H * d)
        out = z @ self.V.transpose(1, 2).reshape(H * d, d)
        return ((out - target) ** 2).sum(dim=1).mean()


class TransformerTraining(Trainer):
    """src/experiments/transformer.ts, one post-norm layer (ScaleNorm with a learned gain), farthest-neighbour task."""

    def __init__(self, req):
        d, n, H, m = req["d"], req["n"], req["heads"], req["mlp"]
        self.d, self.n, self.H, self.r, self.batch = d, n, H, d // H, req["batch"]
        g = torch.Generator().manual_seed(0)
        f32 = torch.float32

        def gauss(rows, cols, sd):
            return (torch.randn(rows, cols, generator=g, dtype=f32) * sd).requires_grad_()

        G = H * self.r
        self.Wq, self.Wk, self.Wv = (gauss(d, G, 1 / math.sqrt(d)) for _ in range(3))
        self.Wo = gauss(G, d, 1 / math.sqrt(G))
        self.g1 = torch.ones((), dtype=f32, requires_grad=True)
        self.g2 = torch.ones((), dtype=f32, requires_grad=True)
        self.W1 = gauss(d, m, 1 / math.sqrt(d))
        self.b1 = torch.zeros(m, dtype=f32, requires_grad=True)
        self.W2 = gauss(m, d, 1 / math.sqrt(m))
        self.b2 = torch.zeros(d, dtype=f32, requires_grad=True)
        self.data = torch.Generator().manual_seed(1)
        params = [self.Wq, self.Wk, self.Wv, self.Wo, self.g1, self.g2, self.W1, self.b1, self.W2, self.b2]
        self.setup(params, req.get("lr", 0.01), (0.9, 0.95))

    @staticmethod
    def scale_norm(x, gain):
        return x * (gain / torch.sqrt((x * x).sum(dim=-1, keepdim=True) + 1e-12))

    def loss(self):
        d, n, H, r, B = self.d, self.n, self.H, self.r, self.batch
        x = unit_rows(self.data, (B, n, d), torch.float32)
        # Token j's target: x_{argmin_i <x_i, x_j>}.
        idx = torch.bmm(x, x.transpose(1, 2)).argmin(dim=1)  # symmetric Gram: [b, j] = argmin_i
        target = torch.gather(x, 1, idx.unsqueeze(-1).expand(B, n, d))
        flat = x.reshape(B * n, d)

        def heads(t):
            return t.reshape(B, n, H, r).transpose(1, 2)  # [B, H, N, r]

        q, k, v = heads(flat @ self.Wq), heads(flat @ self.Wk), heads(flat @ self.Wv)
        a = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(r), dim=-1)
        z = torch.matmul(a, v).transpose(1, 2).reshape(B * n, H * r)
        h = self.scale_norm(flat + z @ self.Wo, self.g1)
        mlp = torch.relu(h @ self.W1 + self.b1) @ self.W2 + self.b2
        out = self.scale_norm(h + mlp, self.g2)
        return ((out - target.reshape(B * n, d)) ** 2).sum(dim=1).mean()


class Product:
    """One float32 matrix product [m, k] @ [k, n] (the paper layer's first MLP product); GFLOP/s."""

    def __init__(self, req):
        g = torch.Generator().manual_seed(5)
        self.m, self.k, self.n = req["m"], req["k"], req["n"]
        self.a = torch.randn(self.m, self.k, generator=g)
        self.b = torch.randn(self.k, self.n, generator=g)
        self.out = torch.empty(self.m, self.n)

    def rate(self, seconds):
        gflop = 2 * self.m * self.k * self.n / 1e9
        return gflop * timed(lambda: torch.matmul(self.a, self.b, out=self.out), 1, seconds)


class ArcsinSolve:
    """Dense arcsin kernel C = 1/2 + (2/pi^2) asin(QQ^T) * asin(KK^T) (src/theory/arcsin-kernel.ts), then a solve."""

    def __init__(self, req):
        H, d = req["count"], req["d"]
        self.q = torch.tensor(req["q"], dtype=torch.float64).reshape(H, d)
        self.k = torch.tensor(req["k"], dtype=torch.float64).reshape(H, d)
        self.b = torch.tensor(req["b"], dtype=torch.float64)

    def solve(self):
        cq = torch.asin(torch.clamp(self.q @ self.q.T, -1, 1))
        ck = torch.asin(torch.clamp(self.k @ self.k.T, -1, 1))
        C = cq.mul_(ck).mul_(2 / math.pi**2).add_(0.5)
        a = torch.linalg.solve(C, self.b)
        return 1 - 2 * torch.dot(a, self.b).item() + torch.dot(a, C @ a).item()

    def rate(self, seconds):
        return timed(self.solve, 1, seconds)

    def check(self, req):
        return {"error": self.solve()}


KINDS = {
    "monte-carlo": MonteCarlo,
    "search-training": SearchTraining,
    "transformer-training": TransformerTraining,
    "arcsin": ArcsinSolve,
    "product": Product,
}


def handle(works, req):
    op = req.get("op", "rate")
    if op == "info":
        return {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if op == "load":
        works[req["work"]] = KINDS[req["kind"]](req)
        return {"ok": True}
    work = works.get(req.get("work"))
    if work is None:
        return {"failure": f"unknown work {req.get('work')!r} (not loaded)"}
    if op == "check":
        return work.check(req)
    return {"rate": work.rate(float(req["seconds"]))}


def main():
    works = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(works, json.loads(line))
        except Exception as e:  # one line back to Node, never a traceback
            answer = {"failure": f"{type(e).__name__}: {e}".splitlines()[0]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
