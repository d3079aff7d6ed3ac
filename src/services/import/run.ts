/**
 * The shape every import shares: read rows, validate each, write in batches inside one transaction, and
 * either commit the whole file or nothing. Incident and claim imports plug their row logic into it.
 */

import { basename } from "node:path";
import type { FieldError } from "../../core/records.js";
import { appendAudit } from "../../store/repositories/audit.js";
import { appendHistory } from "../../store/repositories/history.js";
import { bumpDataVersion } from "../../store/repositories/meta.js";
import type { Executor } from "../../store/repositories/rows.js";
import { type Ledger, timestamp } from "../ledger.js";
import { HeapGuard } from "./heap.js";

export interface ImportOptions {
  /** How the file is named in error messages (`file:line: column: message`). */
  file: string;
  actor: string;
  /** Default source for rows without a `source` column. */
  source?: string | undefined;
  sourceKind?: import("../../core/vocabulary.js").SourceKind | undefined;
  status?: import("../../core/vocabulary.js").IncidentStatus | undefined;
  allowUnresolved?: boolean | undefined;
  /** Import the valid rows and hand the invalid ones to `onRejected` instead of refusing the file. */
  skipInvalid?: boolean | undefined;
  onRejected?: ((line: number, record: Record<string, unknown>, errors: FieldError[]) => void) | undefined;
  onProgress?: ((rows: number) => void) | undefined;
  batchSize?: number | undefined;
  /**
   * Scopes row identity, so that one submitter's external ids can never address another's rows (a reporter
   * resending someone else's id must create a row of their own, not overwrite theirs).
   */
  keyScope?: string | undefined;
  /** The user account a row is submitted by (reporters' submissions made in a session). */
  submittedBy?: number | undefined;
  /**
   * A reporter's submission: its rows wait for a reviewer and count nowhere in public until one accepts them,
   * whatever status they name (core/publication.ts).
   */
  unreviewed?: boolean | undefined;
  /** The import's memory guard, when its handler checks it too (one budget per import). */
  heap?: HeapGuard | undefined;
}

export interface RowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  unresolved: number;
  /** Identity of the last row written: lets a single submission find its row again. */
  lastKey: string | null;
}

/** The file was refused: nothing was written. `errors` lists every bad row, up to a limit. */
export class ImportRejected extends Error {
  constructor(
    readonly file: string,
    readonly errors: RowError[],
    readonly totalErrors: number,
  ) {
    super(`${file}: ${totalErrors} invalid row${totalErrors === 1 ? "" : "s"}; nothing was imported`);
  }

  /** One `file:line: column: message` line per error. */
  lines(): string[] {
    const out = this.errors.map((e) => `${this.file}:${e.line}: ${e.field}: ${e.message}`);
    if (this.totalErrors > this.errors.length)
      out.push(`… and ${this.totalErrors - this.errors.length} more`);
    return out;
  }
}

export type Prepared<Row> =
  | { errors: FieldError[] }
  | { errors?: undefined; unresolved: boolean; finish(db: Executor): Promise<Row> };

export interface RowHandler<Row> {
  prepare(record: Record<string, unknown>): Prepared<Row>;
  /**
   * Writes one batch. It is called while the previous batch is still being written, so that work needing no
   * database (hashing, building the statement) overlaps that write: it must not touch the database before
   * `turn` resolves, and must fail if `turn` rejects (an earlier batch failed).
   */
  write(
    db: Executor,
    rows: Row[],
    actor: string,
    turn: Promise<void>,
  ): Promise<{ inserted: number; updated: number; unchanged: number }>;
  /** Work left after the last batch, inside the same transaction (e.g. the deltas still held in memory). */
  finish?(db: Executor): Promise<void>;
}

const MAX_LISTED_ERRORS = 1000;

