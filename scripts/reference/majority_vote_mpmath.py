"""Reference values for the expected D_2 error of Theorem 5's majority-vote network, with mpmath.

Independent of the product's θ-space quadrature and incomplete-beta tails: integrates in
t = ⟨w, y⟩ (density (1 − t²)^{(d−3)/2} / B(½, (d−1)/2)), with the vote success probability
p = 1 − arccos(t)/π and the binomial tail summed term by term at 30 digits:

    error(d, H) = 4 ∫_0^1 [Σ_{j < H/2} C(H,j) p^j (1−p)^{H−j} + ½ C(H,H/2) (p(1−p))^{H/2}] ρ(t) dt

(the ½-term only for even H: a tie picks x_1, right half the time). Run:
  python3 scripts/reference/majority_vote_mpmath.py > test/fixtures/majority-vote-reference.json
"""
import json
import mpmath as mp

mp.mp.dps = 30

def wrong(H, p):
    q = 1 - p
    s = mp.mpf(0)
    for j in range((H + 1) // 2):
        s += mp.binomial(H, j) * p**j * q**(H - j)
    if H % 2 == 0:
        s += mp.binomial(H, H // 2) * (p * q) ** (H // 2) / 2
    return s

def error(d, H):
    f = lambda t: wrong(H, 1 - mp.acos(t) / mp.pi) * (1 - t * t) ** (mp.mpf(d - 3) / 2)
    pts = sorted({mp.mpf(0), mp.mpf(1)} | {mp.mpf(c) / mp.sqrt(H) for c in (0.5, 1, 2, 4, 8) if c / H**0.5 < 1})
    return 4 * mp.quad(f, pts) / mp.beta(mp.mpf(1) / 2, mp.mpf(d - 1) / 2)

rows = []
for d in [3, 4, 8, 16, 64]:
    for H in [1, 2, 3, 4, 7, 16, 31, 100, 255]:
        rows.append({'d': d, 'heads': H, 'error': mp.nstr(error(d, H), 20)})
print(json.dumps({'generator': 'scripts/reference/majority_vote_mpmath.py', 'mpmathVersion': mp.__version__,
                  'digits': 30, 'values': rows}, indent=1))
