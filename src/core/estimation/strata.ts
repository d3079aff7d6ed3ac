/**
 * Stratified estimation: capture probabilities are more even within a place or period than across
 * them, so each stratum gets its own model and the totals are added up. Strata are disjoint sets of
 * people, so their estimates are independent and the variances add as well.
 */
import { type EstimateOptions, type EstimateResult, estimate, type ModelJson, toJson } from "./estimate.js";
import type { CaptureHistories } from "./histories.js";
import { logNormalInterval } from "./twoList.js";

export interface StratumInput {
  stratum: string;
  histories: CaptureHistories;
}

export interface StratumResult {
  stratum: string;
  result: EstimateResult;
}

export interface StrataTotal {
  observed: number;
  /** Sum of the selected estimates; null when some stratum has no finite estimate. */
  estimate: number | null;
  /** sqrt of the summed variances. */
  se: number | null;
  /**
   * Log-normal interval (Chao 1987) built from the summed estimate and variance; the per-stratum
   * profile intervals cannot be added, so this is an approximation, stated as such in the docs.
   */
  ci95: [number | null, number | null];
  /** Strata without a finite estimate, which make the total undefined. */
  missing: string[];
}

export interface StrataResult {
  strata: StratumResult[];
  total: StrataTotal;
}

export function estimateStrata(strata: StratumInput[], options: EstimateOptions = {}): StrataResult {
  const seen = new Set<string>();
  for (const s of strata) {
    if (seen.has(s.stratum)) throw new RangeError(`stratum "${s.stratum}" is given twice`);
    seen.add(s.stratum);
  }
  const results = strata.map((s) => ({ stratum: s.stratum, result: estimate(s.histories, options) }));
  return {
    strata: results,
    total: addStrata(results.map((r) => ({ stratum: r.stratum, result: r.result }))),
  };
}

export function addStrata(results: StratumResult[]): StrataTotal {
  let observed = 0;
  let est = 0;
  let variance = 0;
  const missing: string[] = [];
  for (const { stratum, result } of results) {
    observed += result.observed;
    const sel = result.selected;
    if (result.observed === 0) continue; // an empty stratum adds nothing known to be missing
    if (!sel || sel.estimate === null || sel.se === null) {
      missing.push(stratum);
      continue;
    }
    est += sel.estimate;
    variance += sel.se * sel.se;
  }
  if (missing.length > 0) return { observed, estimate: null, se: null, ci95: [null, null], missing };
  return {
    observed,
    estimate: est,
    se: Math.sqrt(variance),
    ci95: logNormalInterval(est, variance, observed),
    missing,
  };
}

export interface StrataJson {
  strata: Array<{ stratum: string } & ReturnType<typeof toJson>>;
  total: Omit<StrataTotal, "missing"> & { missing: string[] };
}

export function strataToJson(r: StrataResult): StrataJson {
  return { strata: r.strata.map((s) => ({ stratum: s.stratum, ...toJson(s.result) })), total: r.total };
}

export type { ModelJson };
