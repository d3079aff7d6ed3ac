/**
 * Importing incidents: validate every row, resolve its place, and write it idempotently.
 * All or nothing: one transaction holds the whole file, so a bad row, a crash or a kill leaves the ledger as it
 * was. With `skipInvalid`, bad rows are set aside and reported, and the good ones are written.
 */

import { monthKey, WeekKeys } from "../../core/dates.js";
import { sha256Hex } from "../../core/hash.js";
import { publishedOnEntry } from "../../core/publication.js";
import { fieldErrors, INCIDENT_FIELDS, IncidentRecord } from "../../core/records.js";
import { METRICS } from "../../core/vocabulary.js";
import { refreshStatistics } from "../../store/db.js";
import { applyCellDeltas, CellDeltas } from "../../store/repositories/cells.js";
import { type Executor, upsertBatch } from "../../store/repositories/rows.js";
import { ensureSource, sourceKey } from "../../store/repositories/sources.js";
import type { NewIncidentRow } from "../../store/schema.js";
import { type Ledger, timestamp } from "../ledger.js";
import { PlaceResolver } from "../place-columns.js";
import { HeapGuard } from "./heap.js";
import { appendImportHistory, type ImportOptions, type ImportReport, runImport } from "./run.js";

const KNOWN = new Set<string>(INCIDENT_FIELDS);
/**
 * Pending cells at which an import writes its tally deltas before going on. It bounds the memory they take
 * (a few hundred bytes a cell), and is above the number of cells most imports touch, so that each cell is
 * written once per import: at a million rows the cells are about a sixth as many as the rows.
 */
const CELL_FLUSH = 250_000;

