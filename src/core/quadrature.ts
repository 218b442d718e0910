/**
 * Globally adaptive Gauss–Legendre quadrature with an error estimate.
 *
 * Each panel [a, b] is integrated with an n-point Gauss–Legendre rule G(a, b) and with the same
 * rule on its halves, G(a, m) + G(m, b). The panel keeps the refined value and the estimate
 * |G(a, b) − G(a, m) − G(m, b)|. For an analytic integrand the refined value is more accurate
 * than the coarse one by a factor ≈ 2^(2n), so the estimate bounds the refined value's error
 * with a wide margin; the panel with the largest estimate is bisected until the total meets the
 * tolerance. Nodes and weights are computed once by Newton's method on P_n, so every constant
 * here is derived, not transcribed.
 */

export interface QuadratureResult {
  /** The integral's value. */
  value: number;
  /** Estimated absolute error (sum over panels; conservative for smooth integrands). */
  errorEstimate: number;
  /** Integrand evaluations used. */
  evaluations: number;
  /** Final number of panels. */
  panels: number;
}

export interface QuadratureOptions {
  /** Stop when errorEstimate ≤ max(absTol, relTol·|value|). */
  relTol?: number;
  absTol?: number;
  /** Hard cap on bisections; the result then carries its (larger) error estimate. */
  maxPanels?: number;
  /** Interior points where the integrand changes scale; panels start split there. */
  breakpoints?: readonly number[];
}

interface Rule {
  nodes: Float64Array;
  weights: Float64Array;
}

// A pure function of n: one entry per rule size in use (a handful: the panels' fixed orders).
const ruleCache = new Map<number, Rule>();

/** n ≥ 1; Gauss–Legendre nodes and weights on [−1, 1], accurate to a few ulps. */
export function gaussLegendre(n: number): Rule {
  const cached = ruleCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    // Tricomi's initial guess, then Newton on P_n via its three-term recurrence.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      // p1 = P_n(x), p0 = P_{n−1}(x) (also for n = 1, where the loop does not run).
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    weights[i] = w;
    nodes[n - 1 - i] = x;
    weights[n - 1 - i] = w;
  }
  const rule = { nodes, weights };
  ruleCache.set(n, rule);
  return rule;
}

const POINTS = 20;

function panelValue(f: (x: number) => number, a: number, b: number, rule: Rule): number {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  let s = 0;
  for (let i = 0; i < rule.nodes.length; i++) s += rule.weights[i] * f(mid + half * rule.nodes[i]);
  return s * half;
}

interface Panel {
  a: number;
  b: number;
  value: number;
  error: number;
}

/** Integrates f over [a, b] (finite, a < b) to the requested tolerance; see the module comment. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  options: QuadratureOptions = {},
): QuadratureResult {
  const relTol = options.relTol ?? 1e-13;
  const absTol = options.absTol ?? 0;
  const maxPanels = options.maxPanels ?? 4000;
  if (!(a < b) || !Number.isFinite(a) || !Number.isFinite(b))
    throw new RangeError(`integrate needs finite a < b (got ${a}, ${b})`);
  const rule = gaussLegendre(POINTS);
  let evaluations = 0;
  const make = (lo: number, hi: number): Panel => {
    const m = 0.5 * (lo + hi);
    const coarse = panelValue(f, lo, hi, rule);
    const fine = panelValue(f, lo, m, rule) + panelValue(f, m, hi, rule);
    evaluations += 3 * POINTS;
    return { a: lo, b: hi, value: fine, error: Math.abs(fine - coarse) };
  };
  const cuts = [a, ...(options.breakpoints ?? []).filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const panels: Panel[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1] > cuts[i]) panels.push(make(cuts[i], cuts[i + 1]));
  const total = () => {
    // Sum small panels first so rounding does not depend on the bisection order.
    const sorted = panels.map((p) => p.value).sort((x, y) => Math.abs(x) - Math.abs(y));
    let v = 0;
    for (const x of sorted) v += x;
    let e = 0;
    for (const p of panels) e += p.error;
    return { v, e };
  };
  let { v, e } = total();
  while (e > Math.max(absTol, relTol * Math.abs(v)) && panels.length < maxPanels) {
    let worst = 0;
    for (let i = 1; i < panels.length; i++) if (panels[i].error > panels[worst].error) worst = i;
    const p = panels[worst];
    const m = 0.5 * (p.a + p.b);
    if (!(m > p.a && m < p.b)) break; // cannot bisect further in float64
    panels.splice(worst, 1, make(p.a, m), make(m, p.b));
    ({ v, e } = total());
  }
  // Rounding in the panel sums is a floor on the attainable accuracy; include it honestly.
  const rounding = 64 * Number.EPSILON * panels.reduce((s, p) => s + Math.abs(p.value), 0);
  return { value: v, errorEstimate: e + rounding, evaluations, panels: panels.length };
}
