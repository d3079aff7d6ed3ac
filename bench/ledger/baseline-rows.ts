/**
 * The baselines' rows: the same synthetic rows the import reads from the CSV, already in the exact shape the
 * import writes (every column, places resolved beforehand, once per distinct name), so that the baseline is
 * the database's own cost of storing them: no parsing, validation, resolution, idempotency or tally upkeep.
 */
import { monthKey, weekKey } from "../../src/core/dates.js";
import { METRICS } from "../../src/core/vocabulary.js";
import { loadGazetteer } from "../../src/gazetteer/index.js";
import { PlaceResolver } from "../../src/services/place-columns.js";
import { benchRows } from "../lib/incidents-file.js";

export const BASELINE_COLUMNS = [
  "source_id",
  "external_id",
  "row_key",
  "row_hash",
  "type",
  "date",
  "date_end",
  "date_precision",
  "week",
  "month",
  "place_id",
  "place_name",
  "place_level",
  "geo_precision",
  "province_id",
  "province",
  "country",
  "lat",
  "lon",
  ...METRICS.flatMap((m) => [`${m}_low`, `${m}_high`]),
  "description",
  "url",
  "status",
  "grade",
  "attributes",
  "merged_into",
  "submitted_by",
  "created_at",
  "updated_at",
];

export function* baselineChunks(n: number, size = 10_000): Generator<unknown[][]> {
  const places = new PlaceResolver(loadGazetteer(), true);
  let chunk: unknown[][] = [];
  let i = 0;
  for (const r of benchRows(n)) {
    const place = places.columns({ place: r.place, country: r.country });
    if (!place.ok) throw new Error(place.message);
    const [kl, kh] = r.killed.split("-");
    const counts: Record<string, number | null> = {};
    for (const m of METRICS) {
      counts[`${m}_low`] = null;
      counts[`${m}_high`] = null;
    }
    counts.killed_low = Number(kl);
    counts.killed_high = Number(kh ?? kl);
    counts.injured_low = counts.injured_high = Number(r.injured);
    counts.arrested_low = counts.arrested_high = Number(r.arrested);
    const row: Record<string, unknown> = {
      source_id: null,
      external_id: r.external_id,
      row_key: `x:${r.external_id}`,
      row_hash: `h${i++}`,
      type: r.type,
      date: r.date,
      date_end: null,
      date_precision: "day",
      week: weekKey(r.date),
      month: monthKey(r.date),
      ...place.columns,
      ...counts,
      description: r.description,
      url: null,
      status: "submitted",
      grade: null,
      attributes: null,
      merged_into: null,
      submitted_by: null,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
    chunk.push(BASELINE_COLUMNS.map((c) => row[c] ?? null));
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}
