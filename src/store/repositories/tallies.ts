/**
 * The tally queries. Most read the materialised cells (see migration 0002): province × day cells for country
 * and province tallies, place × month cells for city tallies. A query the cells cannot answer exactly (a city
 * tally by day or week, or bounded by dates inside a month) reads the incidents themselves, with the same
 * filters and the same result. The statements are the same on SQLite and PostgreSQL.
 */
import { type RawBuilder, sql } from "kysely";
import { DOCUMENTED } from "../../core/publication.js";
import type { Period, TallyLevel } from "../../core/tally.js";
import type { Grade, IncidentType, Metric } from "../../core/vocabulary.js";
import { METRICS } from "../../core/vocabulary.js";
import type { Executor } from "./rows.js";

export interface IncidentFilter {
  metric: Metric;
  from?: string | undefined;
  to?: string | undefined;
  status?: "all" | "verified" | undefined;
  grade?: Grade | "headline" | undefined;
  type?: IncidentType | undefined;
  country?: string | undefined;
  province?: string | undefined;
  /** Restrict to one place: a province id matches every place in it. */
  placeId?: string | undefined;
  placeLevel?: "country" | "province" | "city" | undefined;
}

export interface GroupedCell {
  country: string | null;
  province_id: string | null;
  province: string | null;
  place_id: string | null;
  place_name: string | null;
  place_level: string | null;
  period: string | null;
  low: number;
  high: number;
  incidents: number;
}

export type TallySource = "province_cells" | "city_cells" | "incidents";
type Source = TallySource;

/** Where a query is answered. The cells hold '' where the incidents hold NULL (see the migration). */
function chooseSource(f: IncidentFilter, needsCity: boolean, period: Period): Source {
  if (!needsCity) return "province_cells";
  const monthAligned = (!f.from || f.from.endsWith("-01")) && (!f.to || isLastDayOfMonth(f.to));
  if (monthAligned && (period === "total" || period === "month")) return "city_cells";
  return "incidents";
}

function isLastDayOfMonth(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() + 86_400_000).getUTCDate() === 1;
}

function assertMetric(metric: Metric): void {
  // Column names are built from the metric; only the closed list may reach SQL.
  if (!METRICS.includes(metric)) throw new Error(`unknown metric ${metric}`);
}

function measures(source: Source, metric: Metric) {
  assertMetric(metric);
  const low = sql.ref(`${metric}_low`);
  const high = sql.ref(`${metric}_high`);
  if (source === "incidents") {
    return { low: sql`sum(${low})`, high: sql`sum(${high})`, n: sql`count(*)`, high1: high };
  }
  return {
    low: sql`sum(${low})`,
    high: sql`sum(${high})`,
    n: sql`sum(${sql.ref(`${metric}_n`)})`,
    high1: high,
  };
}

/** A nullable key: the incidents hold NULL, the cells ''. */
function key(source: Source, column: string): RawBuilder<unknown> {
  return source === "incidents" ? sql.ref(column) : sql`nullif(${sql.ref(column)}, '')`;
}

function where(source: Source, f: IncidentFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (source === "incidents") {
    // The cells hold published incidents only; read from the incidents, the same rule is said here.
    parts.push(sql`merged_into is null`, sql`published = 1`, sql`${sql.ref(`${f.metric}_low`)} is not null`);
  }
  if (f.status === "verified") parts.push(sql`status = 'verified'`);
  if (source === "city_cells") {
    if (f.from) parts.push(sql`month >= ${f.from.slice(0, 7)}`);
    if (f.to) parts.push(sql`month <= ${f.to.slice(0, 7)}`);
  } else {
    if (f.from) parts.push(sql`date >= ${f.from}`);
    if (f.to) parts.push(sql`date <= ${f.to}`);
  }
  if (f.grade === "headline") parts.push(documentedSql());
  else if (f.grade) parts.push(sql`grade = ${f.grade}`);
  if (f.type) parts.push(sql`type = ${f.type}`);
  if (f.country) parts.push(sql`country = ${f.country}`);
  if (f.province) parts.push(sql`(province = ${f.province} or province_id = ${f.province})`);
  if (f.placeId && f.placeLevel === "province") parts.push(sql`province_id = ${f.placeId}`);
  if (f.placeId && f.placeLevel === "city") parts.push(sql`place_id = ${f.placeId}`);
  return parts.length ? sql.join(parts, sql` and `) : sql`1 = 1`;
}

/**
 * Within the published rows (the cells hold nothing else), those that the documented count counts: one
 * definition for every tally, total and headline (core/publication.ts).
 */
export function documentedSql(): RawBuilder<unknown> {
  return sql`(status in (${sql.join([...DOCUMENTED.statuses])}) and grade in (${sql.join([...DOCUMENTED.grades])}))`;
}

