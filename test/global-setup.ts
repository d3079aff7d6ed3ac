/**
 * Once per test run. PostgreSQL suites each get a schema named after this run, and the schemas are dropped
 * here at the end rather than by each suite: Kysely's migrator reads the catalogue of every schema, and a
 * schema dropped by one suite while another suite migrates makes that read fail ("schema … does not exist").
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const PG_URL = process.env.TALLY_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

export default function setup() {
  const run = randomBytes(4).toString("hex");
  // Workers are forked after this, so they inherit the run id.
  process.env.TALLY_TEST_RUN = run;
  return async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
    } catch {
      return; // no server: nothing was created on it
    }
    try {
      const { rows } = await client.query<{ nspname: string }>(
        "select nspname from pg_namespace where nspname like $1",
        [`t\\_${run}\\_%`],
      );
      for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    } finally {
      await client.end();
    }
  };
}
