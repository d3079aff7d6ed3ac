/**
 * Opening the ledger: SQLite (one file, the default) or PostgreSQL (when a URL is given).
 * Everything that differs between the two backends at connection time is decided here.
 */
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Dialect } from "./dialect.js";
import { migrationProvider } from "./migrations/index.js";
import type { Database } from "./schema.js";

export interface StoreConfig {
  /** PostgreSQL connection string; when set, the SQLite path is ignored. */
  databaseUrl?: string | undefined;
  /** SQLite file; defaults to ./tally.db. */
  dbPath?: string | undefined;
  /** PostgreSQL schema to use (created if absent): lets tests and tenants share one server. */
  pgSchema?: string | undefined;
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
  poolSize?: number;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** A label for messages: the file path or the server, never a password. */
  readonly location: string;
  /**
   * The SQLite connection under Kysely, for the few hot paths (bulk import) where statement preparation per
   * batch costs more than the work. It is the same connection, so it shares Kysely's open transaction.
   */
  readonly sqlite?: SQLite.Database | undefined;
  /** The PostgreSQL schema the ledger lives in, when not the default one. */
  readonly schema?: string | undefined;
  close(): Promise<void>;
}

// node-postgres hands back int8 and numeric as strings, because they may exceed 2^53. The ledger's counts
// and sums stay far below that, and both backends must give the same JSON, so they are parsed as numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function resolveStoreConfig(
  env: NodeJS.ProcessEnv,
  flags: { db?: string | undefined } = {},
): StoreConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dbPath: flags.db ?? env.TALLY_DB ?? "tally.db",
    pgSchema: env.TALLY_PG_SCHEMA || undefined,
  };
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const store = config.databaseUrl ? await openPostgres(config) : openSqlite(config);
  if (config.migrate !== false) await migrate(store);
  return store;
}

function openSqlite(config: StoreConfig): Store {
  const path = config.dbPath ?? "tally.db";
  const sqlite = new SQLite(path);
  // WAL lets readers (the server) go on while an import writes; NORMAL sync is still crash-safe in WAL mode
  // (a power cut may lose the last commits, never corrupt the file).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: "sqlite",
    location: path,
    sqlite,
    close: () => db.destroy(),
  };
}

async function openPostgres(config: StoreConfig): Promise<Store> {
  const url = config.databaseUrl as string;
  const schema = config.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection lost while idle in the pool (the server restarted, an administrator ended it, the network
  // dropped it) is reported on the pool. The pool has already dropped it and opens another for the next query;
  // without a listener the 'error' event would end the whole process, and every request in flight with it.
  pool.on("error", (err) => {
    process.emitWarning(`PostgreSQL connection lost while idle: ${err.message}`, "TallyStoreWarning");
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let location = "postgresql";
  try {
    const u = new URL(url);
    location = `postgresql://${u.host}${u.pathname}${schema ? `#${schema}` : ""}`;
  } catch {
    // An unparsable URL fails on connect with pg's own message; the label stays generic.
  }
  return { db, dialect: "postgres", location, schema, close: () => db.destroy() };
}

/**
 * After a bulk load PostgreSQL's planner still believes the tables are small until autovacuum gets to them;
 * fresh statistics keep the first reads after an import on the right plans (hashing the few thousand places
 * of a tally instead of sorting every cell). SQLite plans from its indexes alone and needs nothing here.
 */
export async function refreshStatistics(store: Store, tables: readonly string[]): Promise<void> {
  if (store.dialect !== "postgres") return;
  for (const t of tables) {
    if (!/^[a-z_]+$/.test(t)) throw new Error(`not a table name: ${t}`);
    await sql.raw(`analyze ${t}`).execute(store.db);
  }
}

export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(store.dialect),
    // Migrations are independent of one another; one written later but named earlier may still run.
    allowUnorderedMigrations: true,
    // Kysely looks for its bookkeeping tables across all schemas; name ours, or a ledger in one schema would
    // take another schema's tables for its own.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
