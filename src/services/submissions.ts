/**
 * Single submissions through the API or a form: the same validation, place resolution and idempotency as a
 * file import of one row, so a form that is sent twice (say, after a dropped connection) records one incident.
 */

import { importClaims } from "./import/claims.js";
import { importIncidents } from "./import/incidents.js";
import { FileFormatError } from "./import/read-records.js";
import { ImportRejected } from "./import/run.js";
import { publicIncident } from "./incidents.js";
import type { Ledger } from "./ledger.js";
import type { Principal } from "./tokens.js";

async function* one(record: Record<string, unknown>) {
  yield { line: 1, record };
}

export async function submitIncident(ledger: Ledger, record: Record<string, unknown>, principal: Principal) {
  // A reporter's submission waits for review; reviewers may record with a status of their choosing.
  const reporter = principal.role === "reporter";
  const input = reporter ? { ...record, status: undefined, grade: undefined } : record;
  const report = await importIncidents(ledger, one(input), {
    file: "body",
    actor: principal.name,
    status: reporter ? "submitted" : undefined,
    // Each submitter's ids live in their own space: resending another reporter's id cannot touch their row.
    keyScope: reporter ? `${principal.kind}:${principal.id}` : undefined,
    submittedBy: principal.kind === "user" ? principal.id : undefined,
    // Unpublished until a reviewer accepts it, whether it came from a form, a session or an API token.
    unreviewed: reporter,
  });
  const row = await ledger.store.db
    .selectFrom("incidents")
    .selectAll()
    .where("row_key", "=", report.lastKey as string)
    .executeTakeFirstOrThrow();
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
