/**
 * Bayesian latent-class capture–recapture (Manrique-Vallier 2016, "LCMCR").
 *
 * People fall into unobserved classes; within class k list j records a person with probability
 * λ_jk, independently of the other lists. Class weights π follow a Dirichlet process truncated at
 * K classes (stick-breaking V_k ~ Beta(1, α), α ~ Gamma(a, b)), λ_jk ~ Beta(1, 1), and p(N) ∝ 1/N.
 * The Gibbs sampler augments the data with the class of every person, including the n0 people on
 * no list, whose number is drawn from its full conditional, a negative binomial.
 *
 * People with the same capture history are exchangeable, so class labels are drawn per history as
 * multinomial counts rather than one person at a time; a sweep costs O(2^J · K · J), whatever N is.
 */
import { type CaptureHistories, countsByMask } from "./histories.js";
import { Rng } from "./rng.js";

export interface LcmcrOptions {
  /** Maximum number of latent classes (truncation of the Dirichlet process). Default 10. */
  maxClasses?: number;
  burnIn?: number;
  samples?: number;
  /** Keep every `thin`-th draw after burn-in. */
  thin?: number;
  seed?: number;
  /** Gamma(a, b) prior on the concentration α (rate parametrisation). Default a = b = 0.25. */
  alphaPrior?: [number, number];
}

export interface LcmcrResult {
  observed: number;
  /** Posterior median of N. */
  median: number;
  mean: number;
  sd: number;
  /** Equal-tailed 95 % credible interval. */
  ci95: [number, number];
  draws: number;
  options: Required<LcmcrOptions>;
}

const DEFAULTS: Required<LcmcrOptions> = {
  maxClasses: 10,
  burnIn: 5000,
  samples: 5000,
  thin: 2,
  seed: 20161,
  alphaPrior: [0.25, 0.25],
};

export function lcmcr(h: CaptureHistories, options: LcmcrOptions = {}): LcmcrResult {
  const o: Required<LcmcrOptions> = { ...DEFAULTS, ...options };
  for (const key of ["maxClasses", "burnIn", "samples", "thin"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < (key === "burnIn" ? 0 : 1)) {
      throw new RangeError(`lcmcr: ${key} must be a positive whole number, got ${o[key]}`);
    }
  }
  const counts = countsByMask(h);
  const J = h.lists.length;
  const K = o.maxClasses;
  const H = 1 << J;
  let n = 0;
  for (let m = 1; m < H; m++) n += counts[m] as number;
  if (n === 0) throw new RangeError("lcmcr: no one was observed");
  const rng = new Rng(o.seed);
  const [aAlpha, bAlpha] = o.alphaPrior;

  // State.
  const lambda = new Float64Array(J * K).fill(0.5); // lambda[j*K + k]
  const pi = new Float64Array(K).fill(1 / K);
  let alpha = 1;
  let n0 = n; // a neutral start: as many missing as seen
  // Class counts per history (index 0: the unobserved history, with n0 people).
  const z = new Float64Array(H * K);
  const logLik = new Float64Array(H * K);
  const probs = new Float64Array(K);

  const nDraws: number[] = [];
  const total = o.burnIn + o.samples * o.thin;
  for (let iter = 0; iter < total; iter++) {
    // 1. Class memberships, per history, as multinomial counts.
    for (let k = 0; k < K; k++) {
      for (let m = 0; m < H; m++) {
        let l = Math.log(pi[k] as number);
        for (let j = 0; j < J; j++) {
          const lam = lambda[j * K + k] as number;
          l += m & (1 << j) ? Math.log(lam) : Math.log1p(-lam);
        }
        logLik[m * K + k] = l;
      }
    }
    for (let m = 0; m < H; m++) {
      const c = m === 0 ? n0 : (counts[m] as number);
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) max = Math.max(max, logLik[m * K + k] as number);
      let s = 0;
      for (let k = 0; k < K; k++) {
        probs[k] = Math.exp((logLik[m * K + k] as number) - max);
        s += probs[k] as number;
      }
      multinomial(rng, c, probs, s, z, m * K);
    }
    // 2. Recording probabilities per list and class.
    for (let k = 0; k < K; k++) {
      let size = 0;
      for (let m = 0; m < H; m++) size += z[m * K + k] as number;
      for (let j = 0; j < J; j++) {
        let on = 0;
        for (let m = 1; m < H; m++) if (m & (1 << j)) on += z[m * K + k] as number;
        lambda[j * K + k] = clampProb(rng.beta(1 + on, 1 + size - on));
      }
    }
    // 3. Stick-breaking weights and the concentration.
    let rest = 0;
    const sizes = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      for (let m = 0; m < H; m++) sizes[k] = (sizes[k] as number) + (z[m * K + k] as number);
      rest += sizes[k] as number;
    }
    let remaining = 1;
    let sumLog1mV = 0;
    for (let k = 0; k < K; k++) {
      rest -= sizes[k] as number;
      const v = k === K - 1 ? 1 : clampProb(rng.beta(1 + (sizes[k] as number), alpha + rest));
      pi[k] = remaining * v;
      if (k < K - 1) sumLog1mV += Math.log1p(-v);
      remaining *= 1 - v;
    }
    alpha = rng.gamma(aAlpha + K - 1) / (bAlpha - sumLog1mV);
    // 4. The number nobody recorded: with p(N) ∝ 1/N, n0 | rest ~ NegBin(n, 1 − π0).
    let pi0 = 0;
    for (let k = 0; k < K; k++) {
      let p = pi[k] as number;
      for (let j = 0; j < J; j++) p *= 1 - (lambda[j * K + k] as number);
      pi0 += p;
    }
    pi0 = Math.min(pi0, 1 - 1e-12);
    n0 = rng.negativeBinomial(n, 1 - pi0);
    if (iter >= o.burnIn && (iter - o.burnIn) % o.thin === 0) nDraws.push(n + n0);
  }
  const sorted = [...nDraws].sort((a, b) => a - b);
  const mean = nDraws.reduce((a, b) => a + b, 0) / nDraws.length;
  const sd = Math.sqrt(nDraws.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, nDraws.length - 1));
  return {
    observed: n,
    median: quantile(sorted, 0.5),
    mean,
    sd,
    ci95: [quantile(sorted, 0.025), quantile(sorted, 0.975)],
    draws: nDraws.length,
    options: o,
  };
}

