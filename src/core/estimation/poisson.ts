/**
 * Poisson regression with the log link, fitted by iteratively reweighted least squares.
 */
import { RankDeficientError, weightedLeastSquares } from "./linalg.js";
import { logGamma, xlogy, ylogmu } from "./special.js";

export interface PoissonFit {
  beta: Float64Array;
  cov: Float64Array;
  mu: Float64Array;
  deviance: number;
  /** Full Poisson log-likelihood Σ y log μ − μ − log y!. */
  logLik: number;
  /**
   * `converged`: deviance and coefficients settled.
   * `diverged`: the deviance settled but some coefficient kept moving by a constant step, the mark of
   * a maximum at infinity (a fitted cell mean driven to zero by a zero count).
   * `rank_deficient`: the design cannot separate the parameters.
   */
  status: "converged" | "diverged" | "rank_deficient";
  iterations: number;
  /** β_new − β_old at the last iteration: tells which coefficients ran off, and which way. */
  lastStep: Float64Array;
}

const MAX_ITER = 80;
const DEV_TOL = 1e-11;
const BETA_TOL = 1e-7;

/**
 * Fits y ~ Poisson(exp(Xβ)), X row-major n×p. `start` warm-starts the coefficients (used when
 * profiling, where consecutive fits differ only a little).
 */
export function fitPoisson(
  x: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  start?: Float64Array,
): PoissonFit {
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  let beta: Float64Array = new Float64Array(p);
  if (start) {
    beta = Float64Array.from(start);
    linearPredictor(x, n, p, beta, eta);
    for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i] as number);
  } else {
    // The usual start: the data themselves, nudged off zero.
    for (let i = 0; i < n; i++) {
      mu[i] = (y[i] as number) + 0.5;
      eta[i] = Math.log(mu[i] as number);
    }
  }
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let dev = deviance(y, mu);
  let cov: Float64Array = new Float64Array(p * p);
  let devSettled = false;
  const lastStep = new Float64Array(p);
  let iter = 0;
  for (iter = 1; iter <= MAX_ITER; iter++) {
    let muMax = 0;
    for (let i = 0; i < n; i++) muMax = Math.max(muMax, mu[i] as number);
    for (let i = 0; i < n; i++) {
      const m = mu[i] as number;
      // A cell whose mean is being driven to zero would otherwise drop out of the weighted design
      // and make it look rank-deficient; a tiny weight floor keeps the step defined while its
      // working response still pulls the mean down (so the divergence stays visible).
      w[i] = Math.max(m, 1e-9 * muMax);
      z[i] = (eta[i] as number) + ((y[i] as number) - m) / m;
    }
    let sol: ReturnType<typeof weightedLeastSquares>;
    try {
      sol = weightedLeastSquares(x, n, p, w, z);
    } catch (e) {
      if (e instanceof RankDeficientError) {
        const status = "rank_deficient";
        return { beta, cov, mu, deviance: dev, logLik: Number.NaN, status, iterations: iter, lastStep };
      }
      throw e;
    }
    let step = 0;
    for (let j = 0; j < p; j++) {
      lastStep[j] = (sol.beta[j] as number) - (beta[j] as number);
      step = Math.max(step, Math.abs(lastStep[j] as number));
    }
    beta = sol.beta;
    cov = sol.cov;
    linearPredictor(x, n, p, beta, eta);
    for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i] as number);
    const newDev = deviance(y, mu);
    devSettled = Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1) < DEV_TOL;
    dev = newDev;
    if (devSettled && step < BETA_TOL * (1 + maxAbs(beta))) {
      const status = "converged";
      return { beta, cov, mu, deviance: dev, logLik: logLik(y, mu), status, iterations: iter, lastStep };
    }
  }
  // Not settled after MAX_ITER steps: with a log link that means a coefficient running off to
  // infinity (IRLS then moves it by about one unit per step while the deviance has long settled).
  return {
    beta,
    cov,
    mu,
    deviance: dev,
    logLik: logLik(y, mu),
    status: "diverged",
    iterations: iter,
    lastStep,
  };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const a of v) m = Math.max(m, Math.abs(a));
  return m;
}

function linearPredictor(x: Float64Array, n: number, p: number, beta: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += (x[i * p + j] as number) * (beta[j] as number);
    out[i] = s;
  }
}

export function deviance(y: Float64Array, mu: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++)
    d += xlogy(y[i] as number, mu[i] as number) - ((y[i] as number) - (mu[i] as number));
  return 2 * d;
}

export function logLik(y: Float64Array, mu: Float64Array): number {
  let l = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    l += ylogmu(yi, mu[i] as number) - (mu[i] as number) - logGamma(yi + 1);
  }
  return l;
}
