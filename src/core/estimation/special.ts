/**
 * Special functions the estimators need. Written here so that the core has no numeric dependency.
 */

/** Two-sided 95 % standard normal quantile. */
export const Z95 = 1.959963984540054;
/** 95 % quantile of the chi-square distribution with one degree of freedom (= Z95²). */
export const CHISQ1_95 = 3.841458820694124;

// Lanczos coefficients (g = 7, n = 9): about 15 significant digits over the positive reals,
// enough for differences of log-likelihoods in the thousands.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** y·log(y/mu) with the convention 0·log 0 = 0, the building block of Poisson deviance. */
export function xlogy(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(y / mu);
}

/** y·log(mu), with 0·log 0 = 0. */
export function ylogmu(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(mu);
}
