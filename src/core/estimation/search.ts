/**
 * Which hierarchical models to fit. Every model has all main effects; they differ in their two-way
 * interactions. Up to `maxExhaustivePairs` possible pairs (default 10, i.e. up to five lists: 1,024
 * models) every subset is fitted. Beyond that (six lists: 15 pairs, 32,768 subsets) a stepwise search
 * by AIC starts from independence, adds or drops one pair at a time while AIC improves, and reports
 * every model it visited. Three-way and higher terms are not searched.
 */
import type { CaptureHistories } from "./histories.js";
import { allPairs, fitLogLinear, type LogLinearFit } from "./loglinear.js";

export interface SearchOptions {
  maxExhaustivePairs?: number;
}

export interface SearchResult {
  fits: LogLinearFit[];
  search: "exhaustive" | "stepwise";
}

export function searchModels(h: CaptureHistories, options: SearchOptions = {}): SearchResult {
  const k = h.lists.length;
  const pairs = allPairs(k);
  const cap = options.maxExhaustivePairs ?? 10;
  const fitSubset = (subset: number): LogLinearFit =>
    fitLogLinear(h, { k, pairs: pairs.filter((_, i) => subset & (1 << i)) });
  if (pairs.length <= cap) {
    const fits: LogLinearFit[] = [];
    for (let s = 0; s < 1 << pairs.length; s++) fits.push(fitSubset(s));
    return { fits, search: "exhaustive" };
  }
  const seen = new Map<number, LogLinearFit>();
  const get = (s: number): LogLinearFit => {
    let f = seen.get(s);
    if (!f) {
      f = fitSubset(s);
      seen.set(s, f);
    }
    return f;
  };
  let current = 0;
  for (;;) {
    let best = current;
    let bestAic = score(get(current));
    for (let i = 0; i < pairs.length; i++) {
      const next = current ^ (1 << i);
      const a = score(get(next));
      if (a < bestAic - 1e-9) {
        best = next;
        bestAic = a;
      }
    }
    if (best === current) break;
    current = best;
  }
  return { fits: [...seen.values()], search: "stepwise" };
}

/** AIC of a usable fit; models without a finite estimate never win. */
export function score(f: LogLinearFit): number {
  return (f.status === "ok" || f.status === "boundary") && f.aic !== null ? f.aic : Number.POSITIVE_INFINITY;
}
