/**
 * A server process for bench/load.ts: the Tally API on the store named by the environment (TALLY_DB or
 * DATABASE_URL + TALLY_PG_SCHEMA), or a bare Fastify route as the baseline (`--bare`). It listens on
 * 127.0.0.1 only, with the per-client rate limit lifted (every bench client comes from one address), and
 * prints "ready" when it accepts requests.
 */
import Fastify from "fastify";
import { buildServer } from "../../src/server/app.js";
import { openLedger } from "../../src/services/ledger.js";
import { resolveStoreConfig } from "../../src/store/db.js";

const port = Number(process.argv[2]);
const bare = process.argv.includes("--bare");

if (bare) {
  const app = Fastify({ logger: false });
  app.get("/ping", async () => ({ ok: true }));
  await app.listen({ port, host: "127.0.0.1" });
} else {
  const ledger = await openLedger({ ...resolveStoreConfig(process.env), poolSize: 20 });
  const app = await buildServer({ ledger, rateLimit: 100_000_000 });
  await app.listen({ port, host: "127.0.0.1" });
}
process.stdout.write("ready\n");
