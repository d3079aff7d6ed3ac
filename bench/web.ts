/**
 * The web app's budgets (issue 5):
 *  - JavaScript a reporter's phone downloads for the form, gzipped, against the 150 KB budget;
 *  - the review queue at 100,000 candidates on localhost: the API's page and the screen's load in Chromium,
 *    against the same measured with 1,000 candidates (the baseline), and against the 500 ms budget.
 * All ledger data here is SYNTHETIC. Run: node --import tsx bench/web.ts [--candidates N] [--postgres]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { sql } from "kysely";
import pg from "pg";
import { chromium } from "playwright-core";
import { buildServer } from "../src/server/app.js";
import { importClaims } from "../src/services/import/claims.js";
import { importIncidents } from "../src/services/import/incidents.js";
import { closeLedger, type Ledger, openLedger } from "../src/services/ledger.js";
import { createUser } from "../src/services/users.js";

const ROOT = resolve(import.meta.dirname, "..");
// A build of its own, so that a test or another helper building web/dist at the same time changes nothing here.
const DIST = mkdtempSync(join(tmpdir(), "tally-bench-web-build-"));
process.env.TALLY_WEB_ROOT = DIST;
const BUDGET_FORM_KB = 150;
const BUDGET_QUEUE_MS = 500;
const CHROMIUM = "/usr/bin/chromium";
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("candidates", 100_000);
const BASE_N = 1_000;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// ---------------------------------------------------------------------------------------------- bundle sizes
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

function bundleSizes() {
  const r = spawnSync(
    "npx",
    [
      "vite",
      "build",
      "--config",
      "web/vite.config.ts",
      "--logLevel",
      "error",
      "--outDir",
      DIST,
      "--emptyOutDir",
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(DIST, "build-manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;
  /** The files a screen needs before it can run: its chunk and everything it imports statically. */
  const closure = (keys: string[]) => {
    const seen = new Set<string>();
    const walk = (k: string) => {
      if (seen.has(k)) return;
      seen.add(k);
      for (const i of manifest[k]?.imports ?? []) walk(i);
    };
    for (const k of keys) walk(k);
    return [...seen].map((k) => (manifest[k] as ManifestChunk).file);
  };
  const size = (files: string[]) => {
    let raw = 0;
    let gz = 0;
    let br = 0;
    for (const f of files) {
      const data = readFileSync(join(DIST, f));
      raw += data.length;
      gz += gzipSync(data, { level: 9 }).length;
      br += brotliCompressSync(data).length;
    }
    return { raw, gz, br };
  };
  const screens: Record<string, string[]> = {
    "shell (sign-in page)": ["index.html", "src/pages/SignIn.tsx"],
    "reporter's form": ["index.html", "src/reporter/ReportPage.tsx"],
    "reporter's form + own submissions": [
      "index.html",
      "src/reporter/ReportPage.tsx",
      "src/reporter/SubmissionsPage.tsx",
    ],
    "review desk": [
      "index.html",
      "src/review/QueuePage.tsx",
      "src/review/CandidatePage.tsx",
      "src/review/IncidentPage.tsx",
      "src/review/DuplicatesPage.tsx",
    ],
  };
  const allJs = Object.values(manifest)
    .map((c) => c.file)
    .filter((f) => f.endsWith(".js"));
  const total = size([...new Set(allJs)]);
  console.log("JavaScript per screen (what a first visit downloads; gzip -9, brotli):");
  const out: Record<string, number> = {};
  for (const [name, keys] of Object.entries(screens)) {
    const s = size(closure(keys));
    out[name] = s.gz;
    console.log(
      `  ${name.padEnd(36)} ${kb(s.raw).padStart(9)} raw  ${kb(s.gz).padStart(8)} gz  ${kb(s.br).padStart(8)} br  ` +
        `${((100 * s.gz) / total.gz).toFixed(0).padStart(3)}% of all JS`,
    );
  }
  const sw = size(["sw.js"]);
  console.log(
    `  ${"whole app (every screen)".padEnd(36)} ${kb(total.raw).padStart(9)} raw  ${kb(total.gz).padStart(8)} gz`,
  );
  console.log(`  ${"service worker".padEnd(36)} ${kb(sw.raw).padStart(9)} raw  ${kb(sw.gz).padStart(8)} gz`);
  const form = out["reporter's form"] as number;
  console.log(
    `  reporter's form / budget (${BUDGET_FORM_KB} KB gz): ${(form / (BUDGET_FORM_KB * 1024)).toFixed(2)}  ` +
      `${form <= BUDGET_FORM_KB * 1024 ? "within budget" : "OVER BUDGET"}`,
  );
}

