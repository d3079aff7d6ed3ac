/**
 * Crash safety: `tally import` and `tally serve` (taking submissions) run side by side on one store and are
 * both killed with SIGKILL at random moments, over and over. After each kill the store must open, the audit
 * chain must verify, and re-running the import and the submissions must complete with no duplicate and the
 * tallies the data implies. All data is synthetic.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { verifyAudit } from "../../src/services/audit.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { readRecords } from "../../src/services/import/read-records.js";
import { closeLedger, openLedger } from "../../src/services/ledger.js";
import { submitIncident } from "../../src/services/submissions.js";
import { computeTally } from "../../src/services/tallies.js";
import { createToken, type Principal } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { type IncidentFixture, incidentsCsv, syntheticIncidents } from "../helpers/fixtures.js";

// Ten runs per backend, each killing both processes: at least 20 runs and 40 kills over the two backends.
const RUNS = Number(process.env.TALLY_CRASH_RUNS ?? 10);
// Enough rows that the import is still writing when its kill comes (up to 250 ms after it starts), on either
// backend, however fast the import gets.
const ROWS = 8000;
const dir = mkdtempSync(join(tmpdir(), "tally-crash-"));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function tally(env: Record<string, string>, args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "test/trust/cli-harness.ts", ...args], {
    env: { ...process.env, DATABASE_URL: "", TALLY_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** A killed process has a signal code and no exit code; either means it is gone. */
const gone = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;
const exited = (p: ChildProcess) => new Promise<void>((r) => (gone(p) ? r() : p.once("exit", () => r())));

const IMPORT_APP = "tally-crash-import";

/**
 * Resolves true once the importer holds its write transaction, false if it exits first. PostgreSQL shows the
 * transaction in pg_stat_activity under the importer's application name; on SQLite another writer is refused
 * twice in a row (the server's short submissions cannot hold the lock that long).
 */
