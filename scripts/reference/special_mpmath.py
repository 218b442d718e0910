"""Reference values for src/core/special.ts, from mpmath at 40 digits (Kolmogorov's law from
SciPy). Run: python3 scripts/reference/special_mpmath.py > test/fixtures/special-reference.json
"""
import json
import mpmath as mp
from scipy import special as sp

mp.mp.dps = 40
s = lambda v: mp.nstr(v, 25)
out = {'generator': 'scripts/reference/special_mpmath.py', 'mpmathVersion': mp.__version__}
out['logGamma'] = [[x, s(mp.loggamma(mp.mpf(x)))] for x in
                   [1e-10, 0.1, 0.5, 1, 1.5, 2, 2.5, 7.3, 14.9, 15, 33.3, 100.5, 511.5, 1e4, 1e8]]
out['erfc'] = [[x, s(mp.erfc(mp.mpf(x)))] for x in [-3, -0.5, 0, 0.1, 0.5, 1, 2, 5, 10, 26]]
def quantile(p):
    # Root of Φ(x) = p in the lower tail (erfinv(1 − 2p) loses everything when p ≈ 1e-300).
    q = min(p, 1 - p)
    # On the log scale: an absolute tolerance on Φ itself would accept any x with Φ(x) below it.
    x = mp.findroot(lambda x: mp.log(mp.ncdf(x)) - mp.log(q), -mp.sqrt(-2 * mp.log(q)) if q < 0.5 else 0)
    return -x if p > 0.5 else x
out['normalQuantile'] = [[p, s(quantile(mp.mpf(p)))]
                         for p in [1e-300, 1e-20, 1e-8, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 0.999999999]]
out['incompleteBeta'] = [[x, a, b, s(mp.betainc(mp.mpf(a), mp.mpf(b), 0, mp.mpf(x), regularized=True))]
                         for (x, a, b) in [(0.1, 0.5, 0.5), (0.5, 1, 1), (0.3, 2.5, 2.5), (0.7, 2.5, 2.5),
                                           (0.45, 31.5, 31.5), (0.52, 511.5, 511.5), (0.01, 3, 50),
                                           (0.99, 50, 3), (0.2, 10, 1)]]
out['incompleteGamma'] = [[a, x, s(mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True))]
                          for (a, x) in [(0.5, 0.01), (0.5, 2), (3, 1), (3, 10), (100, 90), (100, 120)]]
out['kolmogorovSurvival'] = [[x, repr(float(sp.kolmogorov(x)))] for x in [0.3, 0.5, 0.8, 1.0, 1.36, 2.0, 3.0]]
print(json.dumps(out, indent=1))
