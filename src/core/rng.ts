/**
 * Seeded, splittable random streams.
 *
 * A stream is named by a 128-bit key; `split(i)` derives the key of child stream `i` by hashing
 * the parent's key with `i`, without touching the parent's state. Work that is cut into chunks
 * therefore draws chunk `j` from `root.split(j)` wherever it runs (main thread or a worker), and
 * the result does not depend on how chunks were scheduled.
 *
 * The generator is xoshiro128** (Blackman & Vigna), written here rather than taken from a
 * package because splitting must be O(1) by key derivation and doubles must cost a few ns:
 * jump-based splitting (as in pure-rand) is O(i) in the stream index.
 */

import { currentLedger } from './draw-ledger.js';
import { fmix32 } from './hash.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Hashes a list of uint32 words into four uint32 lanes (a 128-bit key). */
function hashWords(words: readonly number[]): Uint32Array {
  const out = new Uint32Array(4);
  for (let lane = 0; lane < 4; lane++) {
    let h = fmix32(Math.imul(lane + 1, 0x9e3779b9) ^ words.length);
    for (const w of words) {
      h = fmix32((h ^ fmix32((w >>> 0) + Math.imul(lane, 0x632be5ab))) + 0x7f4a7c15);
    }
    out[lane] = h;
  }
  // xoshiro's state must not be all zero.
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 0x9e3779b9;
  return out;
}

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000; 128 layers, Doornik's
// variant that draws the layer index and the abscissa from disjoint random bits).
const ZIG_LAYERS = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
{
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f;
  ZIG_X[1] = ZIG_R;
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}

/** A deterministic stream of random numbers; not safe to share between concurrent users. */
export class Rng {
  /** The 128-bit key this stream was created from (its identity, not its position). */
  readonly key: Uint32Array;
  /** xoshiro's state; an Int32Array keeps the words unboxed (object fields would hold doubles). */
  private readonly s: Int32Array;
  /**
   * What has been asked of the stream, for the draw ledger: runs of calls of one kind (uniform
   * words, doubles, normals, ...), each run folded into `mark` when the kind changes, so that the
   * same words drawn through other calls or in another order leave another fingerprint.
   */
  private mark = 0;
  private lastKind = 0;
  private runLength = 0;

  private constructor(key: Uint32Array) {
    this.key = key;
    this.s = Int32Array.from(key);
    currentLedger()?.addStream(this);
  }

  /** Key, state and call-sequence words: which stream this is and what has been drawn from it (for the draw ledger). */
  fingerprintWords(): number[] {
    return [...this.key, ...this.s, this.mark, this.lastKind, this.runLength];
  }

  /** Counts a call of `kind`; `size` (a bound or a count) is folded in when it says more than the kind. */
  private note(kind: number, size = 0): void {
    if (kind !== this.lastKind || size !== 0) {
      this.mark = fmix32(
        (this.mark ^ Math.imul(this.lastKind + 1, 0x9e3779b9)) + this.runLength + Math.imul(size, 0x632be5ab),
      );
      this.lastKind = kind;
      this.runLength = 0;
    }
    this.runLength++;
  }

  /** seed: a non-negative safe integer (0 ≤ seed < 2^53); the root stream of everything. */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer (got ${seed})`);
    }
    const lo = seed % TWO_POW_32;
    const hi = Math.floor(seed / TWO_POW_32);
    return new Rng(hashWords([0x5eed, lo, hi]));
  }

  /** Recreates a stream from its key, e.g. one sent to a worker thread. */
  static fromKey(key: ArrayLike<number>): Rng {
    if (key.length !== 4) throw new RangeError('an Rng key has 4 uint32 words');
    return new Rng(Uint32Array.from(key));
  }

  /** Child stream number `index` (0 ≤ index < 2^32); independent of how much this stream was used. */
  split(index: number): Rng {
    if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) {
      throw new RangeError(`split index must be an integer in [0, 2^32) (got ${index})`);
    }
    const k = this.key;
    return new Rng(hashWords([k[0], k[1], k[2], k[3], index]));
  }

  /** Child stream named by a label, for readable stream trees ("mc", "init", ...). */
  splitNamed(label: string): Rng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    const k = this.key;
    return new Rng(hashWords([k[0], k[1], k[2], k[3], 0xffffffff, h >>> 0, label.length]));
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.note(1);
    return this.step();
  }

  /** One xoshiro128** step: the next 32-bit word. */
  private step(): number {
    const s = this.s;
    const s1 = s[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    this.note(2);
    return this.double();
  }

  private double(): number {
    const hi = this.step() >>> 5; // 27 bits
    const lo = this.step() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform double in (0, 1): never 0, so its logarithm is finite. */
  nextOpenDouble(): number {
    this.note(3);
    return this.openDouble();
  }

  private openDouble(): number {
    return (Math.floor(this.double() * TWO_POW_53) + 0.5) / TWO_POW_53;
  }

  /** Uniform integer in [0, n), n ≤ 2^32, without modulo bias (rejection). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new RangeError(`nextInt bound ${n}`);
    this.note(4, n);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.step();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal N(0, 1) by the ziggurat method. */
  normal(): number {
    this.note(5);
    const a = this.step();
    const b = this.step();
    const i = a & 0x7f;
    const u = zigAbscissa(a, b);
    return Math.abs(u) < ZIG_RATIO[i] ? u * ZIG_X[i] : this.normalSlow(i, u);
  }

  /**
   * Fills out[offset .. offset+n) with independent standard normals: the same numbers n calls
   * of normal() would give, with the generator's state held in locals on the fast path (≈ 99%).
   */
  fillNormal(out: Float64Array, offset: number, n: number): void {
    this.note(6, n);
    const st = this.s;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let j = 0; j < n; j++) {
      // Two xoshiro128** steps, as in nextUint32.
      let x = Math.imul(s1, 5);
      const a = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      x = Math.imul(s1, 5);
      const b = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const i = a & 0x7f;
      const u = zigAbscissa(a, b);
      if (Math.abs(u) < ZIG_RATIO[i]) {
        out[offset + j] = u * ZIG_X[i];
        continue;
      }
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
      out[offset + j] = this.normalSlow(i, u);
      s0 = st[0];
      s1 = st[1];
      s2 = st[2];
      s3 = st[3];
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  /** Finishes a ziggurat draw that fell outside layer i's rectangle: tail, wedge, or a fresh try. */
  private normalSlow(i: number, u: number): number {
    for (;;) {
      if (i === 0) return this.normalTail(u < 0);
      const x = u * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + this.double() * (f0 - f1) < 1) return x;
      const a = this.step();
      const b = this.step();
      i = a & 0x7f;
      u = zigAbscissa(a, b);
      if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
    }
  }

  /** Marsaglia's exact sampler for the normal tail beyond ZIG_R. */
  private normalTail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = Math.log(this.openDouble()) / ZIG_R;
      y = Math.log(this.openDouble());
    } while (-2 * y < x * x);
    return negative ? x - ZIG_R : ZIG_R - x;
  }
}

/** Uniform in (−1, 1) from bits 11..31 of a and all of b (53 bits), disjoint from the layer bits 0..6. */
function zigAbscissa(a: number, b: number): number {
  return 2 * (((a >>> 11) * TWO_POW_32 + b + 0.5) / TWO_POW_53) - 1;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
