/**
 * The audit chain (migration 0004). Two things happen inside every mutating transaction:
 * - seals: each ledger row the transaction wrote is hashed as stored (read back, so the hash is what a verifier
 *   will read later) and the hash is appended to `audit_seals` under the transaction's change id;
 * - an entry: `appendAudit` adds one link to the chain, carrying a digest of the change's seals, and takes the
 *   pending seals with it. The chain's head row is locked first, so that writers on several processes still
 *   produce one linear chain.
 * A row's current content is then provable: its hash must equal its latest seal, and that seal is covered by an
 * entry whose hash is covered by every later entry, up to the published head.
 */
import { createHash, type Hash, randomUUID } from "node:crypto";
import { type Kysely, PostgresAdapter, sql } from "kysely";
import { sha256Hex } from "../../core/hash.js";
import type { Store } from "../db.js";
import { pgArray } from "../pg-array.js";
import type { Executor } from "./rows.js";

/** The previous hash of the first entry. */
export const GENESIS_PREV = "0".repeat(64);

export interface SealedTable {
  /** Columns that identify a row (joined with ':' into the seal's row id). */
  key: readonly string[];
  /** Bookkeeping columns that change without a ledger change (sign-in throttling), left out of the hash. */
  exclude?: readonly string[];
  /** Bookkeeping rows that every write changes (the data version), neither sealed nor verified. */
  skip?: { column: string; values: readonly string[] };
}

/**
 * Every table whose rows are ledger content. Sessions and the derived tally cells are not sealed; of `meta`,
 * the settings and the synthetic-data mark are, and the data version (bumped by every write) is not.
 */
export const SEALED_TABLES: Record<string, SealedTable> = {
  sources: { key: ["id"] },
  documents: { key: ["id"] },
  incidents: { key: ["id"] },
  incident_documents: { key: ["incident_id", "document_id"] },
  claims: { key: ["id"] },
  history: { key: ["id"] },
  tokens: { key: ["id"] },
  local_places: { key: ["id"] },
  place_aliases: { key: ["alias"] },
  users: { key: ["id"], exclude: ["failed_signins", "locked_until", "updated_at"] },
  attachments: { key: ["id"] },
  meta: { key: ["key"], skip: { column: "key", values: ["data_version"] } },
};

/** The tables that existed when migration 0004 sealed a ledger's earlier rows. */
const GENESIS_TABLES = [
  "sources",
  "documents",
  "incidents",
  "incident_documents",
  "claims",
  "history",
  "tokens",
  "local_places",
  "place_aliases",
  "users",
];

// biome-ignore lint/suspicious/noExplicitAny: the audit tables are reached on any executor of the ledger.
type AnyExecutor = Kysely<any>;
const any = (db: Executor | AnyExecutor): AnyExecutor => db as unknown as AnyExecutor;

/** A stored value as it is hashed: NULL for missing, numbers for int8, ISO text for dates, base64 for bytes. */
export function canonicalValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `b64:${v.toString("base64")}`;
  return v;
}

/**
 * Strings that JSON writes other than as they are between quotes: a quote, a backslash, a control character
 * or a surrogate (JSON escapes lone ones; a pair falls back to JSON.stringify too, which writes it as it is).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export type RowHasher = (row: Record<string, unknown>, id?: number) => string;

/**
 * The hash of rows of one table and one set of columns. The JSON text `rowHash` defines is assembled directly:
 * the pieces go into one reused array, joined once, so that hashing a row allocates its text and little else
 * (an import hashes a million rows; concatenating the pieces cost a few kilobytes of garbage a row). `id`, when
 * given, stands for the row's `id` column: the hash of a row whose id was assigned before it was stored,
 * without copying the row to add it.
 */
export function rowHasher(table: string, columns: readonly string[]): RowHasher {
  const exclude = SEALED_TABLES[table]?.exclude ?? [];
  const cols = columns.filter((c) => !exclude.includes(c)).sort();
  const idAt = cols.indexOf("id");
  // Per column: `,["name",`, an opening quote or nothing, the value's text, a closing quote and `]` or `]`.
  const parts = new Array<string>(cols.length * 4 + 2);
  parts[0] = `[${JSON.stringify(table)}`;
  parts[parts.length - 1] = "]";
  for (let i = 0; i < cols.length; i++) parts[4 * i + 1] = `,[${JSON.stringify(cols[i])},`;
  return (row, id) => {
    for (let i = 0, j = 2; i < cols.length; i++, j += 4) {
      const v = i === idAt && id !== undefined ? id : row[cols[i] as string];
      if (typeof v === "string" && !NEEDS_ESCAPE.test(v)) {
        parts[j] = '"';
        parts[j + 1] = v;
        parts[j + 2] = '"]';
      } else {
        parts[j] = "";
        parts[j + 1] =
          v === null || v === undefined
            ? "null"
            : typeof v === "number" && Number.isFinite(v)
              ? `${v}`
              : JSON.stringify(canonicalValue(v));
        parts[j + 2] = "]";
      }
    }
    return sha256Hex(parts.join(""));
  };
}

