/**
 * Backups: a portable archive that restores into an empty store of either backend with identical tallies and
 * an audit chain that verifies; a snapshot taken while writes go on is consistent; a damaged archive restores
 * nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { verifyAudit } from "../../src/services/audit.js";
import { backup, restore } from "../../src/services/backup.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import type { Ledger } from "../../src/services/ledger.js";
import { computeTally } from "../../src/services/tallies.js";
import type { Dialect } from "../../src/store/dialect.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";
import { populate } from "./populate.js";

const dir = mkdtempSync(join(tmpdir(), "tally-backup-"));
const opened: TestLedger[] = [];
afterAll(async () => {
  for (const t of opened) await t.cleanup();
});
const open = async (backend: Dialect) => {
  const t = await openTestLedger(backend);
  opened.push(t);
  return t;
};

async function tallies(ledger: Ledger) {
  const out: unknown[] = [];
  for (const q of [
    { metric: "killed", by: "province" },
    { metric: "arrested", by: "city", period: "month" },
    { metric: "killed", by: "country", period: "day", status: "verified" },
  ])
    out.push(await computeTally(ledger, TallyQuery.parse(q)));
  return JSON.stringify(out);
}

const pairs: [Dialect, Dialect][] = BACKENDS.flatMap((a) =>
  BACKENDS.map((b) => [a, b] as [Dialect, Dialect]),
);

describe.each(pairs)("backup on %s, restore on %s", (from, to) => {
  it("restores identical tallies and a verifying audit chain", async () => {
    const a = await open(from);
    await populate(a.ledger, 60);
    const file = join(dir, `${from}-${to}.ndjson.gz`);
    const manifest = await backup(a.ledger, file);
    expect(manifest.tables.incidents?.rows).toBeGreaterThan(50);
    const b = await open(to);
    await restore(b.ledger, file);
    expect(await tallies(b.ledger)).toBe(await tallies(a.ledger));
    const report = await verifyAudit(b.ledger);
    expect(report.problems).toEqual([]);
    expect(report.head).toEqual(manifest.head);
    // The restored ledger goes on: new changes extend the same chain, and ids do not collide.
    await importIncidents(b.ledger, records(incidentsCsv(syntheticIncidents(5, 9))), {
      file: "more.csv",
      actor: "x",
    });
    expect((await verifyAudit(b.ledger)).ok).toBe(true);
  });
});

describe.each(BACKENDS)("backup safety on %s", (backend) => {
  it("takes a consistent snapshot while imports write", async () => {
    const a = await open(backend);
    await populate(a.ledger, 20);
    const writes = (async () => {
      for (let i = 0; i < 6; i++)
        await importIncidents(a.ledger, records(incidentsCsv(syntheticIncidents(30, 100 + i))), {
          file: `w${i}.csv`,
          actor: "w",
        });
    })();
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const file = join(dir, `live-${backend}-${i}.ndjson.gz`);
      await backup(a.ledger, file);
      files.push(file);
    }
    await writes;
    for (const file of files) {
      const b = await open(backend);
      await restore(b.ledger, file);
      const report = await verifyAudit(b.ledger);
      expect(report.problems).toEqual([]);
    }
  });

  it("refuses a non-empty store, and a damaged archive restores nothing", async () => {
    const a = await open(backend);
    await populate(a.ledger, 10);
    const file = join(dir, `dmg-${backend}.ndjson.gz`);
    await backup(a.ledger, file);
    await expect(restore(a.ledger, file)).rejects.toThrow(/not empty/);

    const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
    const i = lines.findIndex((l) => l.includes('"table":"claims"'));
    const edited = [...lines];
    // A figure changed inside the archive: the table's hash no longer matches.
    const columns = (JSON.parse(lines[i] as string) as { columns: string[] }).columns;
    const row = JSON.parse(edited[i + 1] as string) as number[];
    row[columns.indexOf("low")] = 999_999;
    edited[i + 1] = JSON.stringify(row);
    const bad = join(dir, `dmg2-${backend}.ndjson.gz`);
    writeFileSync(bad, gzipSync(edited.join("\n")));
    const b = await open(backend);
    await expect(restore(b.ledger, bad)).rejects.toThrow(/claims does not match/);
    const truncated = join(dir, `dmg3-${backend}.ndjson.gz`);
    writeFileSync(truncated, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join("\n")));
    await expect(restore(b.ledger, truncated)).rejects.toThrow(/ends/);
    const count = await b.ledger.store.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    // And the intact archive still restores into that store afterwards.
    await restore(b.ledger, file);
    expect((await verifyAudit(b.ledger)).ok).toBe(true);
  });
});
