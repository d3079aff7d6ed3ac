/**
 * Writers in parallel, on two connections pools (as two server processes would have), still produce one
 * linear chain that verifies; and `tally audit verify` exits non-zero naming the entry.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { auditHead, verifyAudit } from "../../src/services/audit.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { closeLedger, openLedger } from "../../src/services/ledger.js";
import { reviewIncident } from "../../src/services/review.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

const run = promisify(execFile);

async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const r = await run(process.execPath, ["--import", "tsx", "test/trust/cli-harness.ts", ...args], {
      env: { ...process.env, DATABASE_URL: "", ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(BACKENDS)("audit chain under concurrent writers on %s", (backend) => {
  const opened: TestLedger[] = [];
  afterAll(async () => {
    for (const t of opened) await t.cleanup();
  });

  it("keeps one linear chain with writers on two connection pools", async () => {
    const t = await openTestLedger(backend);
    opened.push(t);
    // Two SQLite connections in one process would block each other's event loop (better-sqlite3 waits
    // synchronously on a lock), so SQLite writers share one connection here; processes are tested in crash.test.ts.
    const other = backend === "postgres" ? await openLedger(t.config) : t.ledger;
    try {
      await importIncidents(t.ledger, records(incidentsCsv(syntheticIncidents(30, 3))), {
        file: "base.csv",
        actor: "a",
      });
      const ledgers = [t.ledger, other];
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 24; i++) {
        const l = ledgers[i % 2] as typeof t.ledger;
        if (i % 3 === 0)
          jobs.push(
            importIncidents(l, records(incidentsCsv(syntheticIncidents(5, 50 + i))), {
              file: `p${i}.csv`,
              actor: `w${i}`,
            }),
          );
        else if (i % 3 === 1)
          jobs.push(reviewIncident(l, 1 + (i % 30), { status: "verified", note: `n${i}` }, `r${i}`));
        else jobs.push(createToken(l, `t${i}`, "reporter", `admin${i}`));
      }
      const results = await Promise.allSettled(jobs);
      const failed = results.filter((r) => r.status === "rejected");
      expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
      const report = await verifyAudit(t.ledger);
      expect(report.problems).toEqual([]);
      const head = await auditHead(t.ledger);
      expect(head.seq).toBe(25);
      const seqs = (
        await sql<{ seq: number }>`select seq from audit_entries order by seq`.execute(t.ledger.store.db)
      ).rows;
      expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    } finally {
      if (other !== t.ledger) await closeLedger(other);
    }
  });

  it("tally audit verify and head: exit 0 on a clean ledger, 1 naming the entry after tampering", async () => {
    const t = await openTestLedger(backend);
    opened.push(t);
    await importIncidents(t.ledger, records(incidentsCsv(syntheticIncidents(10, 4))), {
      file: "a.csv",
      actor: "a",
    });
    await reviewIncident(t.ledger, 2, { status: "verified" }, "rev");
    const head = await cli(t.env, "audit", "head");
    expect(head.code).toBe(0);
    expect(head.stdout.trim()).toMatch(/^2:[0-9a-f]{64}$/);
    const ok = await cli(t.env, "audit", "verify", "--expect", head.stdout.trim());
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("audit chain verified: 2 entries");
    await sql`update audit_entries set actor = 'mallory' where seq = 1`.execute(t.ledger.store.db);
    await sql`update incidents set status = 'verified' where id = 5`.execute(t.ledger.store.db);
    const bad = await cli(t.env, "audit", "verify");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("entry 1: entry 1 was edited");
    expect(bad.stderr).toContain("incidents 5 was changed outside the application");
    expect(bad.stderr).toMatch(/province_cells: \d+ cells? differ|city_cells/);
  });
});
