/**
 * Idempotent batch writes shared by the incident and claim imports. A row is known by its `row_key`;
 * its `row_hash` says whether its content changed. Unchanged rows cost one indexed look-up per batch.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.js";

export type Executor = Kysely<Database> | Transaction<Database>;
type KeyedTable = "incidents" | "claims";

export interface BatchOutcome<Row> {
  inserted: number;
  updated: number;
  unchanged: number;
  /** The rows that changed, with their stored version before the change, for the history. */
  changes: { id: number; before: Record<string, unknown>; after: Row }[];
}

/** SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535; stay well below both. */
const MAX_PARAMS = 30_000;

export async function upsertBatch<Row extends { row_key: string; row_hash: string }>(
  db: Executor,
  table: KeyedTable,
  rows: readonly Row[],
  /** Columns that an update must not overwrite, such as review status set after import. */
  keep: readonly string[] = [],
): Promise<BatchOutcome<Row>> {
  const outcome: BatchOutcome<Row> = { inserted: 0, updated: 0, unchanged: 0, changes: [] };
  if (rows.length === 0) return outcome;
  const existing = new Map<string, Record<string, unknown>>();
  for (const keys of chunk(
    rows.map((r) => r.row_key),
    5000,
  )) {
    // biome-ignore lint/suspicious/noExplicitAny: the two keyed tables share these columns; Kysely cannot see that through a union.
    const found = await (db as Kysely<any>)
      .selectFrom(table)
      .selectAll()
      .where("row_key", "in", keys)
      .execute();
    for (const f of found) existing.set(f.row_key as string, f);
  }
  const fresh: Row[] = [];
  for (const row of rows) {
    const prior = existing.get(row.row_key);
    if (!prior) fresh.push(row);
    else if (prior.row_hash === row.row_hash) outcome.unchanged++;
    else {
      const update: Record<string, unknown> = { ...row };
      for (const k of keep) delete update[k];
      delete update.created_at;
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      await (db as Kysely<any>)
        .updateTable(table)
        .set(update)
        .where("id", "=", prior.id as number)
        .execute();
      outcome.updated++;
      outcome.changes.push({ id: prior.id as number, before: prior, after: row });
    }
  }
  if (fresh.length) {
    const perRow = Object.keys(fresh[0] as object).length;
    for (const part of chunk(fresh, Math.max(1, Math.floor(MAX_PARAMS / perRow)))) {
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      await (db as Kysely<any>).insertInto(table).values(part).execute();
    }
    outcome.inserted = fresh.length;
  }
  return outcome;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
