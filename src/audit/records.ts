/**
 * What an audit records for each unit it runs: a check's result, a sentinel's, a figure's data.
 * These are the entries of report.json (src/report/schema.ts validates them) and what resume,
 * shards, merge and the stability audit read back.
 */
import type { CheckKind, Discrepancy, FigureBody, Verdict } from '../core/vocabulary.js';

export interface Replay {
  /** The seed the check ran with (fast-check's seed for properties). */
  seed: number;
  /** fast-check's shrink path of the reported counterexample, when there is one. */
  path: string | null;
}

/**
 * What ran a unit: the float64 evaluator's label and the tfjs backend loaded in the process when
 * the unit finished (null: tfjs never loaded). Reports and stability files name their backends
 * from these, so report/ reads no global; absent in records written before units carried it.
 */
export interface RanOn {
  evaluator: string;
  tfjs: string | null;
  /** 'fused' once training has run with the fused trainer (absent: tfjs, the reference, or no training). */
  trainer?: 'fused';
}

export interface CheckRecord {
  name: string;
  kind: CheckKind;
  verdict: Verdict;
  /** One sentence a reader understands: what was checked and what came out. */
  summary: string;
  metrics: Record<string, number | null>;
  /** Relative tolerances of exact metrics, used by `compare`. */
  tolerances: Record<string, number>;
  ci: [number, number] | null;
  level: number | null;
  /** How close the statistic came to flipping the verdict (the check documents the unit); null if it has none. */
  margin: number | null;
  witnesses: unknown[];
  /** A 'discrepancy' check's findings (empty for every other kind). */
  discrepancies: Discrepancy[];
  replay: Replay;
  durationMs: number;
  ranOn?: RanOn;
  /** Digest of what the unit drew (core/draw-ledger.ts); absent in records written before units carried it. */
  fingerprint?: string;
  /** Units whose cached results (trained models, measured series) this one reused: one piece of evidence, not two. */
  reused?: string[];
}

export interface SentinelRecord {
  claim: string;
  sentinel: string;
  description: string;
  check: string;
  /** A sentinel is caught when its check returns "violated" on it. */
  caught: boolean;
  verdict: Verdict;
  witness: unknown;
  replay: Replay;
  durationMs: number;
  ranOn?: RanOn;
  /** Digest of what the unit drew (core/draw-ledger.ts); absent in records written before units carried it. */
  fingerprint?: string;
  /** Units whose cached results (trained models, measured series) this one reused: one piece of evidence, not two. */
  reused?: string[];
}

export interface FigureRecord extends FigureBody {
  id: string;
  title: string;
  caption: string;
  /** See FigureDef.discrepancy. */
  discrepancy?: boolean;
  durationMs: number;
  ranOn?: RanOn;
  /** Digest of what the unit drew (core/draw-ledger.ts); absent in records written before units carried it. */
  fingerprint?: string;
  /** Units whose cached results (trained models, measured series) this one reused: one piece of evidence, not two. */
  reused?: string[];
}

export type UnitResult =
  | { id: string; kind: 'check'; claim: string; check: CheckRecord }
  | { id: string; kind: 'sentinel'; claim: string; sentinel: SentinelRecord }
  | { id: string; kind: 'figure'; claim: string; figure: FigureRecord };
