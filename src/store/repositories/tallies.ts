/**
 * The tally queries. Grouping happens in SQL on plain columns (place ids and precomputed period keys), so the
 * same statement runs on SQLite and PostgreSQL and reads each incident once.
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Period, TallyLevel } from "../../core/tally.js";
import type { Grade, IncidentType, Metric } from "../../core/vocabulary.js";
import { HEADLINE_GRADES } from "../../core/vocabulary.js";
import type { Database } from "../schema.js";
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

const PERIOD_COLUMN = { day: "date", week: "week", month: "month" } as const;

function lowCol(metric: Metric) {
  return sql.ref<number>(`${metric}_low`);
}
function highCol(metric: Metric) {
  return sql.ref<number>(`${metric}_high`);
}

export function applyFilter<O>(
  q: SelectQueryBuilder<Database, "incidents", O>,
  f: IncidentFilter,
): SelectQueryBuilder<Database, "incidents", O> {
  let out = q.where("merged_into", "is", null).where(lowCol(f.metric), "is not", null);
  out =
    f.status === "verified" ? out.where("status", "=", "verified") : out.where("status", "<>", "rejected");
  if (f.from) out = out.where("date", ">=", f.from);
  if (f.to) out = out.where("date", "<=", f.to);
  if (f.grade === "headline") out = out.where("grade", "in", [...HEADLINE_GRADES]);
  else if (f.grade) out = out.where("grade", "=", f.grade);
  if (f.type) out = out.where("type", "=", f.type);
  if (f.country) out = out.where("country", "=", f.country);
  if (f.province)
    out = out.where((eb: ExpressionBuilder<Database, "incidents">) =>
      eb.or([eb("province", "=", f.province as string), eb("province_id", "=", f.province as string)]),
    );
  if (f.placeId) {
    if (f.placeLevel === "province") out = out.where("province_id", "=", f.placeId);
    else if (f.placeLevel === "city") out = out.where("place_id", "=", f.placeId);
  }
  return out;
}

export async function groupedTally(
  db: Executor,
  f: IncidentFilter,
  by: TallyLevel,
  period: Period,
): Promise<GroupedCell[]> {
  const periodRef = period === "total" ? null : sql.ref<string>(PERIOD_COLUMN[period]);
  const cols = ["country"] as const;
  let q = applyFilter(db.selectFrom("incidents"), f).select([
    ...cols,
    sql<number>`sum(${lowCol(f.metric)})`.as("low"),
    sql<number>`sum(${highCol(f.metric)})`.as("high"),
    sql<number>`count(*)`.as("incidents"),
  ]);
  const groups: string[] = ["country"];
  if (by === "province" || by === "city") {
    q = q.select(["province_id", "province"]) as typeof q;
    groups.push("province_id", "province");
  }
  if (by === "city") {
    q = q.select(["place_id", "place_name", "place_level"]) as typeof q;
    groups.push("place_id", "place_name", "place_level");
  }
  if (periodRef) {
    q = q.select(periodRef.as("period")) as typeof q;
  }
  // biome-ignore lint/suspicious/noExplicitAny: group-by columns are chosen from the fixed lists above.
  let grouped = q.groupBy(groups as any);
  if (periodRef) grouped = grouped.groupBy(periodRef);
  const rows = (await grouped.execute()) as unknown as Partial<GroupedCell>[];
  return rows.map((r) => ({
    country: r.country ?? null,
    province_id: r.province_id ?? null,
    province: r.province ?? null,
    place_id: r.place_id ?? null,
    place_name: r.place_name ?? null,
    place_level: r.place_level ?? null,
    period: r.period ?? null,
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

export async function totalTally(db: Executor, f: IncidentFilter): Promise<TotalCell> {
  const h = highCol(f.metric);
  const row = await applyFilter(db.selectFrom("incidents"), f)
    .select([
      sql<number>`coalesce(sum(${lowCol(f.metric)}), 0)`.as("low"),
      sql<number>`coalesce(sum(${h}), 0)`.as("high"),
      sql<number>`count(*)`.as("incidents"),
      // Cities: distinct settlements with a non-zero count. Province-level and unresolved rows name no city.
      sql<number>`count(distinct case when ${h} > 0 and place_level in ('city', 'locality', 'county') then place_id end)`.as(
        "cities",
      ),
      sql<number>`count(distinct case when ${h} > 0 then province_id end)`.as("provinces"),
    ])
    .executeTakeFirstOrThrow();
  return {
    low: Number(row.low),
    high: Number(row.high),
    incidents: Number(row.incidents),
    cities: Number(row.cities),
    provinces: Number(row.provinces),
  };
}