// ------------------------------------------------------------------------------------------ the review queue
const CITIES = [
  "Tehran",
  "Mashhad",
  "Isfahan",
  "Shiraz",
  "Tabriz",
  "Ahvaz",
  "Karaj",
  "Rasht",
  "Zahedan",
  "Kermanshah",
];
const TYPES = ["protest", "violence_against_civilians", "arrests", "property_attack", "campaign"];

async function* candidateIncidents(n: number) {
  for (let i = 0; i < n; i++) {
    const day = 1 + (i % 28);
    yield {
      line: i + 2,
      record: {
        external_id: `bench-${i}`,
        date: `2026-${String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
        place: CITIES[i % CITIES.length] as string,
        country: "IR",
        type: TYPES[i % TYPES.length] as string,
        killed: String(i % 7),
        source: `Synthetic Source ${i % 40}`,
        source_kind: "media",
        status: "candidate",
        description: `Synthetic candidate ${i}`,
      },
    };
  }
}

async function* candidateClaims(n: number) {
  for (let i = 0; i < n; i++) {
    yield {
      line: i + 2,
      record: {
        external_id: `bench-claim-${i}`,
        source: `Synthetic Source ${i % 40}`,
        source_kind: "media",
        metric: "killed",
        low: String(10 + (i % 500)),
        qualifier: "at_least",
        as_of: `2026-${String(1 + (i % 12)).padStart(2, "0")}-15`,
        country: "IR",
        status: "candidate",
      },
    };
  }
}

async function seed(ledger: Ledger, n: number) {
  const claims = Math.floor(n / 10);
  const t = performance.now();
  await importIncidents(ledger, candidateIncidents(n - claims), { file: "bench", actor: "bench" });
  await importClaims(ledger, candidateClaims(claims), { file: "bench", actor: "bench" });
  return performance.now() - t;
}

interface QueueFigures {
  apiFirst: number;
  apiDeep: number;
  pageWarm: number | null;
  pageCold: number | null;
}

const BACKEND = process.argv.includes("--postgres") ? "postgres" : "sqlite";
const PG_URL = process.env.TALLY_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/test";

async function measureQueue(n: number): Promise<QueueFigures> {
  const dir = mkdtempSync(join(tmpdir(), "tally-bench-web-"));
  const schema = `bench_web_${process.pid}_${n}`;
  const ledger = await openLedger(
    BACKEND === "postgres" ? { databaseUrl: PG_URL, pgSchema: schema } : { dbPath: join(dir, "tally.db") },
  );
  try {
    const seconds = (await seed(ledger, n)) / 1000;
    console.log(`  seeded ${n.toLocaleString("en")} synthetic candidates in ${seconds.toFixed(1)} s`);
    if (BACKEND === "postgres") {
      // Right after a bulk load the planner's statistics are stale until autovacuum's next analyze (about a
      // minute): it then picks a full scan and the first page takes ~400 ms at 100,000. Measured as steady state.
      await sql`analyze`.execute(ledger.store.db);
    }
    await createUser(
      ledger,
      { username: "bench-reviewer", role: "reviewer", password: "bench password 1" },
      "bench",
    );
    const app = await buildServer({ ledger });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    try {
      // The API with a session, as the page calls it.
      const jar: string[] = [];
      const csrf = await fetch(`${base}/api/v1/auth/csrf`);
      jar.push(...csrf.headers.getSetCookie().map((c) => c.split(";")[0] as string));
      const token = ((await csrf.json()) as { token: string }).token;
      const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": token, cookie: jar.join("; ") },
        body: JSON.stringify({ username: "bench-reviewer", password: "bench password 1" }),
      });
      jar.push(...signIn.headers.getSetCookie().map((c) => c.split(";")[0] as string));
      const cookie = jar.join("; ");
      const timeGet = async (url: string) => {
        const t = performance.now();
        const r = await fetch(`${base}${url}`, { headers: { cookie } });
        const body = (await r.json()) as { items: unknown[]; next: string | null };
        if (!r.ok || body.items.length === 0) throw new Error(`${url}: ${r.status}`);
        return { ms: performance.now() - t, next: body.next };
      };
      const first: number[] = [];
      for (let i = 0; i < 15; i++) first.push((await timeGet("/api/v1/review?origin=candidate&limit=50")).ms);
      // A page far down the queue: follow the cursor 20 pages, then time that page.
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        cursor = (
          await timeGet(`/api/v1/review?origin=candidate&limit=50${cursor ? `&cursor=${cursor}` : ""}`)
        ).next;
      }
      const deep: number[] = [];
      for (let i = 0; i < 15; i++) {
        deep.push((await timeGet(`/api/v1/review?origin=candidate&limit=50&cursor=${cursor}`)).ms);
      }
      let pageWarm: number | null = null;
      let pageCold: number | null = null;
      if (existsSync(CHROMIUM)) {
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          headless: true,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        });
        try {
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(`${base}/sign-in`);
          await page.getByLabel("Username").fill("bench-reviewer");
          await page.getByLabel("Password").fill("bench password 1");
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(/\/review$/);
          const load = async () => {
            const t = performance.now();
            await page.goto(`${base}/review?origin=candidate`);
            await page.locator("table.queue tbody tr").first().waitFor();
            return performance.now() - t;
          };
          // Cold: a new context, nothing cached (no service worker yet, no HTTP cache).
          const coldContext = await browser.newContext();
          await coldContext.addCookies(await context.cookies());
          const cold = await coldContext.newPage();
          const t = performance.now();
          await cold.goto(`${base}/review?origin=candidate`);
          await cold.locator("table.queue tbody tr").first().waitFor();
          pageCold = performance.now() - t;
          await coldContext.close();
          const warm: number[] = [];
          await load();
          for (let i = 0; i < 9; i++) warm.push(await load());
          pageWarm = median(warm);
        } finally {
          await browser.close();
        }
      }
      return { apiFirst: median(first), apiDeep: median(deep), pageWarm, pageCold };
    } finally {
      await app.close();
    }
  } finally {
    await closeLedger(ledger);
    rmSync(dir, { recursive: true, force: true });
    if (BACKEND === "postgres") {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
}

async function queue() {
  console.log(
    `\nReview queue on localhost (${BACKEND === "postgres" ? "PostgreSQL" : "SQLite"}), baseline ${BASE_N.toLocaleString("en")} candidates:`,
  );
  const base = await measureQueue(BASE_N);
  const big = await measureQueue(N);
  const row = (name: string, b: number | null, x: number | null) => {
    if (b === null || x === null) {
      console.log(`  ${name.padEnd(34)} (Chromium not found at ${CHROMIUM}: skipped)`);
      return;
    }
    console.log(
      `  ${name.padEnd(34)} ${b.toFixed(1).padStart(7)} ms at ${BASE_N.toLocaleString("en")}  ` +
        `${x.toFixed(1).padStart(7)} ms at ${N.toLocaleString("en")}  ratio ${(x / b).toFixed(2)}  ` +
        `budget ${(x / BUDGET_QUEUE_MS).toFixed(2)} of ${BUDGET_QUEUE_MS} ms`,
    );
  };
  row("API first page (50 rows)", base.apiFirst, big.apiFirst);
  row("API page 21 (cursor)", base.apiDeep, big.apiDeep);
  row("screen load, warm (median of 9)", base.pageWarm, big.pageWarm);
  row("screen load, cold (first visit)", base.pageCold, big.pageCold);
}

try {
  bundleSizes();
  await queue();
} finally {
  rmSync(DIST, { recursive: true, force: true });
}
