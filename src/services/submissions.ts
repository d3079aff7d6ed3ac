/**
 * Single submissions through the API or a form: the same validation, place resolution and idempotency as a
 * file import of one row, so a form that is sent twice (say, after a dropped connection) records one incident.
 */

import { appendAudit, rowHash, sealWhere } from "../store/repositories/audit.js";
import { importClaims } from "./import/claims.js";
import { importIncidents } from "./import/incidents.js";
import { FileFormatError } from "./import/read-records.js";
import { ImportRejected } from "./import/run.js";
import { publicIncident } from "./incidents.js";
import { type Ledger, timestamp } from "./ledger.js";
import type { Principal } from "./tokens.js";

async function* one(record: Record<string, unknown>) {
  yield { line: 1, record };
}

export async function submitIncident(ledger: Ledger, record: Record<string, unknown>, principal: Principal) {
  // A reporter's submission waits for review; reviewers may record with a status of their choosing.
  const status = principal.role === "reporter" ? "submitted" : undefined;
  const input = principal.role === "reporter" ? { ...record, status: undefined, grade: undefined } : record;
  const report = await importIncidents(ledger, one(input), { file: "body", actor: principal.name, status });
  const row = await ledger.store.db
    .selectFrom("incidents")
    .selectAll()
    .where("row_key", "=", report.lastKey as string)
    .executeTakeFirstOrThrow();
  if (principal.kind === "user" && row.submitted_by === null) {
    await ledger.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("incidents")
        .set({ submitted_by: principal.id })
        .where("id", "=", row.id)
        .execute();
      const [sealed] = await sealWhere(trx, "incidents", "id", [row.id]);
      await appendAudit(trx, {
        actor: principal.name,
        action: "submission.attribute",
        target: `incident:${row.id}`,
        at: timestamp(ledger),
        afterHash: sealed ? rowHash("incidents", sealed) : null,
      });
    });
  }
  return { created: report.inserted === 1, incident: publicIncident(row) };
}

export async function recordClaim(ledger: Ledger, record: Record<string, unknown>, principal: Principal) {
  const report = await importClaims(ledger, one(record), { file: "body", actor: principal.name });
  const row = await ledger.store.db
    .selectFrom("claims")
    .selectAll()
    .where("row_key", "=", report.lastKey as string)
    .executeTakeFirstOrThrow();
  return { created: report.inserted === 1, claim: row };
}

export { FileFormatError, ImportRejected };
