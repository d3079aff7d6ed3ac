/**
 * The public dashboard's benchmark (issue 6):
 * - first render on localhost with BENCH_ROWS incidents (default 1,000,000): from navigation to the headline
 *   figures on screen, and to the whole first view (map symbols and the time series drawn), in Chromium, with
 *   the server's caches cold (its first request after start) and warm; set against the same measurement on the
 *   6,000-incident demo in the same run;
 * - the JavaScript shipped, gzipped: what the dashboard's first view loads (entry, its chunks, CSS), and all
 *   public screens together, map outlines not counted (target < 400 KB).
 * The big ledger (SYNTHETIC rows from bench/lib/incidents-file.ts, graded and partly verified here) is kept in
 * .bench/ and reused while its row count matches.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { type Browser, chromium } from "playwright-core";
import { buildServer } from "../src/server/app.js";
import { computeHeadline } from "../src/services/dashboard.js";
import { buildDemo } from "../src/services/demo.js";
import { importClaims } from "../src/services/import/claims.js";
import { importIncidents } from "../src/services/import/incidents.js";
import { readRecords } from "../src/services/import/read-records.js";
import { closeLedger, type Ledger, openLedger } from "../src/services/ledger.js";
import { rebuildCells } from "../src/store/repositories/cells.js";
import { bumpDataVersion, setMeta } from "../src/store/repositories/meta.js";
import { writeBenchCsv } from "./lib/incidents-file.js";

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DIR = ".bench";
const CHROMIUM = "/usr/bin/chromium";
const BIG = `${DIR}/dashboard-${N}.db`;
const SMALL = `${DIR}/dashboard-demo.db`;
const fmt = (x: number) => Math.round(x).toLocaleString("en");
mkdirSync(DIR, { recursive: true });

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} not found: the dashboard bench needs Chromium (apt-get install chromium)`);
  process.exit(2);
}

async function count(ledger: Ledger): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from incidents`.execute(ledger.store.db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The big ledger: imported through the service, then graded so that the headline has something to count. */
async function bigLedger(): Promise<Ledger> {
  if (existsSync(BIG)) {
    const l = await openLedger({ dbPath: BIG });
    if ((await count(l)) === N) return l;
    await closeLedger(l);
  }
  for (const s of ["", "-wal", "-shm"]) rmSync(BIG + s, { force: true });
  const csv = `${DIR}/incidents-${N}.csv`;
  if (!existsSync(csv)) await writeBenchCsv(csv, N);
  const ledger = await openLedger({ dbPath: BIG });
  let t = performance.now();
  const { createReadStream } = await import("node:fs");
  await importIncidents(ledger, readRecords(createReadStream(csv), "csv"), { file: csv, actor: "bench" });
  console.log(`built ${BIG}: imported ${fmt(N)} synthetic incidents in ${fmt(performance.now() - t)} ms`);
  t = performance.now();
  // Reviews of a real ledger arrive one by one; here they are set in one statement and the cells rebuilt.
  await sql`update incidents set status = case when id % 5 = 0 then 'submitted' else 'verified' end,
    grade = case id % 4 when 0 then 'confirmed' when 1 then 'fair' when 2 then 'weak' else 'contested' end`.execute(
    ledger.store.db,
  );
  await rebuildCells(ledger.store.db);
  await importClaims(ledger, weeklyClaims(), { file: "bench-claims", actor: "bench" });
  await setMeta(ledger.store.db, "synthetic", "true");
  await bumpDataVersion(ledger.store.db);
  console.log(`graded, cells rebuilt and claims added in ${fmt(performance.now() - t)} ms`);
  return ledger;
}

async function* weeklyClaims() {
  let line = 0;
  for (let week = 1; week <= 52; week++) {
    const asOf = new Date(Date.UTC(2025, 0, 1) + week * 7 * 86_400_000).toISOString().slice(0, 10);
    for (const [source, kind, metric, low, qualifier] of [
      ["Ministry (synthetic)", "official", "killed", 200 + week * 40, "exact"],
      ["Monitor (synthetic)", "ngo", "killed", 3000 + week * 900, "at_least"],
      ["Monitor (synthetic)", "ngo", "arrested", 20000 + week * 5000, "over"],
    ] as const) {
      yield {
        line: ++line,
        record: {
          source,
          source_kind: kind,
          metric,
          low,
          qualifier,
          as_of: asOf,
          period_from: "2025-01-01",
          place: "Iran",
          country: "IR",
          status: "verified",
        },
      };
    }
  }
}

async function smallLedger(): Promise<Ledger> {
  for (const s of ["", "-wal", "-shm"]) rmSync(SMALL + s, { force: true });
  const ledger = await openLedger({ dbPath: SMALL });
  await buildDemo(ledger);
  return ledger;
}

