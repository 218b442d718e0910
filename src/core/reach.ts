/**
 * How far a claim's checks reach at a budget: the declared reach (vocabulary's Reach) with our
 * numbers read from the run's own check records.
 */
import type { Budget, Nearness, Reach } from './vocabulary.js';

/** A reach row at one budget. */
export interface ReachRowStatus {
  quantity: string;
  paper: string;
  tested: string | null;
}

/** A paper number beside ours at one budget (ours null: not measured in this run). */
export interface PaperNumberStatus {
  label: string;
  paper: number;
  source: string;
  check: string;
  metric: string | null;
  ours: number | null;
  setting: Nearness | null;
}

/** The reach at `budget`, our numbers looked up by (check, metric) in this run's records. */
export function reachAt(
  reach: Reach,
  budget: Budget,
  metricOf: (check: string, metric: string) => number | null,
): { rows: ReachRowStatus[]; numbers: PaperNumberStatus[] } {
  return {
    rows: reach.rows.map((r) => ({ quantity: r.quantity, paper: r.paper, tested: r.tested(budget) })),
    numbers: reach.numbers.map((n) => {
      const at = n.ours(budget);
      const raw = at ? metricOf(n.check, at.metric) : null;
      const ours = raw === null || !Number.isFinite(raw) ? null : at?.transform ? at.transform(raw) : raw;
      return {
        label: n.label,
        paper: n.paper,
        source: n.source,
        check: n.check,
        metric: at?.metric ?? null,
        ours,
        setting: at?.setting ?? null,
      };
    }),
  };
}
