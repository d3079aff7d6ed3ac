/** The `tally` command end to end, as a user runs it, on both backends. */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, syntheticIncidents } from "../helpers/fixtures.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "tally-cli-"));

async function tally(env: Record<string, string>, ...args: string[]) {
  try {
    const r = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      env: { ...process.env, DATABASE_URL: "", ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("tally places resolve", () => {
  it("resolves the issue's example with provinces and coordinates", async () => {
    const r = await tally(
      {},
      "places",
      "resolve",
      "Izeh (Khuzestan)",
      "Ghaemshahr",
      "Dezfoul",
      "--country",
      "IR",
      "--json",
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.map((x: { match: { province: string } }) => x.match.province)).toEqual([
      "Khuzestan",
      "Mazandaran",
      "Khuzestan",
    ]);
    for (const x of out) expect(typeof x.match.lat).toBe("number");
  });
});

describe.each(BACKENDS)("the ledger commands on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
    await t.ledger.store.close(); // the CLI opens its own connection
  });
  afterAll(async () => t.cleanup());

  it("imports, refuses a bad file with line numbers, tallies, exports and re-imports", async () => {
    const good = join(dir, `${backend}-good.csv`);
    writeFileSync(good, incidentsCsv(syntheticIncidents(40, 21)));
    const imported = await tally(t.env, "import", "incidents", good);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("40 rows, 40 new");
    expect((await tally(t.env, "import", "incidents", good)).stdout).toContain(
      "0 new, 0 updated, 40 unchanged",
    );

    const bad = join(dir, `${backend}-bad.csv`);
    writeFileSync(
      bad,
      "date,place,country,type,killed\n2021-01-01,Tehran,IR,protest,1\n2021-01-02,Tehran,IR,protest,lots\n",
    );
    const refused = await tally(t.env, "import", "incidents", bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${backend}-bad.csv:3: killed:`);
    expect(refused.stderr).toContain("nothing was imported");

    const totals = JSON.parse(
      (await tally(t.env, "tally", "--metric", "killed", "--by", "province", "--json")).stdout,
    );
    expect(totals.total.incidents).toBe(40);
    expect(totals.rows.reduce((a: number, r: { low: number }) => a + r.low, 0)).toBe(totals.total.low);

    const out = join(dir, `${backend}-export.csv`);
    expect((await tally(t.env, "export", "incidents", "--format", "csv", "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8").split("\n")[0]).toContain("external_id,date");
    expect((await tally(t.env, "import", "incidents", out)).stdout).toContain(
      "0 new, 0 updated, 40 unchanged",
    );

    const bye = await tally(t.env, "tally", "--metric", "souls");
    expect(bye.code).not.toBe(0);
    expect(bye.stderr).toMatch(/souls/);
  });

  it("prints a new token alone on the last line", async () => {
    const r = await tally(t.env, "tokens", "create", "--name", "script", "--role", "reviewer");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toMatch(/^tly_[A-Za-z0-9_-]{43}$/);
  });
});

describe("tally serve", () => {
  it("starts, logs without addresses, answers the API, and stops on SIGTERM", async () => {
    const db = join(dir, "serve.db");
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--db", db, "serve", "--port", String(port)],
      {
        env: { ...process.env, DATABASE_URL: "" },
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    try {
      for (let i = 0; i < 100 && !out.includes("Tally is serving"); i++)
        await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain("Tally is serving");
      const meta = await fetch(`http://127.0.0.1:${port}/api/v1/meta`);
      expect(meta.status).toBe(200);
      expect(await meta.json()).toMatchObject({ name: "Tally", synthetic: false });
      await new Promise((r) => setTimeout(r, 300));
      expect(out).toContain('"route":"/api/v1/meta"');
      expect(out).not.toMatch(/127\.0\.0\.1:\d+"?,?"?remote|remoteAddress|"ip"/);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });
});
