/**
 * Open-data exports of incidents and claims, streamed page by page so that a million rows never sit in memory.
 * The CSV columns are the import columns: an exported file re-imports to the same ledger.
 */
import { csvLine } from "../../core/csv.js";
import { NEVER_PUBLISHED } from "../../core/publication.js";
import { formatRange } from "../../core/quantity.js";
import { METRICS } from "../../core/vocabulary.js";
import type { ClaimRow, IncidentRow } from "../../store/schema.js";
import type { Ledger } from "../ledger.js";

export const EXPORT_FORMATS = ["csv", "json", "ndjson", "geojson", "hxl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportKind = "incidents" | "claims";

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  hxl: "text/csv; charset=utf-8",
  json: "application/json",
  ndjson: "application/x-ndjson",
  geojson: "application/geo+json",
};

const PAGE = 5000;

type Column<R> = { name: string; hxl: string; value: (r: R) => unknown };

const incidentColumns: Column<IncidentRow & { source_name: string | null; source_kind: string | null }>[] = [
  { name: "id", hxl: "#event+id+ledger", value: (r) => r.id },
  { name: "external_id", hxl: "#event+id", value: (r) => r.external_id },
  { name: "date", hxl: "#date", value: (r) => dateAsWritten(r) },
  { name: "date_end", hxl: "#date+end", value: (r) => (r.date_precision === "day" ? r.date_end : null) },
  { name: "place", hxl: "#loc+name", value: (r) => placeAsWritten(r) },
  { name: "province", hxl: "#adm1+name", value: (r) => r.province },
  { name: "country", hxl: "#country+code", value: (r) => r.country },
  { name: "lat", hxl: "#geo+lat", value: (r) => r.lat },
  { name: "lon", hxl: "#geo+lon", value: (r) => r.lon },
  { name: "type", hxl: "#event+type", value: (r) => r.type },
  ...METRICS.map((m) => ({
    name: m,
    hxl: `#affected+${m}`,
    value: (r: IncidentRow) => {
      const low = r[`${m}_low`];
      return low === null ? null : formatRange({ low, high: r[`${m}_high`] });
    },
  })),
  { name: "source", hxl: "#meta+source", value: (r) => r.source_name },
  { name: "source_kind", hxl: "#meta+source+type", value: (r) => r.source_kind },
  { name: "url", hxl: "#meta+url", value: (r) => r.url },
  { name: "description", hxl: "#description", value: (r) => r.description },
  { name: "status", hxl: "#status", value: (r) => r.status },
  { name: "grade", hxl: "#status+grade", value: (r) => r.grade },
  { name: "attributes", hxl: "#meta+attributes", value: (r) => r.attributes },
];

const claimColumns: Column<ClaimRow & { source_name: string; source_kind: string }>[] = [
  { name: "id", hxl: "#claim+id", value: (r) => r.id },
  { name: "source", hxl: "#meta+source", value: (r) => r.source_name },
  { name: "source_kind", hxl: "#meta+source+type", value: (r) => r.source_kind },
  { name: "metric", hxl: "#indicator+metric", value: (r) => r.metric },
  { name: "low", hxl: "#affected+min", value: (r) => r.low },
  { name: "high", hxl: "#affected+max", value: (r) => r.high },
  { name: "qualifier", hxl: "#indicator+qualifier", value: (r) => r.qualifier },
  { name: "as_of", hxl: "#date+reported", value: (r) => r.as_of },
  { name: "period_from", hxl: "#date+start", value: (r) => r.period_from },
  { name: "period_to", hxl: "#date+end", value: (r) => r.period_to },
  { name: "place", hxl: "#loc+name", value: (r) => placeAsWritten(r) },
  { name: "country", hxl: "#country+code", value: (r) => r.country },
  { name: "context", hxl: "#crisis+name", value: (r) => r.context },
  { name: "url", hxl: "#meta+url", value: (r) => r.url },
  { name: "quote", hxl: "#description+quote", value: (r) => r.quote },
  { name: "status", hxl: "#status", value: (r) => r.status },
];

