/**
 * Backups as a portable archive: one gzipped NDJSON stream that either backend can write and read.
 *
 *   {"format":"tally-backup","version":1,...}          header
 *   {"table":"incidents","columns":[...]}               then one JSON array per row, in key order
 *   {"end":"incidents","rows":N,"sha256":"…"}           the count and hash of the table's row lines
 *   {"media":"<name>","b64":"…"}                        stored attachment files, when there is a media directory
 *   {"manifest":{"tables":{…},"media":N,"head":{…}}}   counts, hashes and the audit head, last
 *
 * The snapshot is one read transaction (REPEATABLE READ on PostgreSQL; on SQLite in WAL mode a read
 * transaction sees one snapshot), so a backup taken while the server writes is consistent. Sessions and the
 * derived tally cells are left out: sessions would revive sign-ins, and cells are rebuilt on restore.
 * A restore writes into an empty store in one transaction and checks every table's count and hash before it
 * commits, so a truncated or edited archive restores nothing.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { type Kysely, sql } from "kysely";
import { readHead } from "../store/repositories/audit.js";
import { rebuildCells } from "../store/repositories/cells.js";
import { bumpDataVersion } from "../store/repositories/meta.js";
import type { Ledger } from "./ledger.js";

/** Tables in restore order (referenced before referencing), with their key columns for a stable order. */
export const BACKUP_TABLES: readonly { name: string; key: readonly string[]; serial?: boolean }[] = [
  { name: "sources", key: ["id"], serial: true },
  { name: "documents", key: ["id"], serial: true },
  { name: "incidents", key: ["id"], serial: true },
  { name: "incident_documents", key: ["incident_id", "document_id"] },
  { name: "claims", key: ["id"], serial: true },
  { name: "history", key: ["id"], serial: true },
  { name: "tokens", key: ["id"], serial: true },
  { name: "local_places", key: ["id"] },
  { name: "place_aliases", key: ["alias"] },
  { name: "users", key: ["id"], serial: true },
  { name: "attachments", key: ["id"], serial: true },
  { name: "meta", key: ["key"] },
  { name: "audit_entries", key: ["seq"] },
  { name: "audit_seals", key: ["changeset", "n"] },
  { name: "audit_head", key: ["id"] },
];

export interface BackupManifest {
  tables: Record<string, { rows: number; sha256: string }>;
  media: number;
  head: { seq: number; hash: string };
}

export class BackupError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: tables are copied generically, by name.
type AnyDb = Kysely<any>;

const PAGE = 2000;

/** Writes a backup of the ledger (and the files in `mediaDir`, if given) to `file`. */
export async function backup(ledger: Ledger, file: string, mediaDir?: string): Promise<BackupManifest> {
  const tmp = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(tmp);
  const done = pipeline(gzip, out);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await new Promise((r) => gzip.once("drain", r));
  };
  const manifest: BackupManifest = { tables: {}, media: 0, head: { seq: 0, hash: "" } };
  const run = async (trx: AnyDb) => {
    await write({
      format: "tally-backup",
      version: 1,
      createdAt: ledger.now().toISOString(),
      from: ledger.store.dialect,
    });
    manifest.head = await readHead(trx);
    for (const t of BACKUP_TABLES) {
      const hash = createHash("sha256");
      let rows = 0;
      let columns: string[] | null = null;
      let last: unknown[] | null = null;
      for (;;) {
        let q = trx.selectFrom(t.name).selectAll();
        if (last) {
          const values = last;
          q = q.where(
            sql<boolean>`(${sql.join(t.key.map((k) => sql.ref(k)))}) > (${sql.join(values.map((v) => sql`${v}`))})`,
          );
        }
        for (const k of t.key) q = q.orderBy(k);
        const page = (await q.limit(PAGE).execute()) as Record<string, unknown>[];
        for (const row of page) {
          if (!columns) {
            columns = Object.keys(row).sort();
            await write({ table: t.name, columns });
          }
          const line = JSON.stringify(columns.map((c) => row[c] ?? null));
          hash.update(`${line}\n`);
          rows++;
          if (!gzip.write(`${line}\n`)) await new Promise((r) => gzip.once("drain", r));
        }
        if (page.length < PAGE) break;
        const lastRow = page[page.length - 1] as Record<string, unknown>;
        last = t.key.map((k) => lastRow[k]);
      }
      if (!columns) await write({ table: t.name, columns: [] });
      const digest = hash.digest("hex");
      await write({ end: t.name, rows, sha256: digest });
      manifest.tables[t.name] = { rows, sha256: digest };
    }
  };
  try {
    const t = ledger.store.db.transaction();
    if (ledger.store.dialect === "postgres")
      await t
        .setIsolationLevel("repeatable read")
        .setAccessMode("read only")
        .execute((trx) => run(trx as unknown as AnyDb));
    else await t.execute((trx) => run(trx as unknown as AnyDb));
    if (mediaDir && existsSync(mediaDir)) {
      for (const name of await mediaFiles(mediaDir)) {
        await write({ media: name, b64: (await readFile(join(mediaDir, name))).toString("base64") });
        manifest.media++;
      }
    }
    await write({ manifest });
    gzip.end();
    await done;
    // Renamed only when complete, so a crash never leaves a truncated file under the backup's name.
    await rename(tmp, file);
  } catch (e) {
    gzip.destroy();
    await done.catch(() => {});
    throw e;
  }
  return manifest;
}

