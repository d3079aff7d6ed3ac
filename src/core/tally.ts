/**
 * Tallies: sums of incident counts over metric × place level × period × status. The store does the grouping;
 * this module holds the query's vocabulary and the arithmetic that must be the same everywhere.
 */
import { z } from "zod";
import { addRanges, type Range } from "./quantity.js";
import { Grade, IncidentType, Metric, type PlaceLevel } from "./vocabulary.js";

export const TALLY_LEVELS = ["country", "province", "city"] as const;
export type TallyLevel = (typeof TALLY_LEVELS)[number];
export const PERIODS = ["total", "day", "week", "month"] as const;
export type Period = (typeof PERIODS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

/** The tally query, shared by `tally tally`, `GET /api/v1/tallies` and the dashboard. */
export const TallyQuery = z.object({
  metric: Metric,
  by: z.enum(TALLY_LEVELS).default("province"),
  period: z.enum(PERIODS).default("total"),
  from: day.optional(),
  to: day.optional(),
  cumulative: z
    .preprocess((v) => v === true || v === "true" || v === "1" || v === "", z.boolean())
    .default(false),
  /** `all`: every published incident (core/publication.ts); `verified`: the verified ones among them. */
  status: z.enum(["all", "verified"]).default("all"),
  /** A grade, or `headline`: the documented count (verified incidents graded confirmed or fair). */
  grade: z.union([Grade, z.literal("headline")]).optional(),
  type: IncidentType.optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
    .transform((s) => s.toUpperCase())
    .optional(),
  province: z.string().max(100).optional(),
});
export type TallyQuery = z.output<typeof TallyQuery>;
export type TallyQueryInput = z.input<typeof TallyQuery>;

export interface TallyPlace {
  id: string | null;
  name: string | null;
  level: PlaceLevel | null;
  province: string | null;
  country: string | null;
}

export interface TallyRow {
  place: TallyPlace;
  period: string | null;
  low: number;
  high: number;
  incidents: number;
}

export interface TallyTotal {
  low: number;
  high: number;
  incidents: number;
  cities: number;
  provinces: number;
}

export interface Tally {
  metric: Metric;
  by: TallyLevel;
  period: Period;
  rows: TallyRow[];
  total: TallyTotal;
}

/** Running sums per place over periods in order; rows must already be sorted by period. */
export function cumulate(rows: readonly TallyRow[]): TallyRow[] {
  const running = new Map<string, { range: Range; incidents: number }>();
  return rows.map((row) => {
    const key = `${row.place.id ?? ""}|${row.place.country ?? ""}`;
    const prior = running.get(key) ?? { range: { low: 0, high: 0 }, incidents: 0 };
    const range = addRanges(prior.range, row);
    const next = { range, incidents: prior.incidents + row.incidents };
    running.set(key, next);
    return { ...row, low: range.low, high: range.high ?? 0, incidents: next.incidents };
  });
}
