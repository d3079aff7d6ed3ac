/**
 * What the public dashboard, the bulletins and the static site read: the headline figures of every metric with
 * the latest claim of each source, and tallies whose places carry coordinates and Persian names. Everything is
 * computed from the materialised cells and kept in memory per data version, so a crowd of readers costs one
 * primary-key read each.
 */
import { type RawBuilder, sql } from "kysely";
import { claimRatio, type Ratio } from "../core/compare.js";
import type { Place } from "../core/place.js";
import { COUNTS_WORDS, NEVER_PUBLISHED } from "../core/publication.js";
import type { Tally, TallyQuery, TallyRow } from "../core/tally.js";
import { METRICS, type Metric, type Qualifier, type SourceKind } from "../core/vocabulary.js";
import { dataVersion } from "../store/repositories/meta.js";
import {
  documentedSql,
  type IncidentFilter,
  type TotalCell,
  totalTally,
} from "../store/repositories/tallies.js";
import { DOCUMENTED_COUNTS, documentedForClaim } from "./documented.js";
import type { Ledger } from "./ledger.js";
import { cachePerLedger } from "./read-cache.js";
import { cachedTally } from "./tallies.js";

const ARABIC_SCRIPT = /[\u0600-\u06FF]/;

/** Arabic yeh, kaf and hamza-seated alefs written as Persian writes them. */
function persianForm(name: string): string {
  return name
    .replace(/\u064A/g, "\u06CC")
    .replace(/\u0643/g, "\u06A9")
    .replace(/[\u0623\u0625]/g, "\u0627")
    .trim();
}

/**
 * The place's name in Persian script, when the gazetteer has one. GeoNames lists Persian, Arabic and odd
 * transliterated spellings side by side; the spelling most of them share, in Persian letters, is the one
 * readers know (ties go to the earlier, which GeoNames lists first).
 */
export function persianName(place: Place | undefined): string | null {
  if (!place) return null;
  const names = [place.name, ...place.alternateNames].filter((n) => ARABIC_SCRIPT.test(n)).map(persianForm);
  if (names.length === 0) return null;
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best = names[0] as string;
  for (const n of names) if ((counts.get(n) ?? 0) > (counts.get(best) ?? 0)) best = n;
  return best;
}

export interface ClaimPoint {
  id: number;
  asOf: string | null;
  low: number;
  high: number | null;
  qualifier: Qualifier;
  place: string | null;
  context: string | null;
}

export interface LatestClaim extends ClaimPoint {
  source: { id: number; name: string; kind: SourceKind };
  /** The documented count in the claim's scope, up to the claim's date (services/documented.ts). */
  documented: { low: number; high: number; incidents: number };
  ratio: Ratio;
}

export interface MetricHeadline {
  metric: Metric;
  /** The documented count: verified incidents graded confirmed or fair (core/publication.ts). */
  documented: TotalCell;
  /** Every published incident, whatever its grade and review status: the full range, one click away. */
  all: TotalCell;
  /** The latest claim of each source, newest first. */
  latest: LatestClaim[];
  /** Every claim of each source over time, for the timeline. */
  timelines: { source: { id: number; name: string; kind: SourceKind }; claims: ClaimPoint[] }[];
}

export interface Headline {
  version: string;
  /** What each figure counts, in words: `documented` and `all`. */
  counts: { documented: string; all: string };
  country: string | null;
  /** The latest incident date in the ledger (ISO day), or null when it is empty. */
  lastDate: string | null;
  firstDate: string | null;
  metrics: MetricHeadline[];
}

const headlineCache = cachePerLedger<Headline>(1000);

/**
 * The headline for the current data version, computed once per version and process; readers who arrive while
 * it is being computed wait for that computation instead of starting their own.
 */
export async function cachedHeadline(ledger: Ledger, country?: string): Promise<Headline> {
  const version = await dataVersion(ledger.store.db);
  return headlineCache(ledger).get(country ?? "", version, () => computeHeadline(ledger, version, country));
}

