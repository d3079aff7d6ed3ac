/**
 * Verifying the audit chain against itself and against the ledger's current rows, in one consistent read:
 * - the chain: every entry's hash matches its content and names the previous entry's hash, sequence numbers
 *   have no gaps, and the head row points at the last entry (and at a published head, when one is given);
 * - the seals: each change's seals match the digest and count its entry recorded;
 * - the rows: every row of a sealed table hashes to its latest seal; a row without a seal was added, and a seal
 *   without a row names a row deleted, outside the application;
 * - the tally cells equal a recount of the incidents.
 */

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Kysely, sql, type Transaction } from "kysely";
import { sha256Hex } from "../core/hash.js";
import { VALUE_COLUMNS } from "../store/migrations/0002_tally_cells.js";
import {
  type AuditEntry,
  entryHash,
  GENESIS_PREV,
  readHead,
  rowHash,
  rowId,
  SEALED_TABLES,
  sealLine,
} from "../store/repositories/audit.js";
import { CellDeltas } from "../store/repositories/cells.js";
import type { Database } from "../store/schema.js";
import { storedPath } from "./attachments.js";
import type { Ledger } from "./ledger.js";

export interface AuditProblem {
  /** The chain entry concerned, when there is one. */
  seq?: number;
  table?: string;
  row?: string;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  head: { seq: number; hash: string };
  entries: number;
  seals: number;
  rows: number;
  problems: AuditProblem[];
}

export interface VerifyOptions {
  /** A head published earlier (`seq:hash`): it must still be in the chain. */
  expect?: { seq: number; hash: string } | undefined;
  /** The attachments directory: when given, every stored file is checked against its recorded hash. */
  mediaDir?: string | undefined;
  /** Stop listing problems after this many (the verdict counts them all). */
  maxProblems?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the audit and sealed tables are read generically.
type AnyTrx = Kysely<any>;

const PAGE = 5000;

export async function auditHead(ledger: Ledger): Promise<{ seq: number; hash: string; at: string | null }> {
  const head = await readHead(ledger.store.db);
  const last = await (ledger.store.db as unknown as AnyTrx)
    .selectFrom("audit_entries")
    .select("at")
    .where("seq", "=", head.seq)
    .executeTakeFirst();
  return { ...head, at: (last?.at as string | undefined) ?? null };
}

/** Parses a published head, `SEQ:HASH`. */
export function parseHead(text: string): { seq: number; hash: string } | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] as string } : null;
}

export async function verifyAudit(ledger: Ledger, options: VerifyOptions = {}): Promise<AuditReport> {
  const run = (trx: Transaction<Database>) => verifyIn(trx as unknown as AnyTrx, options);
  const t = ledger.store.db.transaction();
  // One snapshot for the whole walk, so a write committed meanwhile cannot look like tampering.
  return ledger.store.dialect === "postgres"
    ? t.setIsolationLevel("repeatable read").execute(run)
    : t.execute(run);
}

