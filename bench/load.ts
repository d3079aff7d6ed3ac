/**
 * Load, with autocannon against server processes on 127.0.0.1, on both backends:
 * - reads: 200 concurrent clients on the public read endpoints, for LOAD_SECONDS (default 60), zero errors;
 * - writes: 50 concurrent writers submitting incidents, each with a fresh id; afterwards every acknowledged
 *   submission must be in the store exactly once (no loss, no duplicate);
 * - the same with two server processes on one PostgreSQL.
 * Figures are printed with their ratio to a bare Fastify route measured in the same run.
 *
 *   node --import tsx bench/load.ts            (LOAD_SECONDS=10 for a quick look; LOAD_BACKENDS=sqlite)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { importIncidents } from "../src/services/import/incidents.js";
import { closeLedger, type LedgerOptions, openLedger } from "../src/services/ledger.js";
import { createToken } from "../src/services/tokens.js";
import { incidentsCsv, records, syntheticIncidents } from "../test/helpers/fixtures.js";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PG_URL = process.env.TALLY_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const READS = [
  "/api/v1/tallies?metric=killed&by=province",
  "/api/v1/tallies?metric=arrested&by=city&period=month",
  "/api/v1/tallies?metric=killed&by=country&period=week&status=verified",
  "/api/v1/incidents?limit=50",
  "/api/v1/claims",
  "/api/v1/sources",
  "/api/v1/comparisons?metric=killed",
  "/api/v1/headline",
  "/api/v1/meta",
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(
  env: Record<string, string>,
  bare = false,
): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", "bench/lib/load-server.ts", String(port), ...(bare ? ["--bare"] : [])],
    { env: { ...process.env, DATABASE_URL: "", ...env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    proc.once("exit", (c) => reject(new Error(`server exited with ${c}`)));
  });
  return { base: `http://127.0.0.1:${port}`, proc };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await done;
}

type Result = autocannon.Result;

function cannon(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summary(r: Result) {
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

async function reads(bases: string[], connections: number) {
  const per = Math.floor(connections / bases.length);
  const results = await Promise.all(
    bases.map((base) =>
      cannon({
        url: base,
        connections: per,
        duration: SECONDS,
        requests: READS.map((path) => ({ method: "GET", path })),
      }),
    ),
  );
  return combine(results);
}

function combine(results: Result[]) {
  const s = results.map(summary);
  return {
    rps: s.reduce((a, x) => a + x.rps, 0),
    p50: Math.max(...s.map((x) => x.p50)),
    p99: Math.max(...s.map((x) => x.p99)),
    requests: s.reduce((a, x) => a + x.requests, 0),
    errors: s.reduce((a, x) => a + x.errors, 0),
    timeouts: s.reduce((a, x) => a + x.timeouts, 0),
    non2xx: s.reduce((a, x) => a + x.non2xx, 0),
  };
}

async function writes(bases: string[], connections: number, token: string, label: string) {
  const acked = new Set<string>();
  let n = 0;
  const per = Math.floor(connections / bases.length);
  const results = await Promise.all(
    bases.map((base, b) =>
      cannon({
        url: base,
        connections: per,
        duration: SECONDS,
        requests: [
          {
            method: "POST",
            path: "/api/v1/incidents",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            setupRequest: (req, context: object) => {
              const id = `${label}-${b}-${n++}`;
              (context as { id?: string }).id = id;
              return {
                ...req,
                body: JSON.stringify({
                  external_id: id,
                  source: "Load writers (synthetic)",
                  date: "2021-04-05",
                  place: "Shiraz",
                  country: "IR",
                  type: "protest",
                  killed: "1",
                }),
              };
            },
            onResponse: (status, _body, context: object) => {
              if (status === 201) acked.add((context as { id: string }).id);
            },
          },
        ],
      }),
    ),
  );
  return { ...combine(results), acked };
}

async function countWrites(config: LedgerOptions, label: string, acked: Set<string>) {
  const ledger = await openLedger(config);
  try {
    const rows = await ledger.store.db
      .selectFrom("incidents")
      .select("external_id")
      .where("external_id", "like", `${label}-%`)
      .execute();
    const ids = rows.map((r) => r.external_id as string);
    const distinct = new Set(ids);
    let lost = 0;
    for (const id of acked) if (!distinct.has(id)) lost++;
    return { acknowledged: acked.size, stored: ids.length, lost, duplicated: ids.length - distinct.size };
  } finally {
    await closeLedger(ledger);
  }
}

async function prepare(config: LedgerOptions): Promise<string> {
  const ledger = await openLedger(config);
  try {
    await importIncidents(ledger, records(incidentsCsv(syntheticIncidents(20_000, 3))), {
      file: "load.csv",
      actor: "bench",
    });
    return (await createToken(ledger, "load", "reviewer", "bench")).token;
  } finally {
    await closeLedger(ledger);
  }
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const fmt = (label: string, r: ReturnType<typeof combine>, base: number) =>
  `${label.padEnd(34)} ${String(r.rps).padStart(7)} req/s (${(r.rps / base).toFixed(3)}× bare)  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
  `requests ${r.requests}  errors ${r.errors} (timeouts ${r.timeouts})  non-2xx ${r.non2xx}`;

async function main() {
  const wanted = (process.env.LOAD_BACKENDS ?? "sqlite,postgres").split(",");
  const backends = wanted.filter((b) => b === "sqlite" || b === "postgres");
  if (backends.includes("postgres") && !(await pgReachable())) {
    console.log(`PostgreSQL not reachable at ${PG_URL}: skipped`);
    backends.splice(backends.indexOf("postgres"), 1);
  }
  console.log(`load: ${SECONDS} s per phase, 127.0.0.1 only`);
  const bare = await startServer({}, true);
  const baseline = combine([
    await cannon({ url: `${bare.base}/ping`, connections: 200, duration: Math.min(SECONDS, 20) }),
  ]);
  await stop(bare.proc);
  console.log(fmt("bare Fastify route (baseline)", baseline, baseline.rps));
  let failures = 0;
  const check = (ok: boolean, what: string) => {
    if (!ok) {
      failures++;
      console.log(`  FAILED: ${what}`);
    }
  };

  for (const backend of backends) {
    const dir = mkdtempSync(join(tmpdir(), "tally-load-"));
    const schema = `load_${process.pid}`;
    const env: Record<string, string> =
      backend === "sqlite"
        ? { TALLY_DB: join(dir, "tally.db") }
        : { DATABASE_URL: PG_URL, TALLY_PG_SCHEMA: schema };
    const config: LedgerOptions =
      backend === "sqlite" ? { dbPath: join(dir, "tally.db") } : { databaseUrl: PG_URL, pgSchema: schema };
    try {
      const token = await prepare(config);
      const layouts = backend === "postgres" ? [1, 2] : [1];
      for (const processes of layouts) {
        const servers = await Promise.all(Array.from({ length: processes }, () => startServer(env)));
        const bases = servers.map((s) => s.base);
        const tag = `${backend}, ${processes} process${processes > 1 ? "es" : ""}`;
        try {
          const r = await reads(bases, 200);
          console.log(fmt(`reads  ${tag}`, r, baseline.rps));
          check(r.errors === 0 && r.non2xx === 0, `${tag}: reads had errors`);
          const label = `load${processes}${backend[0]}${Date.now().toString(36)}`;
          const w = await writes(bases, 50, token, label);
          console.log(fmt(`writes ${tag}`, w, baseline.rps));
          const c = await countWrites(config, label, w.acked);
          console.log(
            `${"".padEnd(34)} acknowledged ${c.acknowledged}, stored ${c.stored}, lost ${c.lost}, duplicated ${c.duplicated}`,
          );
          check(c.lost === 0 && c.duplicated === 0, `${tag}: writes lost or duplicated`);
          check(w.errors === 0 && w.non2xx === 0, `${tag}: writes had errors`);
        } finally {
          for (const s of servers) await stop(s.proc);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (backend === "postgres") {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists "${schema}" cascade`);
        await c.end();
      }
    }
  }
  process.exit(failures ? 1 : 0);
}

await main();
