import { sql } from "kysely";
import type { Store } from "../db.js";
import { sealWhere } from "./audit.js";
import type { Executor } from "./rows.js";

/** Small facts about the ledger itself, such as whether its data is a synthetic demo. */
export async function getMeta(db: Executor, key: string): Promise<string | null> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

/**
 * Sets a setting and seals it: call inside a transaction that appends its audit entry, so that a setting
 * changed outside the application (sealed originals turned off, the synthetic mark removed) is detected.
 */
export async function setMeta(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
  await sealWhere(db, "meta", "key", [key]);
}

/**
 * The ledger's data version, bumped by every write transaction. Readers that cache derived data (tallies)
 * compare it with one primary-key read instead of recomputing; several server processes see the same value.
 */
export async function bumpDataVersion(db: Executor): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key: "data_version", value: "0" })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  // One atomic UPDATE: concurrent writers serialise on the row, so no two commits share a version.
  await sql`update meta set value = cast(cast(value as integer) + 1 as text) where key = 'data_version'`.execute(
    db,
  );
}

export async function dataVersion(db: Executor): Promise<string> {
  return (await getMeta(db, "data_version")) ?? "0";
}

const versionStatements = new WeakMap<object, import("better-sqlite3").Statement>();

/**
 * The data version read the cheapest way the store allows: on SQLite, one cached prepared statement (this runs
 * on every cached read, so the query builder's per-call compilation would be most of its cost).
 */
export async function storeDataVersion(store: Store): Promise<string> {
  if (!store.sqlite) return dataVersion(store.db);
  let stmt = versionStatements.get(store.sqlite);
  if (!stmt) {
    stmt = store.sqlite.prepare("select value from meta where key = 'data_version'").pluck();
    versionStatements.set(store.sqlite, stmt);
  }
  return (stmt.get() as string | undefined) ?? "0";
}
