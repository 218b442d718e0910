"""Reference values for the exact error of Theorem 3's full-rank construction, computed
independently with mpmath.

  error(d) = 2 E_t[(g(t) − sq(t))²],  t ~ N(0, 2),
  g(t) = Σ_j (−1)^j σ(β(t − τ_j)),  j = 0 … m − 1,  m = 2d² + 1,
  τ_j = −R + 2Rj/(m − 1),  R = 3√2,  δ = 2R/(m − 1),  β = 40/δ,
  sq(t) = (number of τ_j below t) mod 2.

Method (different from the suite's adaptive Gauss–Legendre in float64): tanh-sinh quadrature
(mpmath.quad) at 40 significant digits on every interval between consecutive thresholds, each
cut further at distances 2^k/β from both ends so that the sigmoid's boundary layers sit at
interval ends, plus the two Gaussian tails. A sigmoid with |β(t − τ)| > 150 is replaced by its
limit, 0 or 1 (the neglected part is below e^−150 per term). The error estimate is the larger of
mpmath's own estimates summed and the difference from a second pass with
Gauss–Legendre rules in place of tanh-sinh. Run:
  python3 scripts/reference/parity_construction_mpmath.py > test/fixtures/parity-construction-reference.json
"""
import bisect
import json
import sys
import mpmath as mp

mp.mp.dps = 40
CUT = 150


def setup(d, heads=None):
    m = 2 * d * d + 1
    R = 3 * mp.sqrt(2)
    tau = [-R + 2 * R * j / (m - 1) for j in range(m)]
    delta = 2 * R / (m - 1)
    beta = 40 / delta
    head_tau = tau if heads is None else [-R + 2 * R * j / (heads - 1) for j in range(heads)]
    return tau, head_tau, beta


def make_integrand(tau, head_tau, beta):
    norm = 1 / mp.sqrt(4 * mp.pi)

    def g(t):
        # Heads with β(t − τ_j) > CUT contribute their limit 1 each, (−1)^j summed exactly.
        lo = bisect.bisect_left(head_tau, t - CUT / beta)
        hi = bisect.bisect_right(head_tau, t + CUT / beta)
        s = mp.mpf(lo % 2)
        for j in range(lo, hi):
            v = 1 / (1 + mp.exp(-beta * (t - head_tau[j])))
            s += v if j % 2 == 0 else -v
        return s

    def f(t, sq):
        return (g(t) - sq) ** 2 * mp.exp(-t * t / 4) * norm

    return f


def pieces(a, b, beta):
    """[a, b] cut at a + 2^k/β and b − 2^k/β for every 2^k/β below (b − a)/2."""
    pts = {a, b}
    w = 1 / beta
    while 2 * w < (b - a):
        pts.add(a + w)
        pts.add(b - w)
        w *= 2
    return sorted(pts)


def error(d, heads=None, method='tanh-sinh'):
    tau, head_tau, beta = setup(d, heads)
    f = make_integrand(tau, head_tau, beta)
    breaks = sorted(set(tau) | set(head_tau))
    total = mp.mpf(0)
    est = mp.mpf(0)
    # Interval k lies between breaks[k−1] and breaks[k]; sq is the count of targets below mod 2.
    edges = [-mp.inf] + breaks + [mp.inf]
    for k in range(len(edges) - 1):
        a, b = edges[k], edges[k + 1]
        mid = (a + b) / 2 if mp.isfinite(a) and mp.isfinite(b) else (b - 1 if mp.isfinite(b) else a + 1)
        sq = sum(1 for tj in tau if tj < mid) % 2
        if mp.isfinite(a) and mp.isfinite(b):
            pts = pieces(a, b, beta)
        elif mp.isfinite(b):
            pts = [-mp.inf] + [b - mp.mpf(2) ** i / beta for i in range(12, -1, -1)] + [b]
        else:
            pts = [a] + [a + mp.mpf(2) ** i / beta for i in range(0, 13)] + [mp.inf]
        v, e = mp.quad(lambda t: f(t, sq), pts, error=True, method=method)
        total += v
        est += e
    return 2 * total, 2 * est


def main():
    ds = [int(x) for x in sys.argv[1:]] or [3, 4, 5, 6, 8, 10, 12, 16]
    values = []
    for d in ds:
        v, e = error(d)
        v2, _ = error(d, method='gauss-legendre')
        estimate = max(e, abs(v - v2))
        values.append({'d': d, 'heads': 2 * d * d + 1, 'error': mp.nstr(v, 25), 'errorEstimate': mp.nstr(estimate, 3)})
        print(f'd={d} {mp.nstr(v, 20)} ± {mp.nstr(estimate, 3)}', file=sys.stderr, flush=True)
    # The half-the-heads construction (d² + 1 heads for the 2d² + 1 thresholds) at d = 4; its estimate is mpmath's own.
    v, e = error(4, heads=17)
    sentinel = {'d': 4, 'heads': 17, 'error': mp.nstr(v, 25), 'errorEstimate': mp.nstr(e, 3)}
    print(json.dumps({
        'generator': 'scripts/reference/parity_construction_mpmath.py',
        'mpmathVersion': mp.__version__,
        'dps': mp.mp.dps,
        'values': values,
        'sentinel': sentinel,
    }, indent=2))


if __name__ == '__main__':
    main()
