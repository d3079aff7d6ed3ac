/**
 * Idempotent batch writes shared by the incident and claim imports. A row is known by its `row_key`;
 * its `row_hash` says whether its content changed, so an unchanged row costs one indexed look-up.
 *
 * This is the import's hot path, so each backend gets the statement shape it runs fastest: on SQLite, one
 * cached prepared statement per row on the shared connection; on PostgreSQL, one `unnest` insert per batch.
 * Both run inside the caller's transaction.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Store } from "../db.js";
import { pgArray } from "../pg-array.js";
import type { Database } from "../schema.js";
import { sealRows, sealWhere } from "./audit.js";

export type Executor = Kysely<Database> | Transaction<Database>;
type KeyedTable = "incidents" | "claims";

export interface BatchOutcome<Row> {
  inserted: number;
  updated: number;
  unchanged: number;
  /** The rows that changed, with their stored version before and after the change, for the history. */
  changes: { id: number; before: Record<string, unknown>; after: Record<string, unknown> }[];
  /** The rows inserted, as written. */
  insertedRows: Row[];
}

/** PostgreSQL array types of the keyed tables' non-text columns, for the `unnest` insert. */
const PG_TYPES: Record<KeyedTable, Record<string, string>> = {
  incidents: {
    source_id: "int4",
    merged_into: "int4",
    submitted_by: "int4",
    lat: "float8",
    lon: "float8",
  },
  claims: {
    source_id: "int4",
    low: "int8",
    high: "int8",
    document_id: "int4",
    span_start: "int4",
    span_end: "int4",
  },
};

function pgType(table: KeyedTable, column: string): string {
  if (table === "incidents" && (column.endsWith("_low") || column.endsWith("_high"))) return "int4";
  return PG_TYPES[table][column] ?? "text";
}

type Statements = { inserts: Map<string, import("better-sqlite3").Statement> };
const sqliteStatements = new WeakMap<object, Map<KeyedTable, Statements>>();

function statementsFor(sqlite: import("better-sqlite3").Database, table: KeyedTable): Statements {
  let byTable = sqliteStatements.get(sqlite);
  if (!byTable) {
    byTable = new Map();
    sqliteStatements.set(sqlite, byTable);
  }
  let s = byTable.get(table);
  if (!s) {
    s = { inserts: new Map() };
    byTable.set(table, s);
  }
  return s;
}

export async function upsertBatch<Row extends { row_key: string; row_hash: string }>(
  store: Store,
  db: Executor,
  table: KeyedTable,
  rows: readonly Row[],
  /** Columns that an update must not overwrite, such as review status set after import. */
  keep: readonly string[] = [],
): Promise<BatchOutcome<Row>> {
  const outcome: BatchOutcome<Row> = { inserted: 0, updated: 0, unchanged: 0, changes: [], insertedRows: [] };
  if (rows.length === 0) return outcome;
  const columns = Object.keys(rows[0] as object);
  const update = async (prior: Record<string, unknown>, row: Row) => {
    const patch: Record<string, unknown> = { ...row };
    for (const k of keep) delete patch[k];
    delete patch.created_at;
    // biome-ignore lint/suspicious/noExplicitAny: both keyed tables share row_key/row_hash/id; Kysely cannot see that through a union.
    await (db as Kysely<any>)
      .updateTable(table)
      .set(patch)
      .where("id", "=", prior.id as number)
      .execute();
    outcome.updated++;
    outcome.changes.push({ id: prior.id as number, before: prior, after: { ...prior, ...patch } });
  };
  // Inserted rows as stored, with their new ids; the rows that conflicted with a stored key.
  const stored: Record<string, unknown>[] = [];
  const conflicting: Row[] = [];

  if (store.sqlite) {
    const s = statementsFor(store.sqlite, table);
    const key = columns.join(",");
    let insert = s.inserts.get(key);
    if (!insert) {
      // Positional parameters in the order of `columns`; a conflicting key inserts nothing and says so.
      insert = store.sqlite.prepare(
        `insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")}) ` +
          "on conflict (row_key) do nothing",
      );
      s.inserts.set(key, insert);
    }
    const values = new Array<unknown>(columns.length);
    for (const row of rows) {
      const r = row as unknown as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) values[i] = r[columns[i] as string];
      const result = insert.run(values);
      if (result.changes === 1) {
        outcome.insertedRows.push(row);
        stored.push({ id: Number(result.lastInsertRowid), ...row });
      } else conflicting.push(row);
    }
  } else {
    // One statement per batch; a key already stored inserts nothing (and, on a concurrent import of the same
    // row, waits for the other transaction instead of failing), and the ids of the new rows come back.
    const arrays = columns.map((c) => {
      const values = rows.map((r) => (r as Record<string, unknown>)[c] ?? null);
      return sql`${pgArray(values)}::${sql.raw(pgType(table, c))}[]`;
    });
    const inserted = await sql<{ id: number; row_key: string }>`insert into ${sql.table(table)}
      (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})
      on conflict (row_key) do nothing returning id, row_key`.execute(db);
    const ids = new Map(inserted.rows.map((r) => [r.row_key, r.id]));
    for (const row of rows) {
      const id = ids.get(row.row_key);
      if (id === undefined) conflicting.push(row);
      else {
        outcome.insertedRows.push(row);
        stored.push({ id, ...row });
      }
    }
  }
  outcome.inserted = outcome.insertedRows.length;

  if (conflicting.length) {
    const found = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
      where row_key in (${sql.join(conflicting.map((r) => r.row_key))})`.execute(db);
    const prior = new Map(found.rows.map((f) => [f.row_key as string, f]));
    for (const row of conflicting) {
      const before = prior.get(row.row_key) as Record<string, unknown>;
      if (before.row_hash === row.row_hash) outcome.unchanged++;
      else await update(before, row);
    }
  }

  // Both backends store exactly the values bound (text, integers, doubles), so an inserted row as stored is the
  // row plus its new id: it is sealed from memory instead of being read back, which cost about as much as the
  // insert. Should the table ever hold a column the row does not (a default), rows are read back instead.
  const keys = outcome.changes.map((c) => c.after.row_key as string);
  if (stored.length && (await sameColumns(store, db, table, stored[0] as Record<string, unknown>)))
    await sealRows(db, table, stored, store);
  else for (const r of outcome.insertedRows) keys.push(r.row_key);
  if (keys.length) await sealWhere(db, table, "row_key", keys, store);
  return outcome;
}

const tableColumns = new WeakMap<object, Map<string, string>>();

/** Whether a row has exactly the table's columns (else its seal would not match the row as read back). */
async function sameColumns(
  store: Store,
  db: Executor,
  table: string,
  row: Record<string, unknown>,
): Promise<boolean> {
  let byTable = tableColumns.get(store);
  if (!byTable) {
    byTable = new Map();
    tableColumns.set(store, byTable);
  }
  let cols = byTable.get(table);
  if (cols === undefined) {
    const names = store.sqlite
      ? (store.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
      : (
          await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = current_schema() and table_name = ${table}`.execute(db)
        ).rows.map((c) => c.name);
    cols = names.sort().join(",");
    byTable.set(table, cols);
  }
  return Object.keys(row).sort().join(",") === cols;
}
