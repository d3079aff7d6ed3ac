/**
 * The ledger's benchmarks (issue 3). Every figure is set against a baseline measured in the same run:
 * - import: rows/s of `tally import` on a CSV of N synthetic incidents, against raw prepared inserts of the same
 *   rows into a ledger of the same schema (SQLite), and against COPY (PostgreSQL); peak memory of the import;
 * - tally: p50 latency of province × month over the N incidents, on both backends;
 * - HTTP: requests/s of GET /api/v1/tallies against a bare Fastify JSON route, under autocannon.
 * BENCH_ROWS sets N (default 1,000,000).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { TallyQuery } from "../src/core/tally.js";
import { buildServer } from "../src/server/app.js";
import { closeLedger, openLedger } from "../src/services/ledger.js";
import { computeTally } from "../src/services/tallies.js";
import { openStore } from "../src/store/db.js";
import { BASELINE_COLUMNS, baselineChunks } from "./ledger/baseline-rows.js";
import { writeBenchCsv } from "./lib/incidents-file.js";

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PG_URL = process.env.TALLY_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const DIR = ".bench";
mkdirSync(DIR, { recursive: true });
const csv = `${DIR}/incidents-${N}.csv`;
const fmt = (x: number) => Math.round(x).toLocaleString("en");

if (!existsSync(csv)) {
  const t = performance.now();
  await writeBenchCsv(csv, N);
  console.log(`wrote ${csv} (${fmt(N)} synthetic rows) in ${fmt(performance.now() - t)} ms`);
}

// The measured import runs what `tally import` runs: the compiled build, under the node flags of the CLI's
// own entry point (its `#!/usr/bin/env -S node …` line). The build is brought up to date first.
execFileSync("npm", ["run", "--silent", "build:ts"], { stdio: "inherit" });
const cliFlags = (readFileSync("bin/tally.js", "utf8").split("\n")[0] ?? "")
  .replace(/^#!\S*env (-S )?node/, "")
  .trim()
  .split(/\s+/)
  .filter(Boolean);

function importChild(env: Record<string, string>) {
  const out = execFileSync(process.execPath, [...cliFlags, "bench/ledger/import-child.mjs", csv], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").pop() as string) as {
    rows: number;
    ms: number;
    rowsPerSecond: number;
    maxRssMB: number;
    cpuMs: number;
    loadMs: number;
  };
}

// --- SQLite: raw prepared inserts, then the import, each into a fresh ledger file of the same schema.
const rawFile = `${DIR}/raw.db`;
const sqliteFile = `${DIR}/ledger.db`;
for (const f of [rawFile, sqliteFile]) for (const s of ["", "-wal", "-shm"]) rmSync(f + s, { force: true });
await (await openStore({ dbPath: rawFile })).close();
const raw = new SQLite(rawFile);
raw.pragma("journal_mode = WAL");
raw.pragma("synchronous = NORMAL");
const insert = raw.prepare(
  `insert into incidents (${BASELINE_COLUMNS.join(",")}) values (${BASELINE_COLUMNS.map(() => "?").join(",")})`,
);
let rawMs = 0;
let rawCpuMs = 0;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
raw.exec("begin");
for (const chunk of baselineChunks(N)) {
  const t = performance.now();
  const c = process.cpuUsage();
  for (const row of chunk) insert.run(row);
  rawMs += performance.now() - t;
  rawCpuMs += cpuMs(process.cpuUsage(c));
}
const tc = performance.now();
const cc = process.cpuUsage();
raw.exec("commit");
rawMs += performance.now() - tc;
rawCpuMs += cpuMs(process.cpuUsage(cc));
raw.close();
const rawRate = N / (rawMs / 1000);
console.log(
  `import child: node ${cliFlags.join(" ")} bench/ledger/import-child.mjs (flags from bin/tally.js)`,
);
const sqliteImport = importChild({ TALLY_DB: sqliteFile, DATABASE_URL: "" });
console.log(
  `import, SQLite: ${fmt(sqliteImport.rowsPerSecond)} rows/s vs raw prepared inserts ${fmt(rawRate)} rows/s ` +
    `→ ratio ${(sqliteImport.rowsPerSecond / rawRate).toFixed(2)} (target ≥ 0.3); ` +
    `peak memory ${sqliteImport.maxRssMB} MB (target < 512); gazetteer and store load ${sqliteImport.loadMs} ms`,
);
// Both sides run in one process each on SQLite, so their CPU times compare too, and other load on the machine
// moves them far less than it moves wall time.
console.log(
  `import, SQLite, CPU time: ${fmt(sqliteImport.cpuMs)} ms vs raw prepared inserts ${fmt(rawCpuMs)} ms ` +
    `→ ratio ${(rawCpuMs / sqliteImport.cpuMs).toFixed(2)}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
);

// --- PostgreSQL: COPY of the same rows, then the import, each into a fresh schema.
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
for (const s of ["bench_copy", "bench_import"]) await admin.query(`drop schema if exists ${s} cascade`);
await (await openStore({ databaseUrl: PG_URL, pgSchema: "bench_copy" })).close();
await admin.query("set search_path = bench_copy");
const tCopy = performance.now();
const copy = admin.query(copyFrom(`copy incidents (${BASELINE_COLUMNS.join(",")}) from stdin`));
const tsvCell = (v: unknown) => (v === null ? "\\N" : String(v).replace(/[\t\n\\]/g, " "));
for (const chunk of baselineChunks(N)) {
  const text = chunk.map((r) => `${r.map(tsvCell).join("\t")}\n`).join("");
  if (!copy.write(text)) await new Promise((r) => copy.once("drain", r));
}
await new Promise<void>((resolve, reject) => {
  copy.on("finish", () => resolve());
  copy.on("error", reject);
  copy.end();
});
const copyRate = N / ((performance.now() - tCopy) / 1000);
const pgImport = importChild({ DATABASE_URL: PG_URL, TALLY_PG_SCHEMA: "bench_import" });
console.log(
  `import, PostgreSQL: ${fmt(pgImport.rowsPerSecond)} rows/s vs COPY ${fmt(copyRate)} rows/s ` +
    `→ ratio ${(pgImport.rowsPerSecond / copyRate).toFixed(2)} (target ≥ 0.3); peak memory ${pgImport.maxRssMB} MB`,
);
await admin.end();

// --- Tally latency, province × month, on both backends (uncached: computeTally, not the HTTP cache).
const query = TallyQuery.parse({ metric: "killed", by: "province", period: "month" });
async function p50(config: Parameters<typeof openLedger>[0]) {
  const ledger = await openLedger(config);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    rows = (await computeTally(ledger, query)).rows.length;
    times.push(performance.now() - t);
  }
  await closeLedger(ledger);
  times.sort((a, b) => a - b);
  return { p50: times[5] as number, rows };
}
const sqliteTally = await p50({ dbPath: sqliteFile });
const pgTally = await p50({ databaseUrl: PG_URL, pgSchema: "bench_import" });
console.log(
  `tally province × month over ${fmt(N)} incidents: SQLite p50 ${fmt(sqliteTally.p50)} ms (target ≤ 250), ` +
    `PostgreSQL p50 ${fmt(pgTally.p50)} ms (target ≤ 150); ${sqliteTally.rows} rows`,
);

// --- HTTP: the tallies endpoint against a bare Fastify JSON route, same process, same client settings.
async function rps(url: string): Promise<{ rps: number; errors: number }> {
  const r = await autocannon({ url, connections: 20, duration: 8 });
  return { rps: r.requests.average, errors: r.errors + r.non2xx };
}
const ledger = await openLedger({ dbPath: sqliteFile });
// The baseline serves the same JSON document from a bare route, so the ratio measures what the API adds
// (validation, the data-version check, authentication hooks, security headers, rate limiting), not body size.
const sameBody = JSON.stringify(
  await computeTally(ledger, TallyQuery.parse({ metric: "killed", by: "province", period: "month" })),
);
const bare = Fastify();
bare.get("/bare", async (_req, reply) => reply.type("application/json").send(sameBody));
await bare.listen({ port: 0, host: "127.0.0.1" });
const app = await buildServer({ ledger, rateLimit: 10_000_000 });
await app.listen({ port: 0, host: "127.0.0.1" });
const bareAddr = bare.server.address() as { port: number };
const appAddr = app.server.address() as { port: number };
const base = await rps(`http://127.0.0.1:${bareAddr.port}/bare`);
const tallies = await rps(
  `http://127.0.0.1:${appAddr.port}/api/v1/tallies?metric=killed&by=province&period=month`,
);
console.log(
  `GET /api/v1/tallies: ${fmt(tallies.rps)} req/s vs a bare Fastify route serving the same JSON ${fmt(base.rps)} req/s ` +
    `→ ratio ${(tallies.rps / base.rps).toFixed(2)} (target ≥ 0.5); errors ${tallies.errors + base.errors}`,
);
await app.close();
await bare.close();
await closeLedger(ledger);
