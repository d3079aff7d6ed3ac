/**
 * The documented count in a claim's scope: what every surface sets beside a claim (the home page, the sources
 * page, bulletins, feeds, the API's comparisons, the static site). One function, so that one claim is set
 * beside one number everywhere. It counts what core/publication.ts calls the documented count: published
 * incidents that are verified and graded confirmed or fair.
 */
import { COUNTS_WORDS } from "../core/publication.js";
import type { Metric } from "../core/vocabulary.js";
import type { Executor } from "../store/repositories/rows.js";
import { type IncidentFilter, totalTally } from "../store/repositories/tallies.js";

/** The columns of a claim that define its scope. */
export interface ClaimScope {
  metric: string;
  country: string | null;
  place_id: string | null;
  place_level: string | null;
  period_from: string | null;
  period_to: string | null;
  as_of: string | null;
}

export interface DocumentedFigure {
  low: number;
  high: number;
  incidents: number;
}

/** What the documented count counts, in words, for every answer that carries one. */
export const DOCUMENTED_COUNTS = COUNTS_WORDS.documented.en;

/**
 * The tally filter of a claim's scope: its metric; its place (a province, a city or town, or the country); its
 * period when it gives one; and the days up to its `asOf` (and up to `to`, for a bulletin that looks back).
 */
export function claimFilter(
  c: ClaimScope,
  opts: { country?: string | undefined; to?: string | undefined } = {},
) {
  const filter: IncidentFilter = {
    metric: c.metric as Metric,
    grade: "headline",
    country: c.country ?? opts.country,
    from: c.period_from ?? undefined,
    to: earliest(c.period_to, c.as_of, opts.to),
  };
  if (c.place_id && c.place_level === "province") {
    filter.placeId = c.place_id;
    filter.placeLevel = "province";
  } else if (c.place_id && c.place_level && c.place_level !== "country") {
    filter.placeId = c.place_id;
    filter.placeLevel = "city";
  }
  return filter;
}

export async function documentedForClaim(
  db: Executor,
  c: ClaimScope,
  opts: { country?: string | undefined; to?: string | undefined } = {},
): Promise<DocumentedFigure> {
  const d = await totalTally(db, claimFilter(c, opts), { cities: false });
  return { low: d.low, high: d.high, incidents: d.incidents };
}

function earliest(...days: (string | null | undefined)[]): string | undefined {
  const set = days.filter((d): d is string => !!d);
  return set.length ? set.reduce((a, b) => (a < b ? a : b)) : undefined;
}
