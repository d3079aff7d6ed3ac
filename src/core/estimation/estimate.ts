/**
 * The estimation entry point: capture histories in, a ranked set of models and the selected one out.
 */
import { type CaptureHistories, countsByMask, fromCounts } from "./histories.js";
import { type LcmcrOptions, lcmcr } from "./lcmcr.js";
import { type FitStatus, fitLogLinear, type LogLinearFit, withProfileInterval } from "./loglinear.js";
import { score, searchModels } from "./search.js";
import { chapman } from "./twoList.js";

/** One model as the JSON gives it. null: undefined for this model (see `status`). */
export interface ModelJson {
  name: string;
  terms: string[];
  estimate: number | null;
  se: number | null;
  /** 95 % interval; an upper limit of null means unbounded. */
  ci95: [number | null, number | null];
  deviance: number | null;
  df: number | null;
  aic: number | null;
  bic: number | null;
}

export interface EstimateJson {
  observed: number;
  lists: string[];
  models: ModelJson[];
  selected: ModelJson | null;
}

export type CiMethod = "profile-likelihood" | "log-normal" | "posterior" | "none";

/** A model with the diagnostics a reviewer or the CLI may want beyond the JSON shape. */
export interface ModelReport extends ModelJson {
  method: "log-linear" | "lincoln-petersen" | "chapman" | "lcmcr";
  status: FitStatus;
  ciMethod: CiMethod;
  /** Wald interval N ± 1.96·SE, for comparison; it is symmetric and can fall below the observed count. */
  wald95: [number, number] | null;
}

export interface EstimateResult {
  observed: number;
  lists: string[];
  models: ModelReport[];
  selected: ModelReport | null;
  search: "two-list" | "exhaustive" | "stepwise" | "none";
  notes: string[];
}

export interface EstimateOptions {
  /** "selected" (default) reports only the chosen model; "all" every model fitted, ranked by AIC. */
  models?: "all" | "selected";
  /** Above this many two-way terms, search stepwise instead of fitting every subset (default 10). */
  maxExhaustivePairs?: number;
  /**
   * Also fit the latent-class model (LCMCR) and report it as a model named "LCMCR": estimate is the
   * posterior median, se the posterior standard deviation, ci95 the 95 % credible interval. It is
   * never the AIC-selected model (it has no AIC). `true` uses the default sampler settings.
   */
  lcmcr?: boolean | LcmcrOptions;
}

export function estimate(histories: CaptureHistories, options: EstimateOptions = {}): EstimateResult {
  const { histories: h, dropped } = dropEmptyLists(histories);
  const counts = countsByMask(histories);
  let observed = 0;
  for (let m = 1; m < counts.length; m++) observed += counts[m] as number;
  const notes = dropped.map((l) => `list "${l}" has no records here and was left out`);
  if (h.lists.length < 2) {
    notes.push("fewer than two lists with records: no estimate is possible");
    return { observed, lists: h.lists, models: [], selected: null, search: "none", notes };
  }
  const result =
    h.lists.length === 2 ? twoLists(h, observed, notes, options) : logLinear(h, observed, notes, options);
  if (options.lcmcr) result.models.push(lcmcrModel(h, options.lcmcr === true ? {} : options.lcmcr));
  return result;
}

function lcmcrModel(h: CaptureHistories, o: LcmcrOptions): ModelReport {
  const r = lcmcr(h, o);
  return {
    name: "LCMCR",
    terms: [...h.lists],
    estimate: r.median,
    se: r.sd,
    ci95: r.ci95,
    deviance: null,
    df: null,
    aic: null,
    bic: null,
    method: "lcmcr",
    status: "ok",
    ciMethod: "posterior",
    wald95: null,
  };
}

