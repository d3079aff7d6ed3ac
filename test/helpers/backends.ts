/**
 * Every store test runs on both backends: SQLite in a temporary file, and PostgreSQL in a schema of its own
 * on the server at TALLY_TEST_PG (default: the local server). CI sets TALLY_REQUIRE_PG=1, so a missing server
 * fails the run there instead of silently testing one backend.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { closeLedger, type Ledger, type LedgerOptions, openLedger } from "../../src/services/ledger.js";
import type { Dialect } from "../../src/store/dialect.js";

export const PG_URL = process.env.TALLY_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const pgUp = await postgresReachable();
if (!pgUp) {
  if (process.env.TALLY_REQUIRE_PG === "1")
    throw new Error(`PostgreSQL is required but not reachable at ${PG_URL}`);
  console.warn(`PostgreSQL not reachable at ${PG_URL}: the PostgreSQL half of the store tests is skipped`);
}

export const BACKENDS: Dialect[] = pgUp ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestLedger {
  ledger: Ledger;
  /** What to hand to openLedger (or the CLI's environment) to open the same store again. */
  config: LedgerOptions;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function openTestLedger(
  backend: Dialect,
  extra: Partial<LedgerOptions> = {},
): Promise<TestLedger> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tally-test-"));
    const dbPath = join(dir, "tally.db");
    const config: LedgerOptions = { dbPath, ...extra };
    const ledger = await openLedger(config);
    return {
      ledger,
      config,
      env: { TALLY_DB: dbPath },
      async cleanup() {
        await closeLedger(ledger).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Named after the run (see test/global-setup.ts, which drops them all at the end) and unique within it.
  const schema = `t_${process.env.TALLY_TEST_RUN ?? "adhoc"}_${process.pid}_${counter++}`;
  const config: LedgerOptions = { databaseUrl: PG_URL, pgSchema: schema, poolSize: 4, ...extra };
  const ledger = await openLedger(config);
  return {
    ledger,
    config,
    env: { DATABASE_URL: PG_URL, TALLY_PG_SCHEMA: schema },
    async cleanup() {
      // The schema stays until the run ends: dropping it now would race other suites' migrations.
      await closeLedger(ledger).catch(() => {});
    },
  };
}
