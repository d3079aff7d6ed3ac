/**
 * Idempotent batch writes shared by the incident and claim imports. A row is known by its `row_key`;
 * its `row_hash` says whether its content changed, so an unchanged row costs one indexed look-up.
 *
 * This is the import's hot path, so each backend gets the statement shape it runs fastest: on SQLite, one
 * cached prepared statement per row on the shared connection; on PostgreSQL, one statement per batch that
 * inserts the rows (from `unnest`ed arrays) and the seals of those it inserted.
 * Both run inside the caller's transaction.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Store } from "../db.js";
import { pgArray } from "../pg-array.js";
import type { Database } from "../schema.js";
import { rowHasher, sealInStatement, sealRows, sealWhere } from "./audit.js";

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
  /** The rows whose key was already stored (each then updated or unchanged). */
  alreadyStored: Row[];
}

/** PostgreSQL array types of the keyed tables' non-text columns, for the `unnest` insert. */
const PG_TYPES: Record<KeyedTable, Record<string, string>> = {
  incidents: {
    source_id: "int4",
    merged_into: "int4",
    submitted_by: "int4",
    published: "int4",
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
const sqliteStatements = new WeakMap<object, Map<string, Statements>>();

/** A value kept per owner (a connection, a transaction) and table, made on first use. */
function perTable<T>(cache: WeakMap<object, Map<string, T>>, owner: object, table: string, make: () => T): T {
  let byTable = cache.get(owner);
  if (!byTable) {
    byTable = new Map();
    cache.set(owner, byTable);
  }
  let value = byTable.get(table);
  if (value === undefined) {
    value = make();
    byTable.set(table, value);
  }
  return value;
}

const statementsFor = (sqlite: import("better-sqlite3").Database, table: KeyedTable): Statements =>
  perTable(sqliteStatements, sqlite, table, () => ({ inserts: new Map() }));

export async function upsertBatch<Row extends { row_key: string; row_hash: string }>(
  store: Store,
  db: Executor,
  table: KeyedTable,
  rows: readonly Row[],
  /** Columns that an update must not overwrite, such as review status set after import. */
  keep: readonly string[] = [],
  /**
   * When the database may be used: until then only the statement is built. An import builds batch k+1's
   * statement while batch k is written (services/import/run.ts).
   */
  turn: Promise<void> = Promise.resolve(),
): Promise<BatchOutcome<Row>> {
  const outcome: BatchOutcome<Row> = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    changes: [],
    insertedRows: [],
    alreadyStored: [],
  };
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
  const conflicting = outcome.alreadyStored;
  let sealedAlready = false;

  if (store.sqlite) {
    await turn;
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
  } else if (await sameColumns(store, db, table, { id: 0, ...rows[0] })) {
    // One statement per batch inserts the rows and seals those it inserted. The rows get their ids from the
    // table's sequence beforehand, so that their seals are hashed before the statement is sent; a key already
    // stored inserts nothing (and, on a concurrent import of the same row, waits for the other transaction
    // instead of failing), and is left out of the seals.
    // Before its turn, a batch only reads the catalog and takes ids from the sequence: nothing an earlier
    // batch's outcome could change.
    const pool = idPool(db, table);
    const ids = await takeIds(db, table, pool, rows.length);
    const refill = pool.refillFor(rows.length);
    const all = ["id", ...columns];
    const hash = rowHasher(table, all);
    const hashes = rows.map((r, i) => hash(r, ids[i]));
    const arrays = all.map((c) => {
      const values = c === "id" ? ids : rows.map((r) => (r as Record<string, unknown>)[c] ?? null);
      return sql`${pgArray(values)}::${sql.raw(c === "id" ? "int4" : pgType(table, c))}[]`;
    });
    const refs = sql.join(all.map((c) => sql.ref(c)));
    await turn;
    await sealInStatement(db, table, async (slot) => {
      const r = await sql<{ inserted: number[] | null; ids: string[] | null }>`with v as (
          select * from unnest(${sql.join(arrays)}, ${pgArray(hashes)}::text[])
            with ordinality as v(${refs}, seal_hash, seal_ord)),
        ins as (insert into ${sql.table(table)} (${refs}) select ${refs} from v
          on conflict (row_key) do nothing returning id),
        sealed as (insert into audit_seals (changeset, n, tbl, row_id, hash)
          select ${slot.changeset}, ${slot.base - 1} + row_number() over (order by v.seal_ord), ${table},
            v.id::text, v.seal_hash
          from v join ins on ins.id = v.id)
        select (select array_agg(id) from ins) as inserted, (${nextIds(table, refill)}) as ids`.execute(db);
      const out = r.rows[0];
      pool.refilled(refill, out?.ids ?? []);
      const inserted = new Set(out?.inserted ?? []);
      const sealed: { id: string; hash: string }[] = [];
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as Row;
        if (inserted.has(ids[i] as number)) {
          outcome.insertedRows.push(row);
          sealed.push({ id: String(ids[i]), hash: hashes[i] as string });
        } else conflicting.push(row);
      }
      return sealed;
    });
    sealedAlready = true;
  } else {
    // The table has columns the rows lack (defaults): the new rows are read back to be sealed as stored.
    await turn;
    const arrays = columns.map((c) => {
      const values = rows.map((r) => (r as Record<string, unknown>)[c] ?? null);
      return sql`${pgArray(values)}::${sql.raw(pgType(table, c))}[]`;
    });
    const inserted = await sql<{ row_key: string }>`insert into ${sql.table(table)}
      (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})
      on conflict (row_key) do nothing returning row_key`.execute(db);
    const keys = new Set(inserted.rows.map((r) => r.row_key));
    for (const row of rows) {
      if (keys.has(row.row_key)) outcome.insertedRows.push(row);
      else conflicting.push(row);
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
  // (On PostgreSQL the insert sealed its rows itself.)
  if (!sealedAlready) {
    if (stored.length && (await sameColumns(store, db, table, stored[0] as Record<string, unknown>)))
      await sealRows(db, table, stored, store);
    else for (const r of outcome.insertedRows) keys.push(r.row_key);
  }
  if (keys.length) await sealWhere(db, table, "row_key", keys, store);
  return outcome;
}

/**
 * Ids for rows about to be inserted, taken from the table's own sequence as a default would take them:
 * concurrent writers never get the same one, and ids of rows that end up not inserted are skipped, as after a
 * rollback. A bulk write keeps a pool of them per transaction, refilled by each batch's own statement, so that
 * the next batch can be hashed and built while this one is on the server, without asking for its ids first.
 */
class IdPool {
  ids: number[] = [];
  /** Ids asked for by statements still in flight. */
  private coming = 0;

  /**
   * How many ids a batch's statement should add. Only batches of a bulk size refill the pool, up to two
   * batches ahead: a small write takes exactly the ids it needs, and a bulk one leaves at most two batches of
   * ids unused when it ends.
   */
  refillFor(batch: number): number {
    if (batch < BULK) return 0;
    const n = Math.max(0, 2 * batch - this.ids.length - this.coming);
    this.coming += n;
    return n;
  }

  refilled(asked: number, ids: readonly (string | number)[]): void {
    this.coming -= asked;
    for (const id of ids) this.ids.push(Number(id));
  }
}

const BULK = 500;
const idPools = new WeakMap<object, Map<string, IdPool>>();
const idPool = (db: Executor, table: KeyedTable): IdPool => perTable(idPools, db, table, () => new IdPool());

/** A select of `n` new ids of the table, as one array (null for none). */
const nextIds = (table: KeyedTable, n: number) =>
  sql`select array_agg(nextval(s.seq)) from
    (select pg_get_serial_sequence(${table}, 'id')::regclass as seq) s, generate_series(1, ${n})`;

async function takeIds(db: Executor, table: KeyedTable, pool: IdPool, n: number): Promise<number[]> {
  if (pool.ids.length < n) {
    const want = n - pool.ids.length;
    const r = await sql<{ ids: string[] }>`select (${nextIds(table, want)}) as ids`.execute(db);
    pool.refilled(0, r.rows[0]?.ids ?? []);
  }
  return pool.ids.splice(0, n);
}

const tableColumns = new WeakMap<object, Map<string, Promise<string>>>();

/** Whether a row has exactly the table's columns (else its seal would not match the row as read back). */
async function sameColumns(
  store: Store,
  db: Executor,
  table: string,
  row: Record<string, unknown>,
): Promise<boolean> {
  const cols = await perTable(tableColumns, store, table, async () => {
    const names = store.sqlite
      ? (store.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
      : (
          await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = current_schema() and table_name = ${table}`.execute(db)
        ).rows.map((c) => c.name);
    return names.sort().join(",");
  });
  return Object.keys(row).sort().join(",") === cols;
}
