/**
 * Importing incidents: validate every row, resolve its place, and write it idempotently.
 * All or nothing: one transaction holds the whole file, so a bad row, a crash or a kill leaves the ledger as it
 * was. With `skipInvalid`, bad rows are set aside and reported, and the good ones are written.
 */
import { createHash } from "node:crypto";
import { monthKey, weekKey } from "../../core/dates.js";
import { fieldErrors, INCIDENT_FIELDS, IncidentRecord } from "../../core/records.js";
import { METRICS } from "../../core/vocabulary.js";
import { appendHistory } from "../../store/repositories/history.js";
import { type Executor, upsertBatch } from "../../store/repositories/rows.js";
import { ensureSource, sourceKey } from "../../store/repositories/sources.js";
import type { NewIncidentRow } from "../../store/schema.js";
import { type Ledger, timestamp } from "../ledger.js";
import { PlaceResolver } from "../place-columns.js";
import { type ImportOptions, type ImportReport, runImport } from "./run.js";

const KNOWN = new Set<string>(INCIDENT_FIELDS);

export async function importIncidents(
  ledger: Ledger,
  records: AsyncIterable<{ line: number; record: Record<string, unknown> }>,
  options: ImportOptions,
): Promise<ImportReport> {
  const places = new PlaceResolver(ledger.gazetteer, options.allowUnresolved ?? false);
  const now = timestamp(ledger);
  const sourceIds = new Map<string, number>();

  return runImport<NewIncidentRow>(ledger, records, options, {
    prepare(record) {
      const parsed = IncidentRecord.safeParse(record);
      if (!parsed.success) return { errors: fieldErrors(parsed.error) };
      const r = parsed.data;
      const qualified =
        r.place && r.province && !r.place.includes("(") && r.place !== r.province
          ? `${r.place} (${r.province})`
          : r.place;
      const place = places.columns({ ...r, place: qualified });
      if (!place.ok) return { errors: [{ field: "place", message: place.message }] };
      const attributes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record)) {
        if (KNOWN.has(k) || v === "" || v === null || v === undefined) continue;
        // An export writes the attributes back as one JSON column; reading it back restores them.
        if (k === "attributes") Object.assign(attributes, parseAttributes(v));
        else attributes[k] = v;
      }
      const source = r.source ?? options.source ?? null;
      const dateEnd = r.date_end ? (r.date_end.dateEnd ?? r.date_end.date) : r.date.dateEnd;
      const row: Omit<NewIncidentRow, "source_id" | "row_key" | "row_hash" | "created_at" | "updated_at"> = {
        external_id: r.external_id ?? null,
        type: r.type,
        date: r.date.date,
        date_end: dateEnd,
        date_precision: r.date.precision,
        week: weekKey(r.date.date),
        month: monthKey(r.date.date),
        ...place.columns,
        description: r.description ?? null,
        url: r.url ?? null,
        status: r.status ?? options.status ?? "submitted",
        grade: r.grade ?? null,
        attributes: Object.keys(attributes).length ? JSON.stringify(attributes) : null,
        merged_into: null,
        submitted_by: null,
        ...metricColumns(r),
      };
      return {
        unresolved: place.unresolved,
        async finish(db: Executor): Promise<NewIncidentRow> {
          let sourceId: number | null = null;
          if (source) {
            const key = sourceKey(source);
            sourceId = sourceIds.get(key) ?? null;
            if (sourceId === null) {
              sourceId = await ensureSource(db, source, r.source_kind ?? options.sourceKind ?? "other", now);
              sourceIds.set(key, sourceId);
            }
          }
          const content = JSON.stringify({ ...row, source: source ? sourceKey(source) : null });
          const rowHash = sha256(content);
          const rowKey = row.external_id ? `x:${sourceId ?? ""}:${row.external_id}` : `h:${rowHash}`;
          return {
            ...row,
            source_id: sourceId,
            row_key: rowKey,
            row_hash: rowHash,
            created_at: now,
            updated_at: now,
          };
        },
      };
    },
    async write(db, rows, actor) {
      // Review decisions made after import (status, grade, merges) survive a re-import of a changed row.
      const outcome = await upsertBatch(db, "incidents", rows, ["status", "grade", "merged_into"]);
      await appendHistory(
        db,
        outcome.changes.map((c) => ({
          entity: "incident" as const,
          entityId: c.id,
          action: "import.update",
          actor,
          before: c.before,
          after: c.after,
          at: now,
        })),
      );
      return outcome;
    },
  });
}

function metricColumns(r: IncidentRecord) {
  const out: Record<string, number | null> = {};
  for (const m of METRICS) {
    const v = r[m];
    out[`${m}_low`] = v ? v.low : null;
    out[`${m}_high`] = v ? v.high : null;
  }
  return out as Pick<NewIncidentRow, `${(typeof METRICS)[number]}_low` | `${(typeof METRICS)[number]}_high`>;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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
