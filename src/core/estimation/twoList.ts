/**
 * Two-list estimators. n1, n2: list sizes; m: people on both.
 *
 * Both assume independent lists and equal catchability; with two lists neither assumption can be
 * tested from the data (the independence model is saturated: deviance 0 on 0 df).
 */
import { Z95 } from "./special.js";

export interface TwoListEstimate {
  estimate: number | null;
  variance: number | null;
  se: number | null;
  /** Wald: N ± 1.96·SE. Symmetric and may fall below n_obs. */
  wald95: [number, number] | null;
  /**
   * Log-transformed interval (Chao 1987): log(N − n_obs) treated as normal, so the interval is
   * asymmetric and never below n_obs. Better coverage than Wald when the overlap is small.
   */
  logNormal95: [number, number] | null;
}

export interface TwoListCounts {
  n1: number;
  n2: number;
  m: number;
}

function check({ n1, n2, m }: TwoListCounts): void {
  for (const [k, v] of Object.entries({ n1, n2, m })) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a non-negative number, got ${v}`);
  }
  if (m > n1 || m > n2) throw new RangeError(`overlap m=${m} exceeds a list size (n1=${n1}, n2=${n2})`);
}

/** Lincoln–Petersen N = n1·n2/m with Seber's (1982) variance n1·n2·(n1−m)(n2−m)/m³; undefined when m = 0. */
export function lincolnPetersen(c: TwoListCounts): TwoListEstimate {
  check(c);
  const { n1, n2, m } = c;
  if (m === 0) return { estimate: null, variance: null, se: null, wald95: null, logNormal95: null };
  const estimate = (n1 * n2) / m;
  const variance = (n1 * n2 * (n1 - m) * (n2 - m)) / m ** 3;
  return withIntervals(estimate, variance, n1 + n2 - m);
}

/**
 * Chapman's nearly unbiased form N = (n1+1)(n2+1)/(m+1) − 1, with variance
 * (n1+1)(n2+1)(n1−m)(n2−m) / ((m+1)²(m+2)). Finite even when the lists do not overlap.
 */
export function chapman(c: TwoListCounts): TwoListEstimate {
  check(c);
  const { n1, n2, m } = c;
  const estimate = ((n1 + 1) * (n2 + 1)) / (m + 1) - 1;
  const variance = ((n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m)) / ((m + 1) ** 2 * (m + 2));
  return withIntervals(estimate, variance, n1 + n2 - m);
}

export function withIntervals(estimate: number, variance: number, observed: number): TwoListEstimate {
  const se = Math.sqrt(variance);
  return {
    estimate,
    variance,
    se,
    wald95: [estimate - Z95 * se, estimate + Z95 * se],
    logNormal95: logNormalInterval(estimate, variance, observed),
  };
}

/**
 * Chao (1987): with f0 = N − n_obs and C = exp(1.96·sqrt(log(1 + Var/f0²))), the interval is
 * [n_obs + f0/C, n_obs + f0·C]. When nothing is estimated missing (f0 = 0) it collapses to n_obs.
 */
export function logNormalInterval(estimate: number, variance: number, observed: number): [number, number] {
  const f0 = estimate - observed;
  if (!(f0 > 0)) return [observed, observed];
  const c = Math.exp(Z95 * Math.sqrt(Math.log(1 + variance / (f0 * f0))));
  return [observed + f0 / c, observed + f0 * c];
}
