/**
 * The dashboard's view state, read from the URL: every filter lives in the query string, so any view can be
 * linked and the back button walks through them.
 */

import type { Lang } from "../i18n/index.js";
import { GRADE_CODES, METRIC_CODES, STATUS_CODES, TYPE_CODES } from "./codes.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ViewFilters {
  metric: string | null;
  /** "all" widens every figure to every grade; otherwise the headline grades (confirmed and fair). */
  grade: "headline" | "all";
  from: string | null;
  to: string | null;
  type: string | null;
  by: "province" | "city";
  period: "day" | "week" | "month";
  sort: "name" | "low" | "high" | "incidents";
  dir: "asc" | "desc";
}

const oneOf = <T extends string>(v: string | null, options: readonly T[]): T | null =>
  v !== null && (options as readonly string[]).includes(v) ? (v as T) : null;

export function readFilters(search: URLSearchParams): ViewFilters {
  const day = (k: string) => {
    const v = search.get(k);
    return v && DAY.test(v) ? v : null;
  };
  return {
    metric: oneOf(search.get("metric"), METRIC_CODES),
    grade: search.get("grade") === "all" ? "all" : "headline",
    from: day("from"),
    to: day("to"),
    type: oneOf(search.get("type"), TYPE_CODES),
    by: search.get("by") === "city" ? "city" : "province",
    period: oneOf(search.get("period"), ["day", "week", "month"] as const) ?? "day",
    sort: oneOf(search.get("sort"), ["name", "low", "high", "incidents"] as const) ?? "high",
    dir: search.get("dir") === "asc" ? "asc" : "desc",
  };
}

/** The tally API's parameters for the view. */
export function tallyParams(f: ViewFilters, metric: string) {
  return {
    metric,
    from: f.from,
    to: f.to,
    type: f.type,
    grade: f.grade === "all" ? null : "headline",
  };
}

export interface IncidentFilters {
  q: string | null;
  from: string | null;
  to: string | null;
  type: string | null;
  metric: string | null;
  status: string | null;
  grade: string | null;
  province: string | null;
  place: string | null;
}

export function readIncidentFilters(search: URLSearchParams): IncidentFilters {
  const day = (k: string) => {
    const v = search.get(k);
    return v && DAY.test(v) ? v : null;
  };
  const text = (k: string, max = 200) => {
    const v = search.get(k)?.trim();
    return v ? v.slice(0, max) : null;
  };
  return {
    q: text("q"),
    from: day("from"),
    to: day("to"),
    type: oneOf(search.get("type"), TYPE_CODES),
    metric: oneOf(search.get("metric"), METRIC_CODES),
    status: oneOf(search.get("status"), STATUS_CODES),
    grade: oneOf(search.get("grade"), [...GRADE_CODES, "headline"]),
    province: text("province", 100),
    place: text("place", 100),
  };
}

/** A dashboard link that keeps the reader's language. */
export function dashHref(
  path: string,
  params: Record<string, string | null | undefined>,
  lang: Lang,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  if (lang !== "en") q.set("lang", lang);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