function clampProb(p: number): number {
  return Math.min(1 - 1e-12, Math.max(1e-12, p));
}

/** Type-7 quantile (linear interpolation), as R's default. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Multinomial(n, probs/sum) into out[offset..offset+K), by sequential conditional binomials. */
function multinomial(
  rng: Rng,
  n: number,
  probs: Float64Array,
  sum: number,
  out: Float64Array,
  offset: number,
): void {
  let left = n;
  let mass = sum;
  for (let k = 0; k < probs.length; k++) {
    const p = probs[k] as number;
    const x = k === probs.length - 1 || left === 0 ? left : binomial(rng, left, Math.min(1, p / mass));
    out[offset + k] = x;
    left -= x;
    mass -= p;
    if (mass <= 0) mass = 1e-300;
  }
}

/**
 * Binomial(n, p), exactly. When n·min(p, 1−p) is small, by geometric waiting times (Devroye 1986,
 * expected cost n·p); otherwise the recursive beta split (Knuth, TAOCP vol. 2, 3.4.1) first halves
 * n, using the order statistic X ~ Beta(a, n+1−a) of n uniforms to decide on which side of p the
 * a-th one falls.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  let acc = 0;
  let m = n;
  let q = p;
  while (m * Math.min(q, 1 - q) > 20) {
    const a = 1 + Math.floor(m / 2);
    const b = m + 1 - a;
    const x = rng.beta(a, b);
    if (x >= q) {
      m = a - 1;
      q = q / x;
    } else {
      acc += a;
      m = b - 1;
      q = (q - x) / (1 - x);
    }
  }
  if (q <= 0.5) return acc + waitingTime(rng, m, q);
  return acc + m - waitingTime(rng, m, 1 - q);
}

function waitingTime(rng: Rng, n: number, p: number): number {
  if (p <= 0) return 0;
  const logQ = Math.log1p(-p);
  let x = 0;
  let position = 0;
  for (;;) {
    position += Math.ceil(Math.log(1 - rng.next()) / logQ);
    if (position > n) return x;
    x++;
  }
}
