/**
 * Hierarchical log-linear models for k-list capture–recapture (Fienberg 1972; Cormack 1989).
 *
 * The 2^k − 1 observed cells are fitted by a Poisson GLM with an intercept, one main effect per list
 * and a chosen set of two-way interactions. Extrapolating the fit to the unobserved history (all
 * zeros, where every covariate is 0) gives n0 = exp(β0), so N = n_obs + n0. The SE follows Rcapture:
 * sqrt(n0 + n0²·Var(β0)), the first term for the Poisson noise of the missing cell and the second for
 * the uncertainty of its expectation.
 */
import { type CaptureHistories, countsByMask } from "./histories.js";
import { fitPoisson, type PoissonFit } from "./poisson.js";
import { profileInterval } from "./profile.js";
import { Z95 } from "./special.js";

/** A two-way interaction between lists i < j (0-based). */
export type Pair = readonly [number, number];

export interface LogLinearModel {
  k: number;
  pairs: Pair[];
}

export type FitStatus = "ok" | "infinite" | "boundary" | "unidentifiable";

export interface LogLinearFit {
  model: LogLinearModel;
  name: string;
  terms: string[];
  status: FitStatus;
  observed: number;
  /** Expected count of the unobserved history; Infinity when the MLE runs off to infinity. */
  n0: number;
  estimate: number | null;
  se: number | null;
  deviance: number | null;
  df: number;
  aic: number | null;
  bic: number | null;
  /** Number of parameters (intercept included). */
  parameters: number;
  /** Wald interval N ± 1.96·SE: symmetric, may fall below n_obs; kept for comparison only. */
  wald95: [number, number] | null;
  /** Profile-likelihood interval, filled in by {@link withProfileInterval}. */
  profile95: [number, number | null] | null;
  beta0Variance: number | null;
}

export function allPairs(k: number): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) out.push([i, j]);
  return out;
}

/** Rows are the histories `masks`; columns: intercept, k main effects, then the pairs. */
export function designMatrix(model: LogLinearModel, masks: number[]): { x: Float64Array; p: number } {
  const p = 1 + model.k + model.pairs.length;
  const x = new Float64Array(masks.length * p);
  masks.forEach((mask, r) => {
    const row = r * p;
    x[row] = 1;
    for (let i = 0; i < model.k; i++) x[row + 1 + i] = mask & (1 << i) ? 1 : 0;
    model.pairs.forEach(([i, j], t) => {
      x[row + 1 + model.k + t] = mask & (1 << i) && mask & (1 << j) ? 1 : 0;
    });
  });
  return { x, p };
}

/** Darroch-style name from the generating class, 1-based: independence of 3 lists is [1][2][3]. */
export function modelName(model: LogLinearModel): string {
  const parts: string[] = model.pairs.map(([i, j]) => `[${i + 1}${j + 1}]`);
  for (let i = 0; i < model.k; i++) {
    if (!model.pairs.some(([a, b]) => a === i || b === i)) parts.push(`[${i + 1}]`);
  }
  return parts.sort().join("");
}

export function modelTerms(model: LogLinearModel, lists: string[]): string[] {
  const name = (i: number) => lists[i] ?? String(i + 1);
  return [
    ...Array.from({ length: model.k }, (_, i) => name(i)),
    ...model.pairs.map(([i, j]) => `${name(i)}:${name(j)}`),
  ];
}

const OBSERVED_MASKS = new Map<number, number[]>();
function observedMasks(k: number): number[] {
  let m = OBSERVED_MASKS.get(k);
  if (!m) {
    m = Array.from({ length: (1 << k) - 1 }, (_, i) => i + 1);
    OBSERVED_MASKS.set(k, m);
  }
  return m;
}

/** Beyond this many times the observed count, a fitted n0 is read as "no finite estimate". */
const INFINITE_RATIO = 1e7;

export function fitLogLinear(h: CaptureHistories, model: LogLinearModel): LogLinearFit {
  const counts = countsByMask(h);
  const k = h.lists.length;
  if (model.k !== k) throw new RangeError(`model is for ${model.k} lists, histories have ${k}`);
  const masks = observedMasks(k);
  const y = Float64Array.from(masks, (m) => counts[m] as number);
  const observed = y.reduce((a, b) => a + b, 0);
  const { x, p } = designMatrix(model, masks);
  const df = masks.length - p;
  const base: LogLinearFit = {
    model,
    name: modelName(model),
    terms: modelTerms(model, h.lists),
    status: "ok",
    observed,
    n0: Number.NaN,
    estimate: null,
    se: null,
    deviance: null,
    df,
    aic: null,
    bic: null,
    parameters: p,
    wald95: null,
    profile95: null,
    beta0Variance: null,
  };
  if (df < 0 || observed === 0) return { ...base, status: "unidentifiable" };
  const fit = fitPoisson(x, masks.length, p, y);
  if (fit.status === "rank_deficient") return { ...base, status: "unidentifiable" };
  const beta0 = fit.beta[0] as number;
  const n0 = Math.exp(beta0);
  const withStats = {
    ...base,
    deviance: clean(fit.deviance),
    aic: -2 * fit.logLik + 2 * p,
    bic: -2 * fit.logLik + p * Math.log(observed),
  };
  // When IRLS does not settle, some coefficient is running off to ±∞ (a zero count the model cannot
  // fit otherwise). What matters for N is whether β0 is among them, and in which direction.
  const step0 = fit.status === "diverged" ? (fit.lastStep[0] as number) : 0;
  const beta0Runs = Math.abs(step0) > 1e-4 * (1 + Math.abs(beta0));
  if (!Number.isFinite(n0) || n0 > INFINITE_RATIO * observed || (beta0Runs && step0 > 0)) {
    return { ...withStats, status: "infinite", n0: Number.POSITIVE_INFINITY };
  }
  if (beta0Runs && step0 < 0) {
    // The fit puts nobody in the missing cell: the estimate sits on its boundary, N = n_obs.
    return { ...withStats, status: "boundary", n0: 0, estimate: observed, se: 0 };
  }
  const v0 = fit.cov[0] as number;
  const se = Math.sqrt(n0 + n0 * n0 * v0);
  const estimate = observed + n0;
  return {
    ...withStats,
    n0,
    estimate,
    se,
    beta0Variance: v0,
    wald95: [estimate - Z95 * se, estimate + Z95 * se],
  };
}

/** Deviance of a saturated fit is zero up to rounding; show it as zero. */
function clean(d: number): number {
  return Math.abs(d) < 1e-9 ? 0 : d;
}

/** Adds the 95 % profile-likelihood interval for N (only for fits with a finite estimate). */
export function withProfileInterval(h: CaptureHistories, fit: LogLinearFit): LogLinearFit {
  if (fit.status !== "ok" && fit.status !== "boundary") return fit;
  const counts = countsByMask(h);
  return { ...fit, profile95: profileInterval(counts, fit.model, fit.n0) };
}

export type { PoissonFit };
