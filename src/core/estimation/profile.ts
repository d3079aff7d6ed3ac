/**
 * Profile-likelihood interval for N (Cormack 1992), as Rcapture computes it.
 *
 * For a trial number n0 of unobserved people, the complete 2^k table (the missing cell filled with n0)
 * is fitted by the same log-linear model; with an intercept the fitted means sum to N = n_obs + n0,
 * so p_h = μ_h / N are the multinomial cell probabilities. The multinomial log-likelihood
 *   ℓ(N) = log N! − log n0! + Σ_h n_h log p_h + n0 log p_0        (constant terms dropped)
 * is then profiled over n0 (continuous, through log Γ), and the interval is every N whose ℓ lies
 * within χ²₁(0.95)/2 of the maximum. Unlike the Wald interval it is asymmetric and never falls below
 * n_obs.
 */
import { designMatrix, type LogLinearModel } from "./loglinear.js";
import { fitPoisson } from "./poisson.js";
import { CHISQ1_95, logGamma, ylogmu } from "./special.js";

/** Above this many unobserved people per observed one, the upper limit is reported as unbounded. */
const UPPER_CAP_RATIO = 1e5;

export function profileLogLik(counts: Float64Array, model: LogLinearModel): (n0: number) => number {
  const size = 1 << model.k;
  const masks = Array.from({ length: size }, (_, i) => i);
  const { x, p } = designMatrix(model, masks);
  let nObs = 0;
  for (let m = 1; m < size; m++) nObs += counts[m] as number;
  const y = new Float64Array(size);
  for (let m = 1; m < size; m++) y[m] = counts[m] as number;
  let warm: Float64Array | undefined;
  return (n0: number) => {
    y[0] = n0;
    const fit = fitPoisson(x, size, p, y, warm);
    // A warm start can go astray after a large jump in n0; refit cold rather than trust it.
    const good = fit.status === "converged" ? fit : fitPoisson(x, size, p, y);
    if (good.status === "converged") warm = good.beta;
    const total = nObs + n0;
    if (good.status !== "converged" || !Number.isFinite(total)) return Number.NEGATIVE_INFINITY;
    let l = logGamma(total + 1) - logGamma(n0 + 1);
    for (let m = 0; m < size; m++) l += ylogmu(y[m] as number, (good.mu[m] as number) / total);
    // A fit that failed numerically counts as unsupported rather than poisoning the search.
    return Number.isFinite(l) ? l : Number.NEGATIVE_INFINITY;
  };
}

/**
 * 95 % profile interval for N. `n0hat` (the Poisson estimate) seeds the search for the maximum.
 * The upper limit is null when the likelihood stays within the cut-off however large N grows.
 */
export function profileInterval(
  counts: Float64Array,
  model: LogLinearModel,
  n0hat: number,
): [number, number | null] {
  let nObs = 0;
  for (let m = 1; m < counts.length; m++) nObs += counts[m] as number;
  const ell = profileLogLik(counts, model);
  // Search on t = log(1 + n0): the likelihood is far closer to quadratic there.
  const g = (t: number) => ell(Math.expm1(t));
  const tMax = Math.log1p(UPPER_CAP_RATIO * Math.max(nObs, 1));
  const { t: tHat, value: gMax } = maximise(g, Math.log1p(Math.max(n0hat, 0)), tMax);
  const cut = gMax - CHISQ1_95 / 2;
  const lower = g(0) >= cut ? 0 : Math.expm1(bisect((t) => g(t) - cut, 0, tHat));
  let hi = tHat + 0.25;
  while (hi < tMax && g(hi) >= cut) hi = Math.min(tMax, tHat + 2 * (hi - tHat));
  let upper = g(hi) >= cut ? null : Math.expm1(bisect((t) => g(t) - cut, tHat, hi));
  // On a very flat likelihood the profile's maximum can sit well away from the Poisson estimate, and the
  // interval would then exclude the estimate it is reported with. The data do not bound N from that side:
  // say so (an open upper limit, a lower limit at the observed count) rather than print a contradiction.
  const n0 = Math.max(n0hat, 0);
  if (upper !== null && upper < n0 * (1 - 1e-6)) upper = null;
  const low = lower > n0 * (1 + 1e-6) ? 0 : lower;
  return [nObs + low, upper === null ? null : nObs + upper];
}

/** Golden-section maximisation after bracketing from a starting point; t is kept ≥ 0. */
function maximise(g: (t: number) => number, t0: number, tMax: number): { t: number; value: number } {
  let step = 0.1;
  let a = Math.max(0, t0 - step);
  let b = Math.min(tMax, t0 + step);
  let ga = g(a);
  let gb = g(b);
  const gm = g(t0);
  // Walk uphill until the middle point is the highest of three.
  let mid = t0;
  let gmid = gm;
  for (let i = 0; i < 200 && (ga > gmid || gb > gmid); i++) {
    step *= 2;
    if (ga > gmid && a > 0) {
      b = mid;
      gb = gmid;
      mid = a;
      gmid = ga;
      a = Math.max(0, a - step);
      ga = g(a);
    } else if (gb > gmid && b < tMax) {
      a = mid;
      ga = gmid;
      mid = b;
      gmid = gb;
      b = Math.min(tMax, b + step);
      gb = g(b);
    } else {
      // The maximum sits on a boundary of the search range.
      return ga > gb ? { t: a, value: ga } : { t: b, value: gb };
    }
  }
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let gc = g(c);
  let gd = g(d);
  while (b - a > 1e-6 * (1 + Math.abs(mid))) {
    if (gc > gd) {
      b = d;
      d = c;
      gd = gc;
      c = b - phi * (b - a);
      gc = g(c);
    } else {
      a = c;
      c = d;
      gc = gd;
      d = a + phi * (b - a);
      gd = g(d);
    }
  }
  const t = (a + b) / 2;
  return { t, value: Math.max(g(t), gmid) };
}

/**
 * Root of f on [a, b] given a sign change, by the Illinois variant of regula falsi: superlinear on
 * the smooth profile curve, and never leaves the bracket.
 */
function bisect(f: (t: number) => number, a: number, b: number): number {
  let fa = f(a);
  let fb = f(b);
  let side = 0;
  for (let i = 0; i < 100; i++) {
    let c = (a * fb - b * fa) / (fb - fa);
    // Infinite or equal end values (a failed fit at one end): fall back to plain bisection.
    if (!Number.isFinite(c) || c <= Math.min(a, b) || c >= Math.max(a, b)) c = (a + b) / 2;
    if (Math.abs(b - a) < 1e-9 * (1 + Math.abs(c))) return c;
    const fc = f(c);
    if (fc === 0 || Math.abs(fc) < 1e-10) return c;
    if (Number.isNaN(fc)) return c;
    if (fc < 0 === fb < 0) {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return (a + b) / 2;
}