async function writing(t: TestLedger, importer: ChildProcess): Promise<boolean> {
  if (t.env.TALLY_DB) {
    const probe = new SQLite(t.env.TALLY_DB, { timeout: 0 });
    const busy = () => {
      try {
        probe.exec("begin immediate");
        probe.exec("rollback");
        return false;
      } catch {
        return true;
      }
    };
    try {
      while (!gone(importer)) {
        if (busy()) {
          await sleep(40);
          if (busy()) return true;
        }
        await sleep(15);
      }
      return false;
    } finally {
      probe.close();
    }
  }
  const client = new pg.Client({ connectionString: t.env.DATABASE_URL });
  await client.connect();
  try {
    while (!gone(importer)) {
      const r = await client.query(
        "select 1 from pg_stat_activity where application_name = $1 and xact_start is not null and state <> 'idle'",
        [IMPORT_APP],
      );
      if (r.rowCount) return true;
      await sleep(15);
    }
    return false;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const range = (v: string | undefined): [number, number] => {
  if (!v) return [0, 0];
  const [a, b] = v.split("-").map(Number) as [number, number?];
  return [a, b ?? a];
};

describe.each(BACKENDS)("crash safety on %s", (backend) => {
  let t: TestLedger;
  afterAll(async () => t?.cleanup());

  it(`survives SIGKILL of the importer and the server, ${RUNS} times`, async () => {
    t = await openTestLedger(backend);
    const token = await createToken(t.ledger, "crash-client", "reviewer");
    const principal: Principal = {
      kind: "token",
      id: token.id,
      name: "token:crash-client",
      role: "reviewer",
    };
    await closeLedger(t.ledger);
    const expected = { low: 0, high: 0, rows: 0 };
    let submittedBefore = { rows: 0, killed: 0 };
    // Kill moments: up to 250 ms after the importer starts writing, and 0.15-1.5 s after the server is up.
    const rng = fc.sample(
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true })),
      { numRuns: RUNS, seed: 42 },
    );
    let killedWhileRunning = 0;
    let killedWhileWriting = 0;
    let interrupted = 0;

    for (let run = 0; run < RUNS; run++) {
      const [importDelay, serverFraction] = rng[run] as [number, number];
      const rows = syntheticIncidents(ROWS, 1000 + run);
      const file = join(dir, `${backend}-run${run}.csv`);
      writeFileSync(file, incidentsCsv(rows));
      const port = await freePort();
      const server = tally(t.env, ["serve", "--port", String(port)]);
      const importer = tally({ ...t.env, PGAPPNAME: IMPORT_APP }, [
        "import",
        "incidents",
        file,
        "--no-progress",
      ]);
      const started = Date.now();
      const submitted = new Map<string, Record<string, unknown>>();

      // Submissions through the server until it dies.
      const base = `http://127.0.0.1:${port}`;
      let up = false;
      for (let i = 0; i < 400 && !up && !gone(server); i++) {
        up = await fetch(`${base}/api/v1/meta`).then(
          (r) => r.ok,
          () => false,
        );
        if (!up) await sleep(50);
      }
      const serverKill = sleep(serverFraction * 1500).then(() => {
        if (!gone(server)) killedWhileRunning++;
        server.kill("SIGKILL");
      });
      // The importer is killed a random moment after it is seen holding its write transaction.
      const importKill = writing(t, importer).then(async (seen) => {
        if (!seen) return;
        await sleep(importDelay * 250);
        if (!gone(importer)) killedWhileWriting++;
        importer.kill("SIGKILL");
      });
      let n = 0;
      const worker = async () => {
        while (!gone(server) && up && Date.now() - started < 30_000) {
          const record = {
            external_id: `sub-${run}-${n++}`,
            source: "Crash network (synthetic)",
            date: "2021-03-03",
            place: "Tabriz",
            country: "IR",
            type: "protest",
            killed: String(n % 4),
          };
          submitted.set(record.external_id, record);
          await fetch(`${base}/api/v1/incidents`, {
            method: "POST",
            headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
            body: JSON.stringify(record),
          }).catch(() => {});
        }
      };
      // Workers stop when the server is gone, or after a bound in case it never came up.
      await Promise.all([worker(), worker(), worker(), serverKill, importKill]);
      await Promise.all([exited(server), exited(importer)]);
      const t1 = Date.now();

      // Restart: the store opens and the chain verifies as the crash left it.
      const ledger = await openLedger(t.config);
      try {
        const t2 = Date.now();
        const crashed = await verifyAudit(ledger);
        const t3 = Date.now();
        expect(crashed.problems, `after run ${run}`).toEqual([]);
        // Re-running completes, adding only what the crash kept out.
        const again = await importIncidents(ledger, readRecords(createReadStream(file), "csv"), {
          file,
          actor: "rerun",
        });
        for (const r of rows as IncidentFixture[]) {
          const [lo, hi] = range(r.killed);
          expected.low += lo;
          expected.high += hi;
        }
        expected.rows += rows.length;
        const t4 = Date.now();
        if (again.inserted > 0) interrupted++;
        // This run's submissions again (earlier runs' were checked complete after their own crash).
        for (const rec of submitted.values()) await submitIncident(ledger, rec, principal);
        const subs = {
          rows: submittedBefore.rows + submitted.size,
          killed: submittedBefore.killed + [...submitted.values()].reduce((s, r) => s + Number(r.killed), 0),
        };
        submittedBefore = subs;
        const count = await ledger.store.db
          .selectFrom("incidents")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect(Number(count.n), `incidents after run ${run}`).toBe(expected.rows + subs.rows);
        const dup = await ledger.store.db
          .selectFrom("incidents")
          .select(["external_id", "source_id"])
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .groupBy(["external_id", "source_id"])
          .having((eb) => eb.fn.countAll(), ">", 1)
          .execute();
        expect(dup).toEqual([]);
        const total = (await computeTally(ledger, TallyQuery.parse({ metric: "killed", by: "country" })))
          .total;
        expect([total.low, total.high]).toEqual([expected.low + subs.killed, expected.high + subs.killed]);
        if (run === RUNS - 1) expect((await verifyAudit(ledger)).problems).toEqual([]);
        if (process.env.TALLY_CRASH_TIMES)
          console.log(
            `run ${run}: procs ${t1 - started} open ${t2 - t1} verify ${t3 - t2} reimport ${t4 - t3} rest ${Date.now() - t4} subs ${submitted.size} reinserted ${again.inserted}`,
          );
      } finally {
        await closeLedger(ledger);
      }
    }
    if (process.env.TALLY_CRASH_TIMES)
      console.log(
        `servers killed serving ${killedWhileRunning}, importers killed writing ${killedWhileWriting}, imports cut short ${interrupted}`,
      );
    // Most kills must land while the processes are at work, or the test proves little: the servers while
    // serving, the importers inside their transaction (their rows then missing until the re-run).
    expect(killedWhileRunning).toBeGreaterThan(RUNS / 2);
    expect(killedWhileWriting).toBeGreaterThan(RUNS / 2);
    expect(interrupted).toBeGreaterThan(RUNS / 2);
  }, 420_000);
});
