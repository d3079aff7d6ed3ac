/**
 * Importing claims: each row is a figure that a named source asserts, with its scope and citation.
 * Same guarantees as the incident import (one transaction, idempotent, every bad row listed).
 */
import { quantityOf } from "../../core/quantity.js";
import { CLAIM_FIELDS, ClaimRecord, fieldErrors } from "../../core/records.js";
import type { Qualifier } from "../../core/vocabulary.js";
import { upsertBatch } from "../../store/repositories/rows.js";
import { ensureSource, sourceKey } from "../../store/repositories/sources.js";
import type { NewClaimRow } from "../../store/schema.js";
import { type Ledger, timestamp } from "../ledger.js";
import { PlaceResolver } from "../place-columns.js";
import { contentHash } from "./incidents.js";
import { appendImportHistory, type ImportOptions, type ImportReport, runImport } from "./run.js";

export const CLAIM_COLUMNS = CLAIM_FIELDS;

export async function importClaims(
  ledger: Ledger,
  records: AsyncIterable<{ line: number; record: Record<string, unknown> }>,
  options: ImportOptions,
): Promise<ImportReport> {
  const places = new PlaceResolver(ledger.gazetteer, options.allowUnresolved ?? false);
  const now = timestamp(ledger);
  const sourceIds = new Map<string, number>();

  return runImport<NewClaimRow>(ledger, records, options, {
    prepare(record) {
      const parsed = ClaimRecord.safeParse(record);
      if (!parsed.success) return { errors: fieldErrors(parsed.error) };
      const r = parsed.data;
      const place = r.place || r.country ? places.columns(r) : null;
      if (place && !place.ok) return { errors: [{ field: "place", message: place.message }] };
      const qualifier: Qualifier =
        r.qualifier ?? (r.high !== undefined && r.high !== r.low ? "range" : "exact");
      const q = quantityOf(qualifier, r.low, r.high);
      const cols = place?.ok ? place.columns : null;
      const row = {
        metric: r.metric,
        low: q.low,
        high: q.high,
        qualifier: q.qualifier,
        as_of: r.as_of?.date ?? null,
        period_from: r.period_from?.date ?? null,
        period_to: r.period_to ? (r.period_to.dateEnd ?? r.period_to.date) : null,
        place_id: cols?.place_id ?? null,
        place_name: cols?.place_name ?? null,
        place_level: cols?.place_level ?? null,
        province_id: cols?.province_id ?? null,
        province: cols?.province ?? null,
        country: cols?.country ?? r.country ?? null,
        context: r.context ?? null,
        document_id: null,
        span_start: null,
        span_end: null,
        url: r.url ?? null,
        quote: r.quote ?? null,
        status: r.status ?? options.status ?? "submitted",
      };
      return {
        unresolved: place?.ok ? place.unresolved : false,
        async finish(db) {
          const key = sourceKey(r.source);
          let sourceId = sourceIds.get(key);
          if (sourceId === undefined) {
            sourceId = await ensureSource(db, r.source, r.source_kind ?? options.sourceKind ?? "other", now);
            sourceIds.set(key, sourceId);
          }
          const rowHash = contentHash(row, key);
          const rowKey = r.external_id ? `x:${sourceId}:${r.external_id}` : `h:${rowHash}`;
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
    async write(db, rows, actor, turn) {
      const outcome = await upsertBatch(ledger.store, db, "claims", rows, ["status"], turn);
      await appendImportHistory(db, "claim", outcome.changes, actor, now);
      return outcome;
    },
  });
}
