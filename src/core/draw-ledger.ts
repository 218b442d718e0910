/**
 * What a unit of work drew, as a digest cheap enough to leave on: every random stream created
 * while the unit ran (its key and its final position), every chunk of work a worker thread did for
 * it (that chunk's own digest, in chunk order, so the digest does not depend on the worker count),
 * every cached result it reused (the digest of the unit that computed it) and any generated inputs
 * noted as text (fast-check's cases). Two runs whose digests agree drew the same random words in
 * the same streams and reused the same results, so every number they computed must agree.
 *
 * One limit: a digest cannot see how a stream's words are used, only how many were drawn from it;
 * code that consumes the same words in another order gives the same digest and different numbers,
 * and compare then reports "same inputs, different result", a false alarm on the cautious side.
 * The ledger is per thread; units and chunks run one at a time on a thread, so a module-level
 * "current ledger" is enough.
 */

import { fmix32 } from './hash.js';

/** A stream as the ledger sees it: four key words and four state words. */
export interface LedgerStream {
  fingerprintWords(): ArrayLike<number>;
}

type Entry =
  | { kind: 'stream'; stream: LedgerStream }
  | { kind: 'words'; words: readonly number[] }
  | { kind: 'ledger'; ledger: DrawLedger };

/** 32-bit words of a text (its UTF-16 code units, two per word). */
function textWords(text: string): number[] {
  const out = [text.length];
  for (let i = 0; i < text.length; i += 2) out.push((text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) || 0));
  return out;
}

/** The draws of one unit (or one chunk of it). */
export class DrawLedger {
  private readonly entries: Entry[] = [];
  private closedDigest: [number, number] | null = null;
  /** Units whose cached results this work reused, in order of first reuse. */
  readonly reused: string[] = [];

  /** `unit`: the unit this ledger records (a chunk's ledger records for the unit that ran the chunk). */
  constructor(readonly unit: string | null = null) {}

  addStream(stream: LedgerStream): void {
    this.entries.push({ kind: 'stream', stream });
  }

  addWords(words: ArrayLike<number>): void {
    this.entries.push({ kind: 'words', words: Array.from(words) });
  }

  addText(text: string): void {
    this.entries.push({ kind: 'words', words: textWords(text) });
  }

  /** A closed ledger whose work this one reused (open ones are this unit's own, already counted). */
  addLedger(ledger: DrawLedger): void {
    if (ledger === this || !ledger.closed) return;
    this.entries.push({ kind: 'ledger', ledger });
    if (ledger.unit !== null && ledger.unit !== this.unit && !this.reused.includes(ledger.unit))
      this.reused.push(ledger.unit);
  }

  get closed(): boolean {
    return this.closedDigest !== null;
  }

  /** Fixes the digest: streams are read at their final positions. */
  close(): void {
    this.closedDigest ??= this.words();
  }

  /** Two 32-bit lanes over every entry in order. */
  words(): [number, number] {
    if (this.closedDigest) return this.closedDigest;
    let a = 0x9e3779b9;
    let b = 0x7f4a7c15;
    const mix = (w: number) => {
      a = fmix32((a ^ (w >>> 0)) + 0x632be5ab);
      b = fmix32((b + Math.imul(w >>> 0, 0x01000193)) ^ a);
    };
    for (const e of this.entries) {
      mix(e.kind === 'stream' ? 1 : e.kind === 'words' ? 2 : 3);
      const words = e.kind === 'stream' ? e.stream.fingerprintWords() : e.kind === 'words' ? e.words : e.ledger.words();
      mix(words.length);
      for (let i = 0; i < words.length; i++) mix(words[i]);
    }
    return [a, b];
  }

  /** The digest as 16 hex digits. */
  digest(): string {
    return this.words()
      .map((w) => w.toString(16).padStart(8, '0'))
      .join('');
  }
}

let current: DrawLedger | null = null;

/** The ledger of the work running on this thread, or null when nothing is being recorded. */
export function currentLedger(): DrawLedger | null {
  return current;
}

/**
 * Runs `work` with a fresh ledger as the current one; returns its result and the closed ledger.
 * `unit` names what it records (default: the enclosing ledger's unit, for chunks of a unit).
 */
export async function withLedger<T>(
  work: () => T | Promise<T>,
  unit: string | null = current?.unit ?? null,
): Promise<{ value: T; ledger: DrawLedger }> {
  const outer = current;
  const ledger = new DrawLedger(unit);
  current = ledger;
  try {
    const value = await work();
    ledger.close();
    return { value, ledger };
  } finally {
    current = outer;
  }
}

/**
 * Runs synchronous `work` with no current ledger: for callbacks that the event loop may run while a
 * unit awaits (another lane's results), whose work belongs to no unit.
 */
export function outsideLedger<T>(work: () => T): T {
  const outer = current;
  current = null;
  try {
    return work();
  } finally {
    current = outer;
  }
}