const PERIOD_COLUMN = { day: "date", week: "week", month: "month" } as const;

export async function groupedTally(
  db: Executor,
  f: IncidentFilter,
  by: TallyLevel,
  period: Period,
  /** Forces where the tally is read from; tests use it to check the cells against the incidents. */
  force?: TallySource,
): Promise<GroupedCell[]> {
  const source = force ?? chooseSource(f, by === "city" || f.placeLevel === "city", period);
  const m = measures(source, f.metric);
  const groups: RawBuilder<unknown>[] = [key(source, "country")];
  const selects: RawBuilder<unknown>[] = [sql`${key(source, "country")} as country`];
  if (by !== "country") {
    groups.push(key(source, "province_id"));
    selects.push(sql`${key(source, "province_id")} as province_id`, sql`max(province) as province`);
  }
  if (by === "city") {
    // Unresolved places have no id: they fall to their country, whatever name was written.
    groups.push(key(source, "place_id"));
    selects.push(
      sql`${key(source, "place_id")} as place_id`,
      sql`max(place_name) as place_name`,
      sql`max(place_level) as place_level`,
    );
  }
  if (period !== "total") {
    const col = sql.ref(PERIOD_COLUMN[period]);
    groups.push(col);
    selects.push(sql`${col} as period`);
  }
  const result = await sql<Record<string, unknown>>`
    select ${sql.join(selects)}, ${m.low} as low, ${m.high} as high, ${m.n} as incidents
    from ${sql.table(source)}
    where ${where(source, f)}
    group by ${sql.join(groups)}
    having ${m.n} > 0`.execute(db);
  return result.rows.map((r) => ({
    country: (r.country as string | null) ?? null,
    province_id: (r.province_id as string | null) ?? null,
    province: r.province_id ? ((r.province as string | null) ?? null) : null,
    place_id: (r.place_id as string | null) ?? null,
    place_name: r.place_id ? ((r.place_name as string | null) ?? null) : null,
    place_level: r.place_id ? ((r.place_level as string | null) ?? null) : null,
    period: (r.period as string | null) ?? null,
    low: Number(r.low ?? 0),
    high: Number(r.high ?? 0),
    incidents: Number(r.incidents ?? 0),
  }));
}

export interface TotalCell {
  low: number;
  high: number;
  incidents: number;
  cities: number;
  provinces: number;
}

export async function totalTally(
  db: Executor,
  f: IncidentFilter,
  options: { cities?: boolean } = {},
): Promise<TotalCell> {
  // Sums and provinces come from the province cells whenever no single city is asked for; distinct cities need
  // place-level rows, which the city cells hold by month (or the incidents, for dates inside a month).
  const sumSource = f.placeLevel === "city" ? chooseSource(f, true, "total") : "province_cells";
  const m = measures(sumSource, f.metric);
  // A cell's high sum is positive exactly when one of its incidents has a positive high end (counts are never
  // negative), so "places with a non-zero count" reads the same from cells as from incidents. Distinct places
  // are counted over a DISTINCT subquery rather than with count(distinct …), which PostgreSQL always answers
  // by sorting every cell; the subquery lets it hash the few thousand places instead.
  const sums = sql<Record<string, unknown>>`
      select coalesce(${m.low}, 0) as low, coalesce(${m.high}, 0) as high, coalesce(${m.n}, 0) as incidents
      from ${sql.table(sumSource)}
      where ${where(sumSource, f)}`.execute(db);
  const provinces = distinctPlaces(db, sumSource, f, "province_id", sql`true`);
  const citySource = chooseSource(f, true, "total");
  const cities =
    options.cities === false
      ? Promise.resolve(0)
      : distinctPlaces(db, citySource, f, "place_id", sql`place_level in ('city', 'locality', 'county')`);
  // Three independent reads: on PostgreSQL they run on separate connections at once.
  const [sumRows, provinceCount, cityCount] = await Promise.all([sums, provinces, cities]);
  const row = sumRows.rows[0] as Record<string, unknown>;
  return {
    low: Number(row.low),
    high: Number(row.high),
    incidents: Number(row.incidents),
    cities: cityCount,
    provinces: provinceCount,
  };
}

/** The number of distinct places (by `column`) with a positive count, among the rows that pass `extra`. */
async function distinctPlaces(
  db: Executor,
  source: Source,
  f: IncidentFilter,
  column: "province_id" | "place_id",
  extra: RawBuilder<unknown>,
): Promise<number> {
  const m = measures(source, f.metric);
  const r = await sql<{ n: unknown }>`
    select count(*) as n from (
      select distinct ${key(source, column)} as k from ${sql.table(source)}
      where ${where(source, f)} and ${m.high1} > 0 and ${extra}
    ) places where k is not null`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