export async function computeHeadline(
  ledger: Ledger,
  version: string,
  country?: string,
  /** Up to this day only (bulletins look back at a given day). */
  to?: string,
): Promise<Headline> {
  const db = ledger.store.db;
  let claimQuery = db
    .selectFrom("claims")
    .innerJoin("sources", "sources.id", "claims.source_id")
    .select([
      "claims.id",
      "claims.metric",
      "claims.low",
      "claims.high",
      "claims.qualifier",
      "claims.as_of",
      "claims.period_from",
      "claims.period_to",
      "claims.place_id",
      "claims.place_name",
      "claims.place_level",
      "claims.country",
      "claims.context",
      "claims.source_id",
      "sources.name as source_name",
      "sources.kind as source_kind",
    ])
    .where("claims.status", "not in", [...NEVER_PUBLISHED]);
  if (country) claimQuery = claimQuery.where("claims.country", "=", country);
  if (to)
    claimQuery = claimQuery.where((eb) =>
      eb.or([eb("claims.as_of", "<=", to), eb("claims.as_of", "is", null)]),
    );
  const claims = await claimQuery.orderBy("claims.as_of").orderBy("claims.id").execute();

  // The cells hold one row per province and day: the ledger's first and last day without reading incidents.
  // A cell emptied by a rejection or a merge stays behind at zero; it marks no day.
  const range = (
    await sql<{ first: string | null; last: string | null }>`
      select min(date) as first, max(date) as last from province_cells where incidents > 0`.execute(db)
  ).rows[0];
  const totals = await headlineTotals(ledger, country, to);
  const metrics: MetricHeadline[] = [];
  for (const metric of METRICS) {
    const { documented, all } = totals.get(metric) as { documented: TotalCell; all: TotalCell };
    const mine = claims.filter((c) => c.metric === metric);
    if (all.incidents === 0 && mine.length === 0) continue;
    const timelines = new Map<number, MetricHeadline["timelines"][number]>();
    const latestBySource = new Map<number, (typeof mine)[number]>();
    for (const c of mine) {
      const source = { id: c.source_id, name: c.source_name, kind: c.source_kind as SourceKind };
      let t = timelines.get(c.source_id);
      if (!t) {
        t = { source, claims: [] };
        timelines.set(c.source_id, t);
      }
      t.claims.push(point(c));
      // National figures stand beside the national headline; a source's local figures only when it has no other.
      const prior = latestBySource.get(c.source_id);
      const national = !c.place_level || c.place_level === "country";
      const priorNational = prior && (!prior.place_level || prior.place_level === "country");
      if (
        !prior ||
        (national && !priorNational) ||
        (national === priorNational && (c.as_of ?? "") >= (prior.as_of ?? ""))
      ) {
        latestBySource.set(c.source_id, c);
      }
    }
    const latest: LatestClaim[] = [];
    for (const c of latestBySource.values()) {
      const d = await documentedForClaim(db, c, { country, to });
      latest.push({
        ...point(c),
        source: { id: c.source_id, name: c.source_name, kind: c.source_kind as SourceKind },
        documented: d,
        ratio: claimRatio(c.low, { low: d.low, high: d.high }),
      });
    }
    latest.sort(
      (a, b) => (b.asOf ?? "").localeCompare(a.asOf ?? "") || a.source.name.localeCompare(b.source.name),
    );
    metrics.push({
      metric,
      documented,
      all,
      latest,
      timelines: [...timelines.values()].sort((a, b) => a.source.name.localeCompare(b.source.name)),
    });
  }
  const r = range;
  return {
    version,
    counts: { documented: DOCUMENTED_COUNTS, all: COUNTS_WORDS.published.en },
    country: country ?? null,
    firstDate: r?.first ?? null,
    lastDate: to && r?.last && r.last > to ? to : (r?.last ?? null),
    metrics,
  };
}

/**
 * Every metric's total, headline grades and all grades, as `totalTally` gives them, in one pass over each cell
 * table instead of two queries per metric: the headline reads all eight metrics, and at a million incidents a
 * pass over the cells is what costs. Dates inside a month need the incidents for distinct cities; those go
 * through `totalTally` itself.
 */
