"""Reference values for the Theorem-2 bound LB(d, r, H), computed independently with mpmath.

  LB = ½ Σ_{k odd} e_k (1 − min(1, H·M(r,k)/N(d,k)))
  e_k = 4 c_d J_k² / h_k (Gegenbauer closed form, evaluated with mpmath's gamma functions),
  M(r,k) = C(k+r−1, r−1),  N(d,k) = C(k+d−1, d−1) − C(k+d−3, d−1)

Terms are summed one by one from the first uncaptured degree k* up to k* + 4000 and the rest
with mpmath.nsum's Euler–Maclaurin method (its own numerical derivatives and quadrature),
at 30 significant digits plus as many as ln Γ of the largest degree needs (k* ≈ H for huge H
would otherwise leave no digits in ln Γ(k+d) − ln Γ(k+1)). Run:
  python3 scripts/reference/rank_bound_mpmath.py > test/fixtures/rank-bound-reference.json
"""
import json
import mpmath as mp

mp.mp.dps = 30

def log_e(d, k):
    lam = mp.mpf(d - 2) / 2
    m = (mp.mpf(k) - 1) / 2
    logc = mp.loggamma(lam + 1) - mp.log(mp.pi) / 2 - mp.loggamma(lam + mp.mpf(1) / 2)
    logJ = mp.log(2 * lam) - mp.log(k) - mp.log(k + 2 * lam) + mp.loggamma(m + lam + 1) - mp.loggamma(lam + 1) - mp.loggamma(m + 1)
    logh = mp.log(mp.pi) + (1 - 2 * lam) * mp.log(2) + mp.loggamma(k + 2 * lam) - mp.loggamma(k + 1) - mp.log(k + lam) - 2 * mp.loggamma(lam)
    return mp.log(4) + logc + 2 * logJ - logh

def log_ratio(d, r, k):
    # ln M(r,k) − ln N(d,k), N(d,k) = (2k+d−2)(k+d−3)!/(k!(d−2)!)
    logM = mp.loggamma(k + r) - mp.loggamma(k + 1) - mp.loggamma(r)
    logN = mp.log(2 * k + d - 2) + mp.loggamma(k + d - 2) - mp.loggamma(k + 1) - mp.loggamma(d - 1)
    return logM - logN

def bound(d, r, H):
    if r >= d:
        return mp.mpf(0)
    lnH = mp.log(H)
    g = lambda k: lnH + log_ratio(d, r, k)
    # k* = 2j*+1: the first odd k with g < 0 (g decreases in k); bisection over j.
    if g(1) < 0:
        kstar = 1
    else:
        jlo, jhi = 0, 1  # g(2·jlo+1) >= 0
        while g(2 * jhi + 1) >= 0:
            jlo, jhi = jhi, 2 * jhi
        while jhi - jlo > 1:
            jm = (jlo + jhi) // 2
            if g(2 * jm + 1) >= 0:
                jlo = jm
            else:
                jhi = jm
        kstar = 2 * jhi + 1
    term = lambda k: mp.exp(log_e(d, k)) * -mp.expm1(g(k))
    # Sum term by term while the summand still varies on the scale of the step (k* below ~1e6),
    # then Euler–Maclaurin; for astronomically large k* the summand is smooth from the start.
    n_direct = 2000 if kstar < 10**6 else 0
    direct = mp.fsum(term(kstar + 2 * j) for j in range(n_direct))
    tail = mp.nsum(lambda j: term(kstar + 2 * j), [n_direct, mp.inf], method='euler-maclaurin')
    return (direct + tail) / 2

cases = [(3, 1, 1), (3, 1, 10), (3, 2, 1), (4, 1, 8), (6, 2, 4), (8, 1, 1), (8, 1, 4), (8, 1, 16), (8, 2, 8),
         (8, 7, 1), (8, 4, 1000), (16, 1, 10**6), (32, 8, 10**10), (64, 1, 10**300), (64, 32, 10**20),
         (128, 64, 10**50), (500, 100, 10**100), (1000, 998, 10**5), (1024, 1023, 1), (4096, 1, 1),
         (4096, 2048, 10**300)]
# Not here: cases whose k* ≈ H is astronomically large (r = d − 2 with H = 1e300). mpmath's
# Euler–Maclaurin integrates over [0, ∞) and loses the summand living at scale 1e300; the test
# checks those against the leading asymptote LB ≈ c_d/(π k*) instead.
rows = []
import sys
for d, r, H in cases:
    import time
    t0 = time.time()
    # k* ≈ H^(1/(d−1−r)): its digits are what ln Γ(k*+d) − ln Γ(k*+1) must not lose.
    mp.mp.dps = 40 + int(1.1 * mp.log10(H) / max(1, d - 1 - r))
    rows.append({'d': d, 'r': r, 'log10H': float(mp.log10(H)), 'lowerBound': mp.nstr(bound(d, r, mp.mpf(H)), 20)})
    print(d, r, rows[-1]['lowerBound'], round(time.time() - t0, 1), 's', file=sys.stderr, flush=True)
print(json.dumps({'generator': 'scripts/reference/rank_bound_mpmath.py', 'mpmathVersion': mp.__version__, 'values': rows}, indent=1))
