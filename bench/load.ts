/**
 * Load, with autocannon against server processes on 127.0.0.1, on both backends:
 * - reads: 200 concurrent clients on the public read endpoints, for LOAD_SECONDS (default 60), zero errors
 *   (on a ledger of 20,000 incidents and 60 claims, the servers' caches cold at the start);
 * - writes: 50 concurrent writers submitting incidents, each with a fresh id; afterwards every acknowledged
 *   submission must be in the store exactly once (no loss, no duplicate);
 * - the same with two server processes on one PostgreSQL.
 * Figures are printed with their ratio to a bare Fastify route measured in the same run, with the errors by
 * kind: timeouts (no answer within autocannon's 10 s; which request and when it was sent), other socket
 * errors, and responses by status; and the load average. Then what each server saw per route (statuses,
 * slowest, over a second, aborted by the client) and when it accepted the clients' connections. Server logs
 * (at TALLY_LOG_LEVEL, default warn) go to LOAD_LOG (default tmp/load-servers.log).
 *
 *   node --import tsx bench/load.ts            (LOAD_SECONDS=10 for a quick look; LOAD_BACKENDS=sqlite;
 *                                               LOAD_PHASES=reads to skip the writers; LOAD_PROCESSES=2 for
 *                                               only the two-process layout on PostgreSQL)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { importClaims } from "../src/services/import/claims.js";
import { importIncidents } from "../src/services/import/incidents.js";
import { closeLedger, type LedgerOptions, openLedger } from "../src/services/ledger.js";
import { createToken } from "../src/services/tokens.js";
import { CITIES, incidentsCsv, records, syntheticIncidents } from "../test/helpers/fixtures.js";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PG_URL = process.env.TALLY_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const PHASES = (process.env.LOAD_PHASES ?? "reads,writes").split(",");
const PROCESSES = (process.env.LOAD_PROCESSES ?? "1,2").split(",").map(Number);
const LOG = process.env.LOAD_LOG ?? "tmp/load-servers.log";
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

interface Server {
  base: string;
  proc: ChildProcess;
  /** What the server counted (see load-server.ts), once it has stopped. */
  stats?: {
    routes: Record<
      string,
      { status: Record<string, number>; maxMs: number; overSecond: number; aborted: number }
    >;
    /** When each connection was accepted, in ms after the server started listening. */
    accepted: number[];
  };
}

