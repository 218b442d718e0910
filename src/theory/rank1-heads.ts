/**
 * Rank-1 heads as data: H pairs of unit vectors (q_h, k_h) in R^d, stored row-major, with the
 * checks every consumer of them shares.
 */

export interface Rank1Heads {
  d: number;
  count: number;
  /** count×d, row-major; rows are unit vectors. */
  q: Float64Array;
  /** count×d, row-major; rows are unit vectors. */
  k: Float64Array;
}

/**
 * d ≥ 1; qs[h], ks[h] ∈ R^d for each head (any nonzero length); returns the heads with every
 * vector scaled to unit length.
 */
export function normaliseHeads(d: number, qs: ArrayLike<number>[], ks: ArrayLike<number>[]): Rank1Heads {
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`d must be a positive integer (got ${d})`);
  if (qs.length !== ks.length) throw new RangeError(`got ${qs.length} query vectors but ${ks.length} key vectors`);
  if (qs.length === 0) throw new RangeError('at least one head is needed');
  const count = qs.length;
  const q = new Float64Array(count * d);
  const k = new Float64Array(count * d);
  for (let h = 0; h < count; h++) {
    normaliseInto(qs[h], d, q, h * d, `head ${h}: q`);
    normaliseInto(ks[h], d, k, h * d, `head ${h}: k`);
  }
  return { d, count, q, k };
}

/** Writes x/‖x‖ into out[offset .. offset+d); `what` names the vector in error messages. */
function normaliseInto(x: ArrayLike<number>, d: number, out: Float64Array, offset: number, what: string): void {
  if (x.length !== d) throw new RangeError(`${what} has length ${x.length}, expected d = ${d}`);
  let max = 0;
  for (let i = 0; i < d; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}] is not finite (${v})`);
    max = Math.max(max, Math.abs(v));
  }
  if (max === 0) throw new RangeError(`${what} is the zero vector`);
  // Dividing by the largest entry first keeps Σx² from overflowing (1e200) or underflowing (1e-200).
  let s = 0;
  for (let i = 0; i < d; i++) {
    const v = x[i] / max;
    s += v * v;
  }
  const root = Math.sqrt(s);
  for (let i = 0; i < d; i++) out[offset + i] = x[i] / max / root;
}

/** 1 ≤ count ≤ heads.count; the first `count` heads, sharing the caller's storage. */
export function prefixHeads(heads: Rank1Heads, count: number): Rank1Heads {
  checkHeads(heads);
  if (!(Number.isInteger(count) && count >= 1 && count <= heads.count)) {
    throw new RangeError(`prefix length must be an integer in [1, ${heads.count}] (got ${count})`);
  }
  const n = count * heads.d;
  return { d: heads.d, count, q: heads.q.subarray(0, n), k: heads.k.subarray(0, n) };
}

/** Throws a RangeError unless `heads` is well formed (positive d and count, enough entries). */
export function checkHeads(heads: Rank1Heads): void {
  const { d, count, q, k } = heads;
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`heads.d must be a positive integer (got ${d})`);
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`heads.count must be a positive integer (got ${count})`);
  if (q.length < count * d || k.length < count * d)
    throw new RangeError(`heads.q and heads.k need count·d = ${count * d} entries`);
}

/** Throws a RangeError unless v has n finite entries; `what` names it. */
export function checkVector(v: ArrayLike<number>, n: number, what: string): void {
  if (v.length !== n) throw new RangeError(`${what} has length ${v.length}, expected H = ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(v[i])) throw new RangeError(`${what}[${i}] is not finite (${v[i]})`);
}

/** Heads as a script may hold them: count×d row-major q and k of any nonzero length. */
export interface RawHeads {
  d: number;
  count: number;
  q: Float64Array;
  k: Float64Array;
}

/** The heads' directions: each q and k scaled to unit length (what hardmax heads compute with). */
export function unitHeads(raw: RawHeads): Rank1Heads {
  const rows = (m: Float64Array) => Array.from({ length: raw.count }, (_, h) => m.subarray(h * raw.d, (h + 1) * raw.d));
  return normaliseHeads(raw.d, rows(raw.q), rows(raw.k));
}