async function verifyIn(db: AnyTrx, options: VerifyOptions): Promise<AuditReport> {
  const problems: AuditProblem[] = [];
  let problemCount = 0;
  const max = options.maxProblems ?? 1000;
  const report = (p: AuditProblem) => {
    problemCount++;
    if (problems.length < max) problems.push(p);
  };

  // 1. The chain.
  const bySet = new Map<string, AuditEntry>();
  let expected = 1;
  let prev: AuditEntry | null = null;
  let entries = 0;
  for (let after = 0; ; ) {
    const page = (await db
      .selectFrom("audit_entries")
      .selectAll()
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(PAGE)
      .execute()) as AuditEntry[];
    for (const raw of page) {
      const e: AuditEntry = { ...raw, seq: Number(raw.seq), rows: Number(raw.rows) };
      entries++;
      if (e.seq !== expected)
        report({
          seq: e.seq,
          message:
            e.seq > expected
              ? `entries ${expected}${e.seq - 1 > expected ? `..${e.seq - 1}` : ""} are missing before entry ${e.seq}: deleted`
              : `entry ${e.seq} is out of sequence`,
        });
      const prevHash = prev ? prev.hash : GENESIS_PREV;
      if (e.prev_hash !== prevHash)
        report({
          seq: e.seq,
          message: prev
            ? `entry ${e.seq} does not follow entry ${prev.seq} (previous hash differs): entry ${prev.seq} was edited or replaced, or entries were deleted or reordered`
            : `entry ${e.seq} does not start the chain (previous hash is not the genesis hash)`,
        });
      if (entryHash(e) !== e.hash)
        report({ seq: e.seq, message: `entry ${e.seq} was edited: its hash does not match its content` });
      if (bySet.has(e.changeset)) report({ seq: e.seq, message: `entry ${e.seq} repeats a change id` });
      bySet.set(e.changeset, e);
      prev = e;
      expected = e.seq + 1;
      after = e.seq;
    }
    if (page.length < PAGE) break;
  }
  const head = await readHead(db);
  const lastSeq = prev?.seq ?? 0;
  const lastHash = prev?.hash ?? GENESIS_PREV;
  if (head.seq !== lastSeq || head.hash !== lastHash)
    report({
      seq: head.seq,
      message:
        head.seq > lastSeq
          ? `the head names entry ${head.seq} but the chain ends at entry ${lastSeq}: entries were deleted from the end`
          : `the head (${head.seq}:${head.hash.slice(0, 12)}…) does not match the last entry ${lastSeq}`,
    });
  if (options.expect) {
    const { seq, hash } = options.expect;
    const e = (await db.selectFrom("audit_entries").selectAll().where("seq", "=", seq).executeTakeFirst()) as
      | AuditEntry
      | undefined;
    if (!e || e.hash !== hash)
      report({
        seq,
        message: `the published head ${seq}:${hash.slice(0, 12)}… is not in the chain: history was rewritten`,
      });
  }

  // 2. Seals against their entries' digests; the latest seal of every row.
  const latest = new Map<string, { seq: number; n: number; hash: string }>();
  let seals = 0;
  let current: { changeset: string; digest: ReturnType<typeof createHash>; n: number; gap: boolean } | null =
    null;
  const closeChange = () => {
    if (!current) return;
    const e = bySet.get(current.changeset);
    const digest = current.digest.digest("hex");
    if (!e)
      report({
        message: `row seals of change ${current.changeset} belong to no entry: its entry was deleted`,
      });
    else {
      if (e.rows !== current.n || current.gap || e.rows_digest !== digest)
        report({ seq: e.seq, message: `the row seals of entry ${e.seq} were edited or deleted` });
      bySet.delete(current.changeset);
    }
    current = null;
  };
  for (let cs = "", n = -1; ; ) {
    const page = (await db
      .selectFrom("audit_seals")
      .selectAll()
      .where((eb) => eb.or([eb("changeset", ">", cs), eb.and([eb("changeset", "=", cs), eb("n", ">", n)])]))
      .orderBy("changeset")
      .orderBy("n")
      .limit(PAGE)
      .execute()) as { changeset: string; n: number; tbl: string; row_id: string; hash: string }[];
    for (const s of page) {
      seals++;
      const sn = Number(s.n);
      if (!current || current.changeset !== s.changeset) {
        closeChange();
        current = { changeset: s.changeset, digest: createHash("sha256"), n: 0, gap: false };
      }
      if (sn !== current.n) current.gap = true;
      current.n++;
      current.digest.update(sealLine(s.tbl, s.row_id, s.hash));
      const seq = bySet.get(s.changeset)?.seq ?? 0;
      const key = `${s.tbl}\u001f${s.row_id}`;
      const had = latest.get(key);
      if (!had || had.seq < seq || (had.seq === seq && had.n < sn))
        latest.set(key, { seq, n: sn, hash: s.hash });
      cs = s.changeset;
      n = sn;
    }
    if (page.length < PAGE) break;
  }
  closeChange();
  const emptyDigest = sha256Hex("");
  for (const e of bySet.values())
    if (e.rows !== 0 || e.rows_digest !== emptyDigest)
      report({ seq: e.seq, message: `the row seals of entry ${e.seq} were deleted` });

  // 3. Current rows against their latest seals.
  let rows = 0;
  for (const [table, spec] of Object.entries(SEALED_TABLES)) {
    let last: unknown[] | null = null;
    for (;;) {
      let q = db.selectFrom(table).selectAll();
      if (spec.skip) q = q.where(spec.skip.column, "not in", spec.skip.values as string[]);
      if (last) {
        const values = last;
        q = q.where(
          sql<boolean>`(${sql.join(spec.key.map((k) => sql.ref(k)))}) > (${sql.join(values.map((v) => sql`${v}`))})`,
        );
      }
      for (const k of spec.key) q = q.orderBy(k);
      const page = (await q.limit(PAGE).execute()) as Record<string, unknown>[];
      for (const row of page) {
        rows++;
        const id = rowId(table, row);
        const key = `${table}\u001f${id}`;
        const seal = latest.get(key);
        if (!seal)
          report({ table, row: id, message: `${table} ${id} was added outside the application (no seal)` });
        else {
          if (seal.hash !== rowHash(table, row))
            report({
              seq: seal.seq,
              table,
              row: id,
              message: `${table} ${id} was changed outside the application (it differs from its seal in entry ${seal.seq})`,
            });
          latest.delete(key);
        }
      }
      if (page.length < PAGE) break;
      const lastRow = page[page.length - 1] as Record<string, unknown>;
      last = spec.key.map((k) => lastRow[k]);
    }
  }
  for (const [key, seal] of latest) {
    const [table, id] = key.split("\u001f") as [string, string];
    report({
      seq: seal.seq,
      table,
      row: id,
      message: `${table} ${id} was deleted outside the application (last sealed in entry ${seal.seq})`,
    });
  }

  // 4. The tally cells, which tallies read instead of the incidents.
  await checkCells(db, report);

  // 5. Attachment files: each stored copy must still hash to the SHA-256 its (sealed) row records.
  if (options.mediaDir) await checkMedia(db, options.mediaDir, report);

  return {
    ok: problemCount === 0,
    head,
    entries,
    seals,
    rows,
    problems,
  };
}