export async function runImport<Row extends { row_key: string }>(
  ledger: Ledger,
  records: AsyncIterable<{ line: number; record: Record<string, unknown> }>,
  options: ImportOptions,
  handler: RowHandler<Row>,
): Promise<ImportReport> {
  const report: ImportReport = {
    file: options.file,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    unresolved: 0,
    lastKey: null,
  };
  const errors: RowError[] = [];
  let totalErrors = 0;
  // SQLite writes row by row on a prepared statement, so small batches keep rows short-lived (less GC);
  // PostgreSQL pays a round trip per batch, so it gets larger ones.
  const batchSize = options.batchSize ?? (ledger.store.dialect === "sqlite" ? 100 : 1000);

  const heap = options.heap ?? new HeapGuard();
  await ledger.store.db.transaction().execute(async (trx) => {
    let pending: { finish(db: Executor): Promise<Row> }[] = [];
    // Batch k is written while batch k+1 is read and checked, and batch k+1's statement is built while batch k is
    // on the server. Writes themselves stay in order, one at a time: each waits for its turn, the end of the
    // previous one, and the first failure fails the import and every write after it.
    let inflight: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | null = null;
    const flush = async () => {
      if (pending.length === 0) return;
      const rows: Row[] = [];
      for (const p of pending) rows.push(await p.finish(trx));
      pending = [];
      // A file may repeat a row; the last occurrence wins, as if the rows had been imported one by one.
      const byKey = new Map<string, Row>();
      for (const r of rows) byKey.set(r.row_key, r);
      const dup = rows.length - byKey.size;
      report.lastKey = rows[rows.length - 1]?.row_key ?? report.lastKey;
      const previous = inflight;
      const turn = previous.then(() => {
        if (failure) throw failure.error;
      });
      // The handler sees the rejection when it awaits its turn; until then it is not "unhandled".
      turn.catch(() => {});
      inflight = handler.write(trx, [...byKey.values()], options.actor, turn).then(
        (outcome) => {
          report.inserted += outcome.inserted;
          report.updated += outcome.updated;
          report.unchanged += outcome.unchanged + dup;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      // At most one batch waits for its turn while another is written: memory stays bounded.
      await previous;
      if (failure) throw failure.error;
    };
    const settle = async () => {
      await inflight;
      if (failure) throw failure.error;
    };

    const readAll = async () => {
      for await (const { line, record } of records) {
        report.rows++;
        const prepared = handler.prepare(record);
        if (prepared.errors) {
          report.rejected++;
          if (options.skipInvalid) {
            options.onRejected?.(line, record, prepared.errors);
          } else {
            for (const e of prepared.errors) {
              totalErrors++;
              if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, ...e });
            }
          }
        } else if (totalErrors === 0) {
          // Once the file is known to be refused, rows are still checked (to list every error) but not written.
          if (prepared.unresolved) report.unresolved++;
          pending.push(prepared);
          if (pending.length >= batchSize) await flush();
        }
        if (report.rows % 5_000 === 0) heap.check();
        if (report.rows % 10_000 === 0) options.onProgress?.(report.rows);
      }
      if (totalErrors > 0) throw new ImportRejected(options.file, errors, totalErrors);
      await flush();
    };

    try {
      await readAll();
    } finally {
      // Never leave the transaction with a write still running, whatever happened.
      await inflight;
    }
    await settle();
    await handler.finish?.(trx);
    if (report.inserted + report.updated > 0) {
      await bumpDataVersion(trx);
      // One chain entry for the file, covering the seals of the rows it wrote (services/audit.ts).
      await appendAudit(trx, {
        actor: options.actor,
        action: "import",
        target: `import:${basename(options.file)}`,
        at: timestamp(ledger),
        note: `${report.inserted} inserted, ${report.updated} updated`,
      });
    }
    options.onProgress?.(report.rows);
  });
  return report;
}

/** History entries for the rows an import changed: the stored version before, and the one after. */
export async function appendImportHistory(
  db: Executor,
  entity: "incident" | "claim",
  changes: readonly { id: number; before: unknown; after: unknown }[],
  actor: string,
  at: string,
): Promise<void> {
  await appendHistory(
    db,
    changes.map((c) => ({
      entity,
      entityId: c.id,
      action: "import.update",
      actor,
      before: c.before,
      after: c.after,
      at,
    })),
  );
}