/** Hashers per table and column set: an import hashes a million rows of one shape. */
const hashers = new Map<string, RowHasher>();

/**
 * The content hash of a row as stored: the SHA-256 of `JSON.stringify([table, [column, value], …])` over its
 * columns in name order.
 */
export function rowHash(table: string, row: Record<string, unknown>): string {
  const keys = Object.keys(row);
  const id = `${table}\u001f${keys.join(",")}`;
  let hasher = hashers.get(id);
  if (!hasher) {
    hasher = rowHasher(table, keys);
    if (hashers.size > 1000) hashers.clear();
    hashers.set(id, hasher);
  }
  return hasher(row);
}

export function rowId(table: string, row: Record<string, unknown>): string {
  const spec = SEALED_TABLES[table];
  if (!spec) throw new Error(`table ${table} is not sealed`);
  return spec.key.map((k) => String(row[k])).join(":");
}

/** Seals written in a transaction and not yet covered by an entry. */
interface Pending {
  changeset: string;
  n: number;
  digest: Hash;
  /**
   * Set while a statement that writes seals of its own (`sealInStatement`) is in flight: it numbers its seals
   * from `n`, and how many it wrote is known only when it returns, so nothing else may take a number before.
   */
  busy: Promise<void> | null;
}

const pending = new WeakMap<object, Pending>();

function pendingFor(db: object): Pending {
  let p = pending.get(db);
  if (!p) {
    p = { changeset: randomUUID(), n: 0, digest: createHash("sha256"), busy: null };
    pending.set(db, p);
  }
  return p;
}

export function sealLine(table: string, id: string, hash: string): string {
  return `${table}\u001f${id}\u001f${hash}\n`;
}

const CHUNK = 500;

interface SealRow {
  changeset: string;
  n: number;
  tbl: string;
  row_id: string;
  hash: string;
}

const sealStatements = new WeakMap<object, import("better-sqlite3").Statement>();

/**
 * Seals rows as stored: call with rows fresh from a select inside the writing transaction, or with rows whose
 * stored form is known exactly (repositories/rows.ts). `store`, when given, opens the bulk paths: a cached
 * prepared statement on SQLite; on PostgreSQL, one `unnest` insert whatever the number of rows.
 */
export async function sealRows(
  db: Executor | AnyExecutor,
  table: string,
  rows: readonly Record<string, unknown>[],
  store?: Store,
): Promise<string[]> {
  const hashes: string[] = [];
  if (rows.length === 0) return hashes;
  const p = pendingFor(db);
  while (p.busy) await p.busy;
  const seals: SealRow[] = rows.map((row) => {
    const id = rowId(table, row);
    const hash = rowHash(table, row);
    hashes.push(hash);
    p.digest.update(sealLine(table, id, hash));
    return { changeset: p.changeset, n: p.n++, tbl: table, row_id: id, hash };
  });
  if (store?.sqlite) {
    let insert = sealStatements.get(store.sqlite);
    if (!insert) {
      insert = store.sqlite.prepare(
        "insert into audit_seals (changeset, n, tbl, row_id, hash) values (@changeset, @n, @tbl, @row_id, @hash)",
      );
      sealStatements.set(store.sqlite, insert);
    }
    for (const s of seals) insert.run(s);
  } else if (any(db).getExecutor().adapter instanceof PostgresAdapter) {
    const col = <K extends keyof SealRow>(k: K) => pgArray(seals.map((s) => s[k]));
    await sql`insert into audit_seals (changeset, n, tbl, row_id, hash)
      select * from unnest(${col("changeset")}::text[], ${col("n")}::int4[], ${col("tbl")}::text[],
        ${col("row_id")}::text[], ${col("hash")}::text[])`.execute(any(db));
  } else {
    for (let i = 0; i < seals.length; i += CHUNK)
      await any(db)
        .insertInto("audit_seals")
        .values(seals.slice(i, i + CHUNK))
        .execute();
  }
  return hashes;
}

/** Where a statement of the caller's own writes its seals: the transaction's change id and the first number. */
export interface SealSlot {
  changeset: string;
  base: number;
}

/**
 * Runs a statement that inserts rows and their seals at once (repositories/rows.ts): `run` gets the slot its
 * seals are numbered from, and returns which of the rows it sealed, in the order of their numbers, with their
 * hashes. The digest and the count of the transaction's seals then take exactly those, so that rows a
 * statement did not insert (a conflicting key) leave no gap in the numbers.
 */
