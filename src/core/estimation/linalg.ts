/**
 * Small dense linear algebra for the log-linear fits: weighted least squares by Householder QR.
 *
 * QR on √W·X is used rather than Cholesky on XᵀWX because forming XᵀWX squares the condition
 * number; with fitted cell means that differ by several orders of magnitude (a near-empty cell next
 * to a large one) that loss matters. Rank is judged on the diagonal of R relative to its largest
 * entry, so an unidentifiable model is reported rather than solved with garbage.
 */

export interface WlsResult {
  beta: Float64Array;
  /** (XᵀWX)⁻¹, row-major p×p: the covariance of β for a Poisson model (dispersion 1). */
  cov: Float64Array;
}

export class RankDeficientError extends Error {
  constructor(readonly column: number) {
    super(`design matrix is rank-deficient at column ${column}`);
    this.name = "RankDeficientError";
  }
}

/** Relative size below which a diagonal entry of R counts as zero. */
const RANK_TOL = 1e-10;

/**
 * Solves min ‖√w (Xβ − z)‖² for X row-major n×p (n ≥ p).
 * Throws RankDeficientError when X restricted to rows with positive weight is not of full column rank.
 */
export function weightedLeastSquares(
  x: Float64Array,
  n: number,
  p: number,
  w: Float64Array,
  z: Float64Array,
): WlsResult {
  if (n < p) throw new RankDeficientError(n);
  // Column-major copy of √W·X so that each Householder step walks contiguous memory.
  const a = new Float64Array(n * p);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i] as number);
    b[i] = s * (z[i] as number);
    for (let j = 0; j < p; j++) a[j * n + i] = s * (x[i * p + j] as number);
  }
  const rdiag = new Float64Array(p);
  let maxDiag = 0;
  for (let k = 0; k < p; k++) {
    const col = k * n;
    let norm = 0;
    for (let i = k; i < n; i++) norm = Math.hypot(norm, a[col + i] as number);
    if (norm === 0 || norm <= RANK_TOL * maxDiag) throw new RankDeficientError(k);
    const akk = a[col + k] as number;
    if (akk > 0) norm = -norm;
    // v = x − norm·e_k stored in place; the reflector is I − v vᵀ / (−norm·v_k).
    for (let i = k; i < n; i++) a[col + i] = (a[col + i] as number) / -norm;
    a[col + k] = (a[col + k] as number) + 1;
    const vk = a[col + k] as number;
    for (let j = k + 1; j < p; j++) {
      const cj = j * n;
      let s = 0;
      for (let i = k; i < n; i++) s += (a[col + i] as number) * (a[cj + i] as number);
      s = -s / vk;
      for (let i = k; i < n; i++) a[cj + i] = (a[cj + i] as number) + s * (a[col + i] as number);
    }
    let s = 0;
    for (let i = k; i < n; i++) s += (a[col + i] as number) * (b[i] as number);
    s = -s / vk;
    for (let i = k; i < n; i++) b[i] = (b[i] as number) + s * (a[col + i] as number);
    rdiag[k] = norm;
    maxDiag = Math.max(maxDiag, Math.abs(norm));
  }
  // Re-check the early columns against the final largest pivot.
  for (let k = 0; k < p; k++)
    if (Math.abs(rdiag[k] as number) <= RANK_TOL * maxDiag) throw new RankDeficientError(k);
  const r = (i: number, j: number): number => (i === j ? (rdiag[i] as number) : (a[j * n + i] as number));
  const beta = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < p; j++) s -= r(i, j) * (beta[j] as number);
    beta[i] = s / r(i, i);
  }
  // R⁻¹ (upper triangular), then cov = R⁻¹ R⁻ᵀ.
  const rinv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    rinv[j * p + j] = 1 / r(j, j);
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let l = i + 1; l <= j; l++) s += r(i, l) * (rinv[l * p + j] as number);
      rinv[i * p + j] = -s / r(i, i);
    }
  }
  const cov = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let l = j; l < p; l++) s += (rinv[i * p + l] as number) * (rinv[j * p + l] as number);
      cov[i * p + j] = s;
      cov[j * p + i] = s;
    }
  }
  return { beta, cov };
}
