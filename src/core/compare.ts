/**
 * Comparison: a claimed figure set beside what the ledger documents in the same scope, and which sources'
 * figures agree with each other.
 */
import type { Range } from "./quantity.js";

export interface Ratio {
  /** Claim over the documented high end: the smallest the ratio can be. */
  low: number | null;
  /** Claim over the documented low end: the largest it can be. */
  high: number | null;
  /** "less than a sixth", "about the same", "more than 3 times", … */
  words: string;
}

const ORDINALS = [
  "",
  "",
  "half",
  "third",
  "quarter",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];

/**
 * How a claimed figure stands to a documented range. The claim's low end is used: an "over N" claim asserts N.
 * The wording never claims more precision than the range allows: it is true at both ends of the range.
 */
export function claimRatio(claimed: number, documented: Range): Ratio {
  const dLow = documented.low;
  const dHigh = documented.high;
  const low = dHigh === null ? 0 : dHigh > 0 ? claimed / dHigh : null;
  const high = dLow > 0 ? claimed / dLow : null;
  return { low, high, words: ratioWords(low, high) };
}

export function ratioWords(low: number | null, high: number | null): string {
  if (high === null && low === null) return "nothing documented to compare";
  if (high === null) return "nothing documented at the low end";
  const lo = low ?? 0;
  if (lo >= 0.95 && high <= 1.05) return "about the same";
  if (high < 1) {
    // The largest n for which the ratio is below 1/n at its high end.
    for (let n = 10; n >= 2; n--) if (high < 1 / n) return `less than a ${ORDINALS[n]}`;
    return "less than the documented count";
  }
  if (lo > 1) {
    const times = Math.floor(lo);
    if (times >= 2) return `more than ${times} times the documented count`;
    return "more than the documented count";
  }
  return "within the documented range";
}

export interface ClaimFigure {
  id: number;
  sourceId: number;
  metric: string;
  /** Scope key: claims are compared only within the same metric, place and context. */
  scope: string;
  asOf: string | null;
  low: number;
  high: number | null;
}

/** Figures agree when their ranges overlap or they lie within 5 % of each other. */
export function figuresAgree(
  a: { low: number; high: number | null },
  b: { low: number; high: number | null },
) {
  const aHigh = a.high ?? Number.POSITIVE_INFINITY;
  const bHigh = b.high ?? Number.POSITIVE_INFINITY;
  if (a.low <= bHigh && b.low <= aHigh) return true;
  const gap = a.low > bHigh ? a.low - bHigh : b.low - aHigh;
  const scale = Math.max(a.low, b.low);
  return scale > 0 && gap / scale <= 0.05;
}

const DAY = 86_400_000;

/**
 * Pairs of sources that corroborate each other: some claim of one agrees with a claim of the other in the same
 * scope, made within `windowDays` of each other (figures standing at different dates are not comparable).
 */
export function corroborations(claims: readonly ClaimFigure[], windowDays = 7): Map<number, Set<number>> {
  const byScope = new Map<string, ClaimFigure[]>();
  for (const c of claims) {
    const list = byScope.get(c.scope);
    if (list) list.push(c);
    else byScope.set(c.scope, [c]);
  }
  const out = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    const s = out.get(a) ?? new Set<number>();
    s.add(b);
    out.set(a, s);
  };
  for (const list of byScope.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as ClaimFigure;
        const b = list[j] as ClaimFigure;
        if (a.sourceId === b.sourceId) continue;
        const near =
          a.asOf === null || b.asOf === null
            ? a.asOf === b.asOf
            : Math.abs(Date.parse(a.asOf) - Date.parse(b.asOf)) <= windowDays * DAY;
        if (near && figuresAgree(a, b)) {
          link(a.sourceId, b.sourceId);
          link(b.sourceId, a.sourceId);
        }
      }
    }
  }
  return out;
}