export async function sealInStatement(
  db: Executor | AnyExecutor,
  table: string,
  run: (slot: SealSlot) => Promise<Iterable<{ id: string; hash: string }>>,
): Promise<void> {
  const p = pendingFor(db);
  while (p.busy) await p.busy;
  let release = () => {};
  p.busy = new Promise<void>((r) => {
    release = r;
  });
  try {
    for (const s of await run({ changeset: p.changeset, base: p.n })) {
      p.digest.update(sealLine(table, s.id, s.hash));
      p.n++;
    }
  } finally {
    p.busy = null;
    release();
  }
}

/** Reads the rows whose `column` is one of `values` and seals them. */
export async function sealWhere(
  db: Executor | AnyExecutor,
  table: string,
  column: string,
  values: readonly (string | number)[],
  store?: Store,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const rows = (await any(db)
      .selectFrom(table)
      .selectAll()
      .where(column, "in", values.slice(i, i + CHUNK))
      .execute()) as Record<string, unknown>[];
    await sealRows(db, table, rows, store);
    out.push(...rows);
  }
  return out;
}

export async function sealById(
  db: Executor | AnyExecutor,
  table: string,
  id: number,
): Promise<string | null> {
  const [row] = await sealWhere(db, table, "id", [id]);
  return row ? rowHash(table, row) : null;
}

export interface AuditInput {
  actor: string;
  action: string;
  /** What changed, e.g. `incident:42`, `import:file.csv`, `token:3`. */
  target: string;
  at: string;
  beforeHash?: string | null | undefined;
  afterHash?: string | null | undefined;
  note?: string | null | undefined;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before_hash: string | null;
  after_hash: string | null;
  note: string | null;
  changeset: string;
  rows: number;
  rows_digest: string;
  prev_hash: string;
  hash: string;
}

/** The hash of an entry: every field but the hash itself, in a fixed order. */
export function entryHash(e: Omit<AuditEntry, "hash">): string {
  return sha256Hex(
    JSON.stringify([
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.target,
      e.before_hash,
      e.after_hash,
      e.note,
      e.changeset,
      e.rows,
      e.rows_digest,
      e.prev_hash,
    ]),
  );
}

/**
 * Appends one entry covering the transaction's pending seals. Must run inside the mutating transaction: the
 * entry commits or vanishes with the change.
 */
export async function appendAudit(db: Executor | AnyExecutor, input: AuditInput): Promise<AuditEntry> {
  const p = pendingFor(db);
  while (p.busy) await p.busy;
  pending.delete(db);
  // The no-op update takes the head's row lock (PostgreSQL) or the write lock (SQLite) before the head is read,
  // so two writers cannot both extend the same head.
  await sql`update audit_head set seq = seq where id = 1`.execute(any(db));
  const head = await sql<{
    seq: number;
    hash: string;
  }>`select seq, hash from audit_head where id = 1`.execute(any(db));
  const prev = head.rows[0];
  if (!prev) throw new Error("the audit chain has no head row; was migration 0004 applied?");
  const body: Omit<AuditEntry, "hash"> = {
    seq: Number(prev.seq) + 1,
    at: input.at,
    actor: input.actor,
    action: input.action,
    target: input.target,
    before_hash: input.beforeHash ?? null,
    after_hash: input.afterHash ?? null,
    note: input.note ?? null,
    changeset: p.changeset,
    rows: p.n,
    rows_digest: p.digest.digest("hex"),
    prev_hash: prev.hash,
  };
  const entry: AuditEntry = { ...body, hash: entryHash(body) };
  await any(db).insertInto("audit_entries").values(entry).execute();
  await sql`update audit_head set seq = ${entry.seq}, hash = ${entry.hash} where id = 1`.execute(any(db));
  return entry;
}

/** The chain's head as stored (seq 0 and the genesis hash for an empty chain). */
export async function readHead(db: Executor | AnyExecutor): Promise<{ seq: number; hash: string }> {
  const r = await sql<{ seq: number; hash: string }>`select seq, hash from audit_head where id = 1`.execute(
    any(db),
  );
  const row = r.rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_PREV };
}

/** Seals what a ledger held before the audit log existed, under one genesis entry (migration 0004). */
export async function sealGenesis(db: AnyExecutor): Promise<void> {
  let total = 0;
  for (const table of GENESIS_TABLES) {
    const spec = SEALED_TABLES[table] as SealedTable;
    for (let offset = 0; ; offset += 5000) {
      let q = db.selectFrom(table).selectAll();
      for (const k of spec.key) q = q.orderBy(k);
      const rows = (await q.limit(5000).offset(offset).execute()) as Record<string, unknown>[];
      await sealRows(db, table, rows);
      total += rows.length;
      if (rows.length < 5000) break;
    }
  }
  if (total > 0) {
    await appendAudit(db, {
      actor: "system",
      action: "audit.genesis",
      target: "ledger",
      at: new Date().toISOString(),
    });
  }
}