interface Render {
  figures: number;
  complete: number;
}

/** Milliseconds from navigation to the headline figures, and to the map and series drawn, in a fresh context. */
async function firstRender(browser: Browser, base: string): Promise<Render> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${base}/`, { waitUntil: "commit" });
    await page.locator(".headline-card .figure strong").first().waitFor({ timeout: 120_000 });
    const figures = performance.now() - t0;
    await page.locator(".map .symbols circle").first().waitFor({ timeout: 120_000 });
    await page.locator(".plot svg").first().waitFor({ timeout: 120_000 });
    return { figures, complete: performance.now() - t0 };
  } finally {
    await context.close();
  }
}

async function measure(ledger: Ledger, browser: Browser): Promise<{ cold: Render; warm: Render }> {
  const app = await buildServer({ ledger, synthetic: true });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  try {
    const cold = await firstRender(browser, base);
    const runs: Render[] = [];
    for (let i = 0; i < 5; i++) runs.push(await firstRender(browser, base));
    const median = (k: keyof Render) => runs.map((r) => r[k]).sort((a, b) => a - b)[2] as number;
    return { cold, warm: { figures: median("figures"), complete: median("complete") } };
  } finally {
    await app.close();
  }
}

/**
 * Gzipped bytes of what a view loads: the entry's static imports, and the code its screens load lazily (Plot),
 * but not the other screens the entry can load, nor the map outlines (JSON, not counted by the target).
 */
function shipped(entries: string[]): { js: number; css: number; files: string[] } {
  const dist = "web/dist";
  const manifest = JSON.parse(readFileSync(join(dist, "build-manifest.json"), "utf8")) as Record<
    string,
    { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[] }
  >;
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const m = manifest[key];
    if (!m) throw new Error(`${key} is not in the build manifest`);
    files.add(m.file);
    for (const c of m.css ?? []) files.add(c);
    for (const i of m.imports ?? []) visit(i);
    if (key !== "index.html") for (const i of m.dynamicImports ?? []) visit(i);
  };
  for (const e of entries) visit(e);
  let js = 0;
  let css = 0;
  for (const f of files) {
    if (f.endsWith(".json")) continue;
    const size = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
    if (f.endsWith(".css")) css += size;
    else js += size;
  }
  return { js, css, files: [...files] };
}

execFileSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "error"], {
  stdio: "inherit",
});
const first = shipped(["index.html", "src/dashboard/Overview.tsx"]);
const allPublic = shipped([
  "index.html",
  "src/dashboard/Overview.tsx",
  "src/dashboard/IncidentsPage.tsx",
  "src/dashboard/IncidentPage.tsx",
  "src/dashboard/SourcesPage.tsx",
]);
const outlines = (() => {
  const manifest = JSON.parse(readFileSync("web/dist/build-manifest.json", "utf8")) as Record<
    string,
    { file: string }
  >;
  const key = Object.keys(manifest).find((k) => k.includes("countries-50m"));
  const file = key ? manifest[key]?.file : undefined;
  return file ? gzipSync(readFileSync(join("web/dist", file)), { level: 9 }).length : null;
})();
console.log(
  `JS shipped, gzipped: dashboard first view ${fmt(first.js / 1024)} KB (+ ${fmt(first.css / 1024)} KB CSS), ` +
    `all public screens ${fmt(allPublic.js / 1024)} KB (target < 400 KB); map outlines ${outlines === null ? "?" : fmt(outlines / 1024)} KB, not counted`,
);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const small = await smallLedger();
  const base = await measure(small, browser);
  await closeLedger(small);
  const big = await bigLedger();
  const n = await count(big);
  // What the server's first reader would wait for without the prewarm at start: the headline, computed afresh.
  const th = performance.now();
  await computeHeadline(big, "bench");
  const headlineMs = performance.now() - th;
  const result = await measure(big, browser);
  await closeLedger(big);
  const line = (label: string, r: Render, b: Render) =>
    `${label}: figures ${fmt(r.figures)} ms, full first view ${fmt(r.complete)} ms ` +
    `(6,000-incident demo: ${fmt(b.figures)} / ${fmt(b.complete)} ms → ratio ${(r.complete / b.complete).toFixed(2)})`;
  const load = (await import("node:os")).loadavg()[0]?.toFixed(1);
  console.log(
    `first render with ${fmt(n)} incidents on localhost (target < 2,000 ms; load average ${load}):`,
  );
  console.log(`  ${line("server caches cold", result.cold, base.cold)}`);
  console.log(`  ${line("warm, median of 5", result.warm, base.warm)}`);
  console.log(
    `  the headline computed afresh (every metric, both grade sets, latest claims): ${fmt(headlineMs)} ms; ` +
      "the server computes it at start and once per data version",
  );
} finally {
  await browser.close();
}