async function checkMedia(db: AnyTrx, dir: string, report: (p: AuditProblem) => void): Promise<void> {
  const rows = (await db
    .selectFrom("attachments")
    .select(["id", "sha256", "sealed_original"])
    .orderBy("id")
    .execute()) as {
    id: number;
    sha256: string;
    sealed_original: string | null;
  }[];
  for (const r of rows) {
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(storedPath(dir, r.sha256));
    } catch {
      report({
        table: "attachments",
        row: String(r.id),
        message: `attachment ${r.id}: its stored file is missing`,
      });
      continue;
    }
    if (sha256Hex(bytes) !== r.sha256)
      report({
        table: "attachments",
        row: String(r.id),
        message: `attachment ${r.id}: its stored file was changed`,
      });
    if (r.sealed_original && !existsSync(join(dir, r.sealed_original)))
      report({
        table: "attachments",
        row: String(r.id),
        message: `attachment ${r.id}: its sealed original is missing`,
      });
  }
}

async function checkCells(db: AnyTrx, report: (p: AuditProblem) => void): Promise<void> {
  const deltas = new CellDeltas();
  for (let after = 0; ; ) {
    const page = (await db
      .selectFrom("incidents")
      .selectAll()
      .where("id", ">", after)
      .orderBy("id")
      .limit(PAGE)
      .execute()) as Record<string, unknown>[];
    for (const r of page) deltas.insert(r);
    if (page.length < PAGE) break;
    after = Number(page[page.length - 1]?.id);
  }
  for (const [table, expected] of deltas.entries()) {
    const want = new Map(expected.map((d) => [d.keys.join("\u001f"), d.values]));
    const stored = (await db.selectFrom(table.name).selectAll().execute()) as Record<string, unknown>[];
    let bad = 0;
    let example = "";
    for (const cell of stored) {
      const key = table.keys.map(([k]) => String(cell[k] ?? "")).join("\u001f");
      const values = VALUE_COLUMNS.map((c) => Number(cell[c] ?? 0));
      const w = want.get(key);
      want.delete(key);
      const same = w ? w.every((v, i) => v === values[i]) : values.every((v) => v === 0);
      if (!same) {
        bad++;
        example ||= key.replaceAll("\u001f", "/");
      }
    }
    bad += want.size;
    if (!example && want.size) example = [...want.keys()][0]?.replaceAll("\u001f", "/") ?? "";
    if (bad)
      report({
        table: table.name,
        message: `${table.name}: ${bad} cell${bad === 1 ? "" : "s"} differ from a recount of the incidents (e.g. ${example}); tallies were changed outside the application`,
      });
  }
}