function logLinear(
  h: CaptureHistories,
  observed: number,
  notes: string[],
  options: EstimateOptions,
): EstimateResult {
  const { fits, search } = searchModels(h, { maxExhaustivePairs: options.maxExhaustivePairs });
  if (search === "stepwise") notes.push(`${fits.length} models visited by a stepwise AIC search`);
  const ranked = [...fits].sort((a, b) => score(a) - score(b) || a.parameters - b.parameters);
  const best = ranked[0];
  const selectedFit = best && Number.isFinite(score(best)) ? best : null;
  if (!selectedFit) notes.push("no model gives a finite estimate (some overlaps are empty)");
  const reportFits = options.models === "all" ? ranked : selectedFit ? [selectedFit] : [];
  const models = reportFits.map((f) => fromLogLinear(withProfileInterval(h, f)));
  const selected = selectedFit ? (models[reportFits.indexOf(selectedFit)] ?? null) : null;
  return { observed, lists: h.lists, models, selected, search, notes };
}

/** Two lists: Lincoln–Petersen (the independence log-linear fit) and Chapman; Chapman is selected. */
function twoLists(
  h: CaptureHistories,
  observed: number,
  notes: string[],
  options: EstimateOptions,
): EstimateResult {
  const c = countsByMask(h);
  const m = c[3] as number;
  const n1 = (c[1] as number) + m;
  const n2 = (c[2] as number) + m;
  const lp = fromLogLinear(withProfileInterval(h, fitLogLinear(h, { k: 2, pairs: [] })));
  lp.name = "Lincoln-Petersen";
  lp.method = "lincoln-petersen";
  const ch = chapman({ n1, n2, m });
  const chap: ModelReport = {
    name: "Chapman",
    terms: [...h.lists],
    estimate: ch.estimate,
    se: ch.se,
    ci95: ch.logNormal95 ?? [null, null],
    deviance: null,
    df: null,
    aic: null,
    bic: null,
    method: "chapman",
    status: "ok",
    ciMethod: "log-normal",
    wald95: ch.wald95,
  };
  notes.push("two lists: independence and equal catchability are assumed and cannot be tested");
  // Chapman is preferred: nearly unbiased, and finite when the lists do not overlap.
  const models = options.models === "all" ? [chap, lp] : [chap];
  return { observed, lists: h.lists, models, selected: chap, search: "two-list", notes };
}

function fromLogLinear(f: LogLinearFit): ModelReport {
  return {
    name: f.name,
    terms: f.terms,
    estimate: f.estimate,
    se: f.se,
    ci95: f.profile95 ?? [null, null],
    deviance: f.deviance,
    df: f.df,
    aic: f.aic,
    bic: f.bic,
    method: "log-linear",
    status: f.status,
    ciMethod: f.profile95 ? "profile-likelihood" : "none",
    wald95: f.wald95,
  };
}

/** A list nobody is on carries no information and makes its main effect run to −∞; drop it. */
export function dropEmptyLists(h: CaptureHistories): { histories: CaptureHistories; dropped: string[] } {
  const counts = countsByMask(h);
  const k = h.lists.length;
  const keep: number[] = [];
  for (let i = 0; i < k; i++) {
    let n = 0;
    for (let m = 1; m < counts.length; m++) if (m & (1 << i)) n += counts[m] as number;
    if (n > 0) keep.push(i);
  }
  if (keep.length === k) return { histories: h, dropped: [] };
  const out = new Float64Array(1 << keep.length);
  for (let m = 1; m < counts.length; m++) {
    let nm = 0;
    keep.forEach((i, j) => {
      if (m & (1 << i)) nm |= 1 << j;
    });
    out[nm] = (out[nm] as number) + (counts[m] as number);
  }
  const lists = keep.map((i) => h.lists[i] as string);
  return {
    histories: fromCounts(lists, out),
    dropped: h.lists.filter((_, i) => !keep.includes(i)),
  };
}

/** Strips the diagnostics, leaving exactly the JSON shape. */
export function toJson(r: EstimateResult): EstimateJson {
  const strip = (m: ModelReport): ModelJson => ({
    name: m.name,
    terms: m.terms,
    estimate: m.estimate,
    se: m.se,
    ci95: m.ci95,
    deviance: m.deviance,
    df: m.df,
    aic: m.aic,
    bic: m.bic,
  });
  return {
    observed: r.observed,
    lists: r.lists,
    models: r.models.map(strip),
    selected: r.selected ? strip(r.selected) : null,
  };
}