export async function headlineTotals(
  ledger: Ledger,
  country?: string,
  to?: string,
): Promise<Map<Metric, { documented: TotalCell; all: TotalCell }>> {
  const db = ledger.store.db;
  const out = new Map<Metric, { documented: TotalCell; all: TotalCell }>();
  if (to && !isLastDayOfMonth(to)) {
    for (const metric of METRICS) {
      const base: IncidentFilter = { metric, country, to };
      const [documented, all] = await Promise.all([
        totalTally(db, { ...base, grade: "headline" }),
        totalTally(db, base),
      ]);
      out.set(metric, { documented, all });
    }
    return out;
  }
  const headline = documentedSql();
  // Grouped by province (and by place), then summed here: a place or province counts when some cell of it has a
  // positive high end, which is when its summed high is positive (counts are never negative). One GROUP BY is
  // far cheaper than sixteen count(distinct …) over the same rows.
  const provinceSums: RawBuilder<unknown>[] = [];
  const placeSums: RawBuilder<unknown>[] = [];
  for (const m of METRICS) {
    const [low, high, n] = [sql.ref(`${m}_low`), sql.ref(`${m}_high`), sql.ref(`${m}_n`)];
    for (const [tag, cond] of [
      ["h", headline],
      ["a", sql`1 = 1`],
    ] as const) {
      provinceSums.push(
        sql`coalesce(sum(case when ${cond} then ${low} end), 0) as ${sql.ref(`${m}_${tag}_low`)}`,
        sql`coalesce(sum(case when ${cond} then ${high} end), 0) as ${sql.ref(`${m}_${tag}_high`)}`,
        sql`coalesce(sum(case when ${cond} then ${n} end), 0) as ${sql.ref(`${m}_${tag}_n`)}`,
      );
      placeSums.push(
        sql`coalesce(sum(case when ${cond} then ${high} end), 0) as ${sql.ref(`${m}_${tag}_high`)}`,
      );
    }
  }
  const where = (month: boolean) =>
    sql.join(
      [
        // The cells hold published incidents only (repositories/cells.ts).
        sql`1 = 1`,
        ...(country ? [sql`country = ${country}`] : []),
        ...(to ? [month ? sql`month <= ${to.slice(0, 7)}` : sql`date <= ${to}`] : []),
      ],
      sql` and `,
    );
  const [p, c] = await Promise.all([
    sql<Record<string, unknown>>`select province_id, ${sql.join(provinceSums)}
      from province_cells where ${where(false)} group by province_id`.execute(db),
    sql<Record<string, unknown>>`select place_id, max(place_level) as place_level, ${sql.join(placeSums)}
      from city_cells where ${where(true)} group by place_id`.execute(db),
  ]);
  const cell = (m: string, tag: string): TotalCell => {
    const total: TotalCell = { low: 0, high: 0, incidents: 0, cities: 0, provinces: 0 };
    for (const r of p.rows) {
      const high = Number(r[`${m}_${tag}_high`] ?? 0);
      total.low += Number(r[`${m}_${tag}_low`] ?? 0);
      total.high += high;
      total.incidents += Number(r[`${m}_${tag}_n`] ?? 0);
      if (high > 0 && r.province_id) total.provinces++;
    }
    for (const r of c.rows) {
      const city = ["city", "locality", "county"].includes(String(r.place_level));
      if (city && r.place_id && Number(r[`${m}_${tag}_high`] ?? 0) > 0) total.cities++;
    }
    return total;
  };
  for (const m of METRICS) out.set(m, { documented: cell(m, "h"), all: cell(m, "a") });
  return out;
}

function isLastDayOfMonth(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() + 86_400_000).getUTCDate() === 1;
}

function point(c: {
  id: number;
  as_of: string | null;
  low: number;
  high: number | null;
  qualifier: string;
  place_name: string | null;
  context: string | null;
}): ClaimPoint {
  return {
    id: c.id,
    asOf: c.as_of,
    low: c.low,
    high: c.high,
    qualifier: c.qualifier as Qualifier,
    place: c.place_name,
    context: c.context,
  };
}

export interface MappedPlace {
  id: string | null;
  name: string | null;
  fa: string | null;
  level: string | null;
  province: string | null;
  provinceFa: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

export interface MappedTally extends Omit<Tally, "rows"> {
  version: string;
  rows: (Omit<TallyRow, "place"> & { place: MappedPlace })[];
}

const mappedCache = new WeakMap<Ledger, Map<string, MappedTally>>();

/** A tally (the same rows as GET /tallies) whose places carry coordinates and Persian names. */
export async function mappedTally(ledger: Ledger, query: TallyQuery): Promise<MappedTally> {
  const cached = await cachedTally(ledger, query);
  let entries = mappedCache.get(ledger);
  if (!entries) {
    entries = new Map();
    mappedCache.set(ledger, entries);
  }
  const key = JSON.stringify(query);
  const hit = entries.get(key);
  if (hit && hit.version === cached.version) return hit;
  const g = ledger.gazetteer;
  const rows = cached.tally.rows.map((row) => {
    const p = row.place.id ? g.get(row.place.id) : undefined;
    const province = p?.provinceId ? g.get(p.provinceId) : p?.level === "province" ? p : undefined;
    return {
      ...row,
      place: {
        ...row.place,
        fa: persianName(p),
        provinceFa: persianName(province),
        lat: p?.lat ?? null,
        lon: p?.lon ?? null,
      },
    };
  });
  const mapped: MappedTally = { ...cached.tally, version: cached.version, rows };
  if (entries.size > 200) entries.delete(entries.keys().next().value as string);
  entries.set(key, mapped);
  return mapped;
}

/** Persian names for a few place ids (an incident page, a page of the incident list). */
export function placeNames(
  ledger: Ledger,
  ids: readonly string[],
): Record<string, { name: string; fa: string | null; provinceFa: string | null }> {
  const out: Record<string, { name: string; fa: string | null; provinceFa: string | null }> = {};
  for (const id of ids) {
    const p = ledger.gazetteer.get(id);
    const province = p?.provinceId ? ledger.gazetteer.get(p.provinceId) : undefined;
    if (p) out[id] = { name: p.name, fa: persianName(p), provinceFa: persianName(province) };
  }
  return out;
}