async function startServer(env: Record<string, string>, bare = false): Promise<Server> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", "bench/lib/load-server.ts", String(port), ...(bare ? ["--bare"] : [])],
    {
      env: { TALLY_LOG_LEVEL: "warn", ...process.env, DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const server: Server = { base: `http://127.0.0.1:${port}`, proc };
  let pending = "";
  proc.stderr?.on("data", (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("stats ")) server.stats = JSON.parse(line.slice(6));
      else appendFileSync(LOG, `${port} ${line}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    proc.once("exit", (c) => reject(new Error(`server exited with ${c}`)));
  });
  return server;
}

async function stop(server: Server): Promise<void> {
  const { proc } = server;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once("close", r));
  proc.kill("SIGTERM");
  await done;
}

/**
 * Per route, what the servers saw; and how long the clients' connections waited to be accepted (the clients
 * connect all at once when the phase starts; one that waits 10 s is a timeout the server never sees).
 */
function serverReport(servers: Server[]): string[] {
  const out: string[] = [];
  for (const s of servers) {
    const tag = `${"".padEnd(36)}${servers.length > 1 ? `[${s.base.split(":").pop()}] ` : ""}`;
    for (const [url, r] of Object.entries(s.stats?.routes ?? {})) {
      const bad = Object.entries(r.status).filter(([code]) => !code.startsWith("2"));
      const n = Object.values(r.status).reduce((a, x) => a + x, 0);
      out.push(
        `${tag}${url}: ${n} answered, slowest ${r.maxMs} ms, ${r.overSecond} over 1 s, ${r.aborted} aborted by the client` +
          (bad.length ? `, ${bad.map(([c, k]) => `${k}× ${c}`).join(", ")}` : ""),
      );
    }
    const accepted = s.stats?.accepted ?? [];
    if (accepted.length) {
      const marks = [1, 50, 100, 200].filter((k) => k <= accepted.length);
      out.push(
        `${tag}connections accepted (ms after listening): ${marks.map((k) => `#${k} at ${accepted[k - 1]}`).join(", ")}; ${accepted.length} in all`,
      );
    }
  }
  return out;
}

type Result = autocannon.Result;

function cannon(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summary(r: Result) {
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
    if (!code.startsWith("2")) statuses[code] = count ?? 0;
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    // autocannon counts a timeout as an error too: `errors` is every request without an answer.
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statuses,
  };
}

/**
 * Where the timeouts fell: autocannon only counts them, so each client is watched. A client that times out
 * reconnects and sends its next request at once, so the request that timed out is the one before the current.
 */
function watchTimeouts(start: number, seen: { at: number; path: string }[]) {
  return (client: unknown) => {
    const c = client as {
      on(event: "timeout", listener: () => void): void;
      requestIterator?: { currentRequestIndex?: number };
    };
    c.on("timeout", () => {
      const next = c.requestIterator?.currentRequestIndex ?? 0;
      const path = READS[(next + READS.length - 1) % READS.length] as string;
      seen.push({ at: (Date.now() - start) / 1000, path });
    });
  };
}

function timeoutReport(seen: { at: number; path: string }[]): string[] {
  if (seen.length === 0) return [];
  const byPath = new Map<string, number[]>();
  for (const { at, path } of seen) byPath.set(path, [...(byPath.get(path) ?? []), at]);
  return [...byPath].map(
    ([path, at]) =>
      `${"".padEnd(36)}timeouts on ${path}: ${at.length}, sent between t+${Math.max(0, Math.min(...at) - 10).toFixed(1)} s and t+${Math.max(0, Math.max(...at) - 10).toFixed(1)} s`,
  );
}

async function reads(bases: string[], connections: number) {
  const per = Math.floor(connections / bases.length);
  const start = Date.now();
  const timeouts: { at: number; path: string }[] = [];
  const results = await Promise.all(
    bases.map((base) =>
      cannon({
        url: base,
        connections: per,
        duration: SECONDS,
        requests: READS.map((path) => ({ method: "GET", path })),
        setupClient: watchTimeouts(start, timeouts),
      }),
    ),
  );
  return { ...combine(results), timeoutLines: timeoutReport(timeouts) };
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
    statuses: s.reduce<Record<string, number>>((a, x) => {
      for (const [code, n] of Object.entries(x.statuses)) a[code] = (a[code] ?? 0) + n;
      return a;
    }, {}),
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

/**
 * Claims of four synthetic sources over the incidents' months, national and per city: the comparisons, the
 * headline's latest claims and the claims list then have something to read (a comparison reads the documented
 * count once per claim).
 */
function claimsCsv(n: number): string {
  let csv = "external_id,source,source_kind,metric,low,as_of,place,country,status\n";
  for (let i = 0; i < n; i++) {
    const day = `2021-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const place = i % 2 ? (CITIES[i % CITIES.length] as string) : "";
    csv += `load-c${i},Load claimant ${i % 4} (synthetic),ngo,${i % 3 ? "killed" : "arrested"},${50 + i},${day},${place},IR,verified\n`;
  }
  return csv;
}

async function prepare(config: LedgerOptions): Promise<string> {
  const ledger = await openLedger(config);
  try {
    await importIncidents(ledger, records(incidentsCsv(syntheticIncidents(20_000, 3))), {
      file: "load.csv",
      actor: "bench",
    });
    await importClaims(ledger, records(claimsCsv(60)), { file: "load-claims.csv", actor: "bench" });
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
  `requests ${r.requests}  errors ${r.errors} (timeouts ${r.timeouts}, other ${r.errors - r.timeouts})  ` +
  `non-2xx ${r.non2xx}${
    r.non2xx
      ? ` (${Object.entries(r.statuses)
          .map(([c, n]) => `${n}× ${c}`)
          .join(", ")})`
      : ""
  }  ` +
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`;

async function main() {
  const wanted = (process.env.LOAD_BACKENDS ?? "sqlite,postgres").split(",");
  const backends = wanted.filter((b) => b === "sqlite" || b === "postgres");
  if (backends.includes("postgres") && !(await pgReachable())) {
    console.log(`PostgreSQL not reachable at ${PG_URL}: skipped`);
    backends.splice(backends.indexOf("postgres"), 1);
  }
  console.log(`load: ${SECONDS} s per phase, 127.0.0.1 only; server logs in ${LOG}`);
  mkdirSync("tmp", { recursive: true });
  const bare = await startServer({}, true);
  const baseline = combine([
    await cannon({ url: `${bare.base}/ping`, connections: 200, duration: Math.min(SECONDS, 20) }),
  ]);
  await stop(bare);
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
      const layouts = backend === "postgres" ? PROCESSES : [1];
      for (const processes of layouts) {
        const servers = await Promise.all(Array.from({ length: processes }, () => startServer(env)));
        const bases = servers.map((s) => s.base);
        const tag = `${backend}, ${processes} process${processes > 1 ? "es" : ""}`;
        try {
          if (PHASES.includes("reads")) {
            const r = await reads(bases, 200);
            console.log(fmt(`reads  ${tag}`, r, baseline.rps));
            for (const line of r.timeoutLines) console.log(line);
            check(r.errors === 0 && r.non2xx === 0, `${tag}: reads had errors`);
          }
          if (!PHASES.includes("writes")) continue;
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
          for (const s of servers) await stop(s);
          for (const line of serverReport(servers)) console.log(line);
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
