/**
 * Fellegi–Sunter with parameters fitted by EM, no labelled pairs needed (Winkler 1988; Jaro 1989).
 *
 * Each candidate pair is a vector of per-field agreement levels. Pairs are a mixture of matches and
 * non-matches; within each class the fields are taken as independent, with level probabilities m
 * (matches) and u (non-matches). A missing level leaves its field out of the product, which is how
 * "missing is neither agreement nor disagreement" enters the model. Identical vectors are pooled
 * into patterns first, so EM costs nothing next to the comparisons.
 */

export interface FieldSpec {
  name: string;
  levels: number;
}

export interface FittedModel {
  fields: FieldSpec[];
  /** Proportion of candidate pairs that are matches. */
  p: number;
  m: number[][];
  u: number[][];
  iterations: number;
  logLik: number;
}

/** Mixed-radix pattern code: each field takes levels + 1 values, the last meaning missing. */
export function patternCode(fields: FieldSpec[], levels: ArrayLike<number | null>): number {
  let code = 0;
  for (let f = fields.length - 1; f >= 0; f--) {
    const spec = fields[f] as FieldSpec;
    const l = levels[f];
    code = code * (spec.levels + 1) + (l === null || l === undefined ? spec.levels : l);
  }
  return code;
}

export function decodePattern(fields: FieldSpec[], code: number): Array<number | null> {
  const out: Array<number | null> = [];
  let c = code;
  for (const spec of fields) {
    const l = c % (spec.levels + 1);
    out.push(l === spec.levels ? null : l);
    c = Math.floor(c / (spec.levels + 1));
  }
  return out;
}

const SMOOTH = 1e-6;

/**
 * EM over pattern counts. The first E-step is replaced by `initialPosterior` (a rule of thumb saying
 * which patterns look like matches); without it, m starts favouring the top levels and u the bottom
 * ones. A sensible start matters: the likelihood has other modes, e.g. one that splits the pairs by
 * the blocking pass that produced them rather than by identity. Patterns are visited in code order,
 * so the result does not depend on the order in which pairs were counted.
 */
export function fitEm(
  fields: FieldSpec[],
  patterns: Map<number, number>,
  options: {
    maxIterations?: number;
    tolerance?: number;
    initialPosterior?: (levels: Array<number | null>) => number;
  } = {},
): FittedModel {
  const entries = [...patterns].sort((a, b) => a[0] - b[0]);
  const decoded = entries.map(([code]) => decodePattern(fields, code));
  const counts = entries.map(([, c]) => c);
  let m = fields.map((f) => normalise(Array.from({ length: f.levels }, (_, l) => 4 ** l)));
  let u = fields.map((f) => normalise(Array.from({ length: f.levels }, (_, l) => 4 ** (f.levels - 1 - l))));
  let p = 0.1;
  if (options.initialPosterior) {
    const start = mStep(
      fields,
      decoded,
      counts,
      decoded.map((lv) => options.initialPosterior?.(lv) ?? 0.5),
    );
    m = start.m;
    u = start.u;
    p = start.p;
  }
  const maxIter = options.maxIterations ?? 500;
  const tol = options.tolerance ?? 1e-9;
  let prevLl = Number.NEGATIVE_INFINITY;
  let ll = 0;
  let iter = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    const g: number[] = new Array(decoded.length);
    ll = 0;
    for (let k = 0; k < decoded.length; k++) {
      const lv = decoded[k] as Array<number | null>;
      let pm = p;
      let pu = 1 - p;
      for (let f = 0; f < fields.length; f++) {
        const l = lv[f];
        if (l === null || l === undefined) continue;
        pm *= (m[f] as number[])[l] as number;
        pu *= (u[f] as number[])[l] as number;
      }
      g[k] = pm / (pm + pu);
      ll += (counts[k] as number) * Math.log(pm + pu);
    }
    ({ m, u, p } = mStep(fields, decoded, counts, g));
    if (Math.abs(ll - prevLl) < tol * Math.abs(ll)) break;
    prevLl = ll;
  }
  return { fields, p, m, u, iterations: Math.min(iter, maxIter), logLik: ll };
}

/** Maximisation: level frequencies within each class, weighted by the match posteriors g. */
function mStep(
  fields: FieldSpec[],
  decoded: Array<Array<number | null>>,
  counts: number[],
  g: number[],
): { m: number[][]; u: number[][]; p: number } {
  const mAcc = fields.map((f) => new Array<number>(f.levels).fill(SMOOTH));
  const uAcc = fields.map((f) => new Array<number>(f.levels).fill(SMOOTH));
  let matchMass = 0;
  let total = 0;
  for (let k = 0; k < decoded.length; k++) {
    const lv = decoded[k] as Array<number | null>;
    const c = counts[k] as number;
    const gk = g[k] as number;
    matchMass += c * gk;
    total += c;
    for (let f = 0; f < fields.length; f++) {
      const l = lv[f];
      if (l === null || l === undefined) continue;
      (mAcc[f] as number[])[l] = ((mAcc[f] as number[])[l] as number) + c * gk;
      (uAcc[f] as number[])[l] = ((uAcc[f] as number[])[l] as number) + c * (1 - gk);
    }
  }
  return {
    m: mAcc.map(normalise),
    u: uAcc.map(normalise),
    p: Math.min(1 - 1e-9, Math.max(1e-9, matchMass / Math.max(total, 1e-300))),
  };
}

function normalise(v: number[]): number[] {
  const s = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / s);
}

/** Log2 likelihood ratio of a pattern plus the prior log-odds: the pair's match weight in bits. */
export function patternWeight(model: FittedModel, levels: ArrayLike<number | null>): number {
  let w = Math.log2(model.p / (1 - model.p));
  for (let f = 0; f < model.fields.length; f++) {
    const l = levels[f];
    if (l === null || l === undefined) continue;
    w += Math.log2(((model.m[f] as number[])[l] as number) / ((model.u[f] as number[])[l] as number));
  }
  return w;
}

export function probabilityFromWeight(w: number): number {
  return 1 / (1 + 2 ** -w);
}