/** Files under the media directory, as paths relative to it with '/' separators. */
async function mediaFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await mediaFiles(dir, rel)));
    else if (e.isFile() && !e.name.endsWith(".partial")) out.push(rel);
  }
  return out;
}

/** A safe relative media path: no traversal, no absolute paths. */
function safeMediaName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name) || name.includes(".."))
    throw new BackupError(`the archive names an unsafe media file: ${JSON.stringify(name).slice(0, 80)}`);
  return name;
}

async function assertEmpty(db: AnyDb): Promise<void> {
  for (const t of BACKUP_TABLES) {
    if (t.name === "meta" || t.name === "audit_head") continue;
    const r = await db
      .selectFrom(t.name)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(r.n) > 0)
      throw new BackupError(
        `the target store is not empty (${t.name} has rows); restore needs an empty store`,
      );
  }
}

/** Restores an archive into an empty store, then rebuilds the tally cells. */
export async function restore(ledger: Ledger, file: string, mediaDir?: string): Promise<BackupManifest> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await iterator.next();
    if (r.done) throw new BackupError(`${file}: the archive ends early (truncated?)`);
    try {
      return JSON.parse(r.value);
    } catch {
      throw new BackupError(`${file}: a line of the archive is not JSON`);
    }
  };
  const known = new Map(BACKUP_TABLES.map((t) => [t.name, t]));
  const media: { name: string; bytes: Buffer }[] = [];
  let manifest: BackupManifest | null = null;
  await ledger.store.db.transaction().execute(async (t) => {
    const trx = t as unknown as AnyDb;
    await assertEmpty(trx);
    const header = (await next()) as { format?: string; version?: number };
    if (header?.format !== "tally-backup" || header.version !== 1)
      throw new BackupError(`${file}: not a Tally backup (version 1)`);
    const seen: Record<string, { rows: number; sha256: string }> = {};
    for (;;) {
      const item = (await next()) as Record<string, unknown>;
      if (item && typeof item.table === "string") {
        const spec = known.get(item.table);
        if (!spec) throw new BackupError(`${file}: unknown table ${item.table}`);
        const columns = item.columns as string[];
        if (!Array.isArray(columns) || columns.some((c) => typeof c !== "string" || !/^[a-z_0-9]+$/.test(c)))
          throw new BackupError(`${file}: bad column list for ${spec.name}`);
        // The empty store has a head row and perhaps meta rows from its migrations; the archive's replace them.
        if (spec.name === "audit_head" || spec.name === "meta") await trx.deleteFrom(spec.name).execute();
        const hash = createHash("sha256");
        let rows = 0;
        const batchSize = Math.max(1, Math.floor(20_000 / Math.max(1, columns.length)));
        let batch: Record<string, unknown>[] = [];
        const flush = async () => {
          if (batch.length) await trx.insertInto(spec.name).values(batch).execute();
          batch = [];
        };
        for (;;) {
          const r = await iterator.next();
          if (r.done) throw new BackupError(`${file}: the archive ends inside table ${spec.name}`);
          const line = r.value;
          if (line.startsWith("{")) {
            const end = JSON.parse(line) as { end?: string; rows?: number; sha256?: string };
            if (end.end !== spec.name) throw new BackupError(`${file}: table ${spec.name} is not closed`);
            await flush();
            const digest = hash.digest("hex");
            if (end.rows !== rows || end.sha256 !== digest)
              throw new BackupError(`${file}: table ${spec.name} does not match its recorded count and hash`);
            seen[spec.name] = { rows, sha256: digest };
            break;
          }
          hash.update(`${line}\n`);
          rows++;
          const values = JSON.parse(line) as unknown[];
          if (!Array.isArray(values) || values.length !== columns.length)
            throw new BackupError(`${file}: a row of ${spec.name} has the wrong shape`);
          batch.push(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
          if (batch.length >= batchSize) await flush();
        }
      } else if (item && typeof item.media === "string") {
        media.push({ name: safeMediaName(item.media), bytes: Buffer.from(String(item.b64), "base64") });
      } else if (item && typeof item.manifest === "object" && item.manifest) {
        manifest = item.manifest as BackupManifest;
        break;
      } else throw new BackupError(`${file}: unexpected line in the archive`);
    }
    const m = manifest as BackupManifest | null;
    if (!m) throw new BackupError(`${file}: no manifest`);
    for (const [name, v] of Object.entries(m.tables)) {
      const s = seen[name];
      if (!s || s.rows !== v.rows || s.sha256 !== v.sha256)
        throw new BackupError(`${file}: table ${name} does not match the manifest`);
    }
    if (media.length !== m.media) throw new BackupError(`${file}: ${m.media} media files expected`);
    if (ledger.store.dialect === "postgres") {
      for (const t of BACKUP_TABLES.filter((x) => x.serial)) {
        await sql`select setval(pg_get_serial_sequence(${t.name}, 'id'), coalesce((select max(id) from ${sql.table(t.name)}), 0) + 1, false)`.execute(
          trx,
        );
      }
    }
    await rebuildCells(trx);
    await bumpDataVersion(trx);
  });
  if (mediaDir) {
    for (const f of media) {
      const path = join(mediaDir, f.name);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, f.bytes);
    }
  }
  return manifest as unknown as BackupManifest;
}