export async function importIncidents(
  ledger: Ledger,
  records: AsyncIterable<{ line: number; record: Record<string, unknown> }>,
  options: ImportOptions,
): Promise<ImportReport> {
  const places = new PlaceResolver(ledger.gazetteer, options.allowUnresolved ?? false);
  const now = timestamp(ledger);
  const sourceIds = new Map<string, number>();
  // Most files name a handful of sources a million times: each name is normalised once.
  const sourceKeys = new Map<string, string>();
  const keyOf = (name: string) => {
    let k = sourceKeys.get(name);
    if (k === undefined) {
      k = sourceKey(name);
      if (sourceKeys.size < 10_000) sourceKeys.set(name, k);
    }
    return k;
  };
  const weeks = new WeekKeys();
  const deltas = new CellDeltas();
  const heap = new HeapGuard();

  const report = await runImport<NewIncidentRow>(
    ledger,
    records,
    { ...options, heap },
    {
      prepare(record) {
        const parsed = IncidentRecord.safeParse(record);
        if (!parsed.success) return { errors: fieldErrors(parsed.error) };
        const r = parsed.data;
        const qualified =
          r.place && r.province && !r.place.includes("(") && r.place !== r.province
            ? `${r.place} (${r.province})`
            : r.place;
        const place = places.columns({ place: qualified, country: r.country, lat: r.lat, lon: r.lon });
        if (!place.ok) return { errors: [{ field: "place", message: place.message }] };
        let attributes: Record<string, unknown> | null = null;
        for (const k in record) {
          const v = record[k];
          if (KNOWN.has(k) || v === "" || v === null || v === undefined) continue;
          attributes ??= {};
          // An export writes the attributes back as one JSON column; reading it back restores them.
          if (k === "attributes") Object.assign(attributes, parseAttributes(v));
          else attributes[k] = v;
        }
        const source = r.source ?? options.source ?? null;
        const key = source === null ? "" : keyOf(source);
        const dateEnd = r.date_end ? (r.date_end.dateEnd ?? r.date_end.date) : r.date.dateEnd;
        const c = place.columns;
        // Built in one shape, in a fixed key order (the content hash relies on it); finish() fills in the rest.
        const row: NewIncidentRow = {
          source_id: null,
          external_id: r.external_id ?? null,
          row_key: "",
          row_hash: "",
          type: r.type,
          date: r.date.date,
          date_end: dateEnd,
          date_precision: r.date.precision,
          week: weeks.of(r.date.date),
          month: monthKey(r.date.date),
          place_id: c.place_id,
          place_name: c.place_name,
          place_level: c.place_level,
          geo_precision: c.geo_precision,
          province_id: c.province_id,
          province: c.province,
          country: c.country,
          lat: c.lat,
          lon: c.lon,
          ...metricColumns(r),
          description: r.description ?? null,
          url: r.url ?? null,
          status: r.status ?? options.status ?? "submitted",
          grade: r.grade ?? null,
          attributes: attributes ? JSON.stringify(attributes) : null,
          merged_into: null,
          submitted_by: options.submittedBy ?? null,
          created_at: now,
          updated_at: now,
        };
        const published = publishedOnEntry(row.status, options.unreviewed ?? false) ? 1 : 0;
        // Only what finish() needs is kept while the row waits for its batch (not the parsed record).
        const kind = r.source_kind ?? options.sourceKind ?? "other";
        return {
          unresolved: place.unresolved,
          async finish(db: Executor): Promise<NewIncidentRow> {
            let sourceId: number | null = null;
            if (source !== null) {
              sourceId = sourceIds.get(key) ?? null;
              if (sourceId === null) {
                sourceId = await ensureSource(db, source, kind, now);
                sourceIds.set(key, sourceId);
              }
            }
            // The hash covers the content, not the bookkeeping: the source by name, and no timestamps or keys.
            row.created_at = "";
            row.updated_at = "";
            row.row_hash = contentHash(row, key);
            // Set after the content hash, which it is not part of: whether a row counts in public is the
            // review's business, and a file imported again must find its rows unchanged.
            row.published = published;
            row.created_at = now;
            row.updated_at = now;
            row.source_id = sourceId;
            const identity = row.external_id ? `x:${sourceId ?? ""}:${row.external_id}` : `h:${row.row_hash}`;
            row.row_key = options.keyScope ? `${options.keyScope}|${identity}` : identity;
            return row;
          },
        };
      },
      async write(db, rows, actor, turn) {
        // The rows are counted into the tally deltas before they are written, while the previous batch is
        // still on the server; those found already stored are taken out again once the write says which.
        for (const r of rows) deltas.insert(r);
        // Review decisions made after import (status, grade, merges) survive a re-import of a changed row.
        const outcome = await upsertBatch(
          ledger.store,
          db,
          "incidents",
          rows,
          ["status", "grade", "merged_into", "published"],
          turn,
        );
        for (const r of outcome.alreadyStored) deltas.remove(r);
        for (const c of outcome.changes) deltas.change(c.before, c.after);
        // Deltas are summed in memory across batches and written when many cells are pending, and at the end:
        // a cell then gets one write per import instead of one per batch (PostgreSQL pays for every row version).
        if (deltas.size >= CELL_FLUSH)
          await applyCellDeltas(ledger.store, db, deltas.take(), () => heap.check());
        await appendImportHistory(db, "incident", outcome.changes, actor, now);
        return outcome;
      },
      async finish(db) {
        await applyCellDeltas(ledger.store, db, deltas.take(), () => heap.check());
      },
    },
  );
  if (report.inserted > 10_000)
    await refreshStatistics(ledger.store, ["incidents", "province_cells", "city_cells"]);
  return report;
}

const METRIC_COLUMNS = METRICS.map((m) => [m, `${m}_low`, `${m}_high`] as const);

function metricColumns(r: IncidentRecord) {
  const out: Record<string, number | null> = {};
  for (const [m, low, high] of METRIC_COLUMNS) {
    const v = r[m];
    out[low] = v ? v.low : null;
    out[high] = v ? v.high : null;
  }
  return out as Pick<NewIncidentRow, `${(typeof METRICS)[number]}_low` | `${(typeof METRICS)[number]}_high`>;
}

/**
 * The hash of a row's content, over its values in their fixed order (rows are always built by the same code, so
 * the order is stable). Cheaper than hashing JSON, which matters at a million rows.
 */
export function contentHash(row: object, source: string): string {
  return sha256Hex(`${Object.values(row).join("\u001f")}\u001f${source}`);
}

function parseAttributes(v: unknown): Record<string, unknown> {
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v === "string") {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // Not JSON: kept as a plain attribute below.
    }
  }
  return { attributes: v };
}