/** The date as the import reads it: its written form carries its precision. */
function dateAsWritten(r: IncidentRow): string {
  if (r.date_precision === "month") return r.date.slice(0, 7);
  if (r.date_precision === "year") return r.date.slice(0, 4);
  return r.date;
}

/** A place the resolver finds again: a city with its province as qualifier, a province by its name. */
function placeAsWritten(r: {
  place_id: string | null;
  place_name: string | null;
  place_level: string | null;
  province: string | null;
}): string | null {
  if (!r.place_name) return null;
  if (!r.place_id || r.place_level === "province" || r.place_level === "country" || !r.province)
    return r.place_name;
  return `${r.place_name} (${r.province})`;
}

export async function* exportLedger(
  ledger: Ledger,
  kind: ExportKind,
  format: ExportFormat,
): AsyncGenerator<string> {
  const columns = (kind === "incidents" ? incidentColumns : claimColumns) as Column<
    Record<string, unknown>
  >[];
  const pages = kind === "incidents" ? incidentPages(ledger) : claimPages(ledger);
  const record = (r: Record<string, unknown>) => Object.fromEntries(columns.map((c) => [c.name, c.value(r)]));
  if (format === "csv" || format === "hxl") {
    yield csvLine(columns.map((c) => c.name));
    if (format === "hxl") yield csvLine(columns.map((c) => c.hxl));
    for await (const page of pages) yield page.map((r) => csvLine(columns.map((c) => c.value(r)))).join("");
    return;
  }
  if (format === "ndjson") {
    for await (const page of pages) yield page.map((r) => `${JSON.stringify(record(r))}\n`).join("");
    return;
  }
  const geo = format === "geojson";
  yield geo ? '{"type":"FeatureCollection","features":[' : "[";
  let first = true;
  for await (const page of pages) {
    const parts = page.map((r) => {
      const value = geo ? feature(r, record(r)) : record(r);
      return JSON.stringify(value);
    });
    if (parts.length) {
      yield (first ? "" : ",") + parts.join(",");
      first = false;
    }
  }
  yield geo ? "]}" : "]";
}

function feature(r: Record<string, unknown>, properties: Record<string, unknown>) {
  const lat = r.lat as number | null | undefined;
  const lon = r.lon as number | null | undefined;
  // RFC 7946: positions are [longitude, latitude]; a feature with no known location has a null geometry.
  const geometry =
    typeof lat === "number" && typeof lon === "number" ? { type: "Point", coordinates: [lon, lat] } : null;
  return { type: "Feature", id: r.id, geometry, properties };
}

async function* incidentPages(ledger: Ledger) {
  let after = 0;
  for (;;) {
    const rows = await ledger.store.db
      .selectFrom("incidents")
      .leftJoin("sources", "sources.id", "incidents.source_id")
      .selectAll("incidents")
      .select(["sources.name as source_name", "sources.kind as source_kind"])
      .where("incidents.id", ">", after)
      .where("incidents.merged_into", "is", null)
      // Open data holds what is published: no candidates, nothing rejected, no field reports before review.
      .where("incidents.published", "=", 1)
      .orderBy("incidents.id")
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    yield rows as unknown as Record<string, unknown>[];
  }
}

async function* claimPages(ledger: Ledger) {
  let after = 0;
  for (;;) {
    const rows = await ledger.store.db
      .selectFrom("claims")
      .innerJoin("sources", "sources.id", "claims.source_id")
      .selectAll("claims")
      .select(["sources.name as source_name", "sources.kind as source_kind"])
      .where("claims.id", ">", after)
      .where("claims.status", "not in", [...NEVER_PUBLISHED])
      .orderBy("claims.id")
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    yield rows as unknown as Record<string, unknown>[];
  }
}
