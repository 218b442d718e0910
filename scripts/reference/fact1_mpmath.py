"""Reference values for Fact 1's exact D_2 error, computed independently with mpmath.

Integrates in the original variable t (not the θ substitution the product uses), with the
normaliser from mpmath's beta function, at 40 significant digits:

    error(d, β) = 4 ∫_0^1 σ(−√2 β t)² (1 − t²)^{(d−3)/2} dt / B(½, (d−1)/2)

Run: python3 scripts/reference/fact1_mpmath.py > test/fixtures/fact1-reference.json
(needs python3-mpmath; the product itself does not use Python).
"""
import json
import mpmath as mp

mp.mp.dps = 40

def error(d, beta):
    c = mp.sqrt(2) * beta
    f = lambda t: (1 / (1 + mp.exp(c * t))) ** 2 * (1 - t * t) ** (mp.mpf(d - 3) / 2)
    # Split where σ² changes scale (u = √2βt of order 1) and where the weight does (t ~ 1/√d).
    pts = {mp.mpf(0), mp.mpf(1)}
    for k in range(-3, 8):
        x = mp.mpf(2) ** k / c
        if x < 1:
            pts.add(x)
    for j in range(1, 9):
        x = mp.mpf(j) / mp.sqrt(d)
        if x < 1:
            pts.add(x)
    pts = sorted(pts)
    integral = mp.quad(f, pts, maxdegree=10)
    return 4 * integral / mp.beta(mp.mpf(1) / 2, mp.mpf(d - 1) / 2)

rows = []
for d in [3, 4, 5, 8, 16, 33, 64, 128, 257, 512, 1024]:
    for beta in ['1e-3', '1e-2', '0.1', '0.5', '1', '3', '10', '31.6', '100', '1e3', '1e4', '1e5', '1e6']:
        b = mp.mpf(beta)
        rows.append({'d': d, 'beta': float(b), 'error': mp.nstr(error(d, b), 25)})
print(json.dumps({'generator': 'scripts/reference/fact1_mpmath.py', 'mpmathVersion': mp.__version__,
                  'digits': 40, 'values': rows}, indent=1))
