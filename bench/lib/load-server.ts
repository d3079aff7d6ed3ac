/**
 * A server process for bench/load.ts: the Tally API on the store named by the environment (TALLY_DB or
 * DATABASE_URL + TALLY_PG_SCHEMA), or a bare Fastify route as the baseline (`--bare`). It listens on
 * 127.0.0.1 only, with the per-client rate limit lifted (every bench client comes from one address), and
 * prints "ready" when it accepts requests.
 *
 * What the clients cannot see is kept here: per route, the responses by status, the slowest one and how many
 * took over a second, and the requests the client gave up on (aborted); and when each connection was
 * accepted. On SIGTERM it prints them to stderr as one line `stats {json}`, then closes the server and the
 * store. TALLY_LOG_LEVEL (e.g. warn) turns
 * Fastify's log on, to stderr: a 500 is logged there with its error.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.js";
import { closeLedger, type Ledger, openLedger } from "../../src/services/ledger.js";
import { resolveStoreConfig } from "../../src/store/db.js";

const port = Number(process.argv[2]);
const bare = process.argv.includes("--bare");
const level = process.env.TALLY_LOG_LEVEL;

interface RouteStats {
  status: Record<string, number>;
  maxMs: number;
  overSecond: number;
  aborted: number;
}
const stats = new Map<string, RouteStats>();
const statsOf = (url: string) => {
  let s = stats.get(url);
  if (!s) {
    s = { status: {}, maxMs: 0, overSecond: 0, aborted: 0 };
    stats.set(url, s);
  }
  return s;
};

function instrument(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const s = statsOf(request.url);
    const code = String(reply.statusCode);
    s.status[code] = (s.status[code] ?? 0) + 1;
    const ms = reply.elapsedTime;
    if (ms > s.maxMs) s.maxMs = Math.round(ms);
    if (ms > 1000) s.overSecond++;
  });
  app.addHook("onRequestAbort", async (request) => {
    statsOf(request.url).aborted++;
  });
}

let app: FastifyInstance;
let ledger: Ledger | undefined;
if (bare) {
  app = Fastify({ logger: false });
  app.get("/ping", async () => ({ ok: true }));
} else {
  ledger = await openLedger({ ...resolveStoreConfig(process.env), poolSize: 20 });
  app = await buildServer({
    ledger,
    rateLimit: 100_000_000,
    logger: level ? { level, stream: process.stderr } : false,
  });
  instrument(app);
}
// When each connection was accepted (ms after listening): a busy server accepts one per turn of its event loop.
const accepted: number[] = [];
let listening = 0;
app.server.on("connection", () => accepted.push(Math.round(performance.now() - listening)));
await app.listen({ port, host: "127.0.0.1" });
listening = performance.now();
process.stdout.write("ready\n");

process.once("SIGTERM", async () => {
  process.stderr.write(`stats ${JSON.stringify({ routes: Object.fromEntries(stats), accepted })}\n`);
  setTimeout(() => process.exit(0), 5000).unref();
  await app.close().catch(() => {});
  if (ledger) await closeLedger(ledger).catch(() => {});
  process.exit(0);
});
