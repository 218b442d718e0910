"""Reference values for the random-features error as the paper's released script computes it,
with NumPy and SciPy (run with Debian's python3-numpy and python3-scipy; not a product dependency).

Written from the facts of the released script, not copied from it: heads drawn with
numpy.random.RandomState as the script draws them (u uniform on [-1, 1], q and e uniform, e made
orthogonal to q and not re-normalised, k = cos(arccos u) q + sin(arccos u) e); b from the
50-term Gegenbauer series of the agreement (coefficients by scipy.integrate.quad with the
algebraic weight, polynomials from scipy.special.gegenbauer) at the angle arccos<q, k> of the
raw vectors, rounded to float16; C from the raw vectors; a from scipy.sparse.linalg.cg at
its default relative tolerance 1e-5 from 0; error 1 - 2 b.a + a.C.a. Run:
  /usr/bin/python3 scripts/reference/published_recipe_scipy.py > test/fixtures/published-recipe-reference.json
"""
import json

import numpy as np
import scipy
from scipy.integrate import quad
from scipy.sparse.linalg import cg
from scipy.special import gegenbauer

TERMS = 50


def mean_ud(d, f):
    """E[f(t)] for t = <x, y> of independent uniform points of S^{d-1}."""
    a = (d - 3) / 2
    main = quad(f, -1, 1, limit=600, weight="alg", wvar=(a, a))[0]
    return main / quad(lambda x: 1.0, -1, 1, limit=600, weight="alg", wvar=(a, a))[0]


def series(d):
    lam = d / 2 - 1
    terms = []
    for n in range(1, TERMS, 2):
        g = gegenbauer(n, lam)
        norm = np.sqrt(mean_ud(d, lambda x: g(x) ** 2))
        s = mean_ud(d, lambda x: np.sign(x) * g(x) / norm)
        f = mean_ud(d, lambda x: (np.sqrt(2) / np.pi) * np.arcsin(x) * g(x) / norm)
        terms.append((g, s * f / g(1)))
    return lambda t: 0.5 + (1 / np.sqrt(2)) * sum(c * g(t) for g, c in terms)


def heads(d, H, seed):
    rng = np.random.RandomState(seed)
    u = rng.uniform(-1, 1, H)
    Q = rng.randn(d, H)
    Q /= np.linalg.norm(Q, axis=0)
    E = rng.randn(d, H)
    E /= np.linalg.norm(E, axis=0)
    E -= (Q * E).sum(axis=0) * Q
    theta = np.arccos(u)
    return Q, np.cos(theta) * Q + np.sin(theta) * E


def published(d, Q, K, b_of):
    b = b_of(np.clip((Q * K).sum(axis=0), -1, 1)).astype(np.float16)
    C = 0.5 + (2 / np.pi**2) * np.arcsin(np.clip(Q.T @ Q, -1, 1)) * np.arcsin(np.clip(K.T @ K, -1, 1))
    a, info = cg(C, b, tol=1e-5, atol=0)
    b64 = b.astype(np.float64)
    return b, a, info, float(1 - 2 * (b64 @ a) + a @ (C @ a))


out = {"generator": "scripts/reference/published_recipe_scipy.py", "numpy": np.__version__,
       "scipy": scipy.__version__, "terms": TERMS, "series": [], "runs": []}
cosines = [-0.99, -0.5, -0.1, 0.0, 0.05, 0.3, 0.7, 0.95, 0.999, 1.0]
for d in [8, 16, 32, 64]:
    b_of = series(d)
    out["series"].append({"d": d, "cos": cosines, "b": [repr(float(b_of(t))) for t in cosines]})
    for H, seed in {8: [(128, 0)], 16: [(64, 1)], 32: [(32, 2)]}.get(d, []):
        Q, K = heads(d, H, seed)
        b, a, info, err = published(d, Q, K, b_of)
        out["runs"].append({"d": d, "heads": H, "seed": seed, "cgInfo": int(info),
                            "q": [[repr(float(x)) for x in Q[:, h]] for h in range(H)],
                            "k": [[repr(float(x)) for x in K[:, h]] for h in range(H)],
                            "b16": [repr(float(x)) for x in b], "publishedError": repr(err)})
print(json.dumps(out, indent=None))
