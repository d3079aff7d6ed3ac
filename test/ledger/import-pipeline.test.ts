/**
 * An import writes batch k while it reads batch k+1, and builds batch k+1's statement while batch k is written
 * (services/import/run.ts). Whatever batch fails, the import must fail with that batch's error and leave nothing
 * written: earlier batches roll back with it, and no later batch starts. Batches are written in order, one at a
 * time.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type RowHandler, runImport } from "../../src/services/import/run.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";

interface Row {
  row_key: string;
}

async function* records(n: number) {
  for (let i = 1; i <= n; i++) yield { line: i + 1, record: { n: String(i) } };
}

/** Writes each batch into `meta` (a real table, inside the import's transaction); fails on batch `failAt`. */
function handler(failAt: number | null, log: string[]): RowHandler<Row> {
  let batch = 0;
  let writing = false;
  return {
    prepare(record) {
      const key = `pipeline-test:${record.n as string}`;
      return { unresolved: false, finish: async () => ({ row_key: key }) };
    },
    async write(db, rows, _actor, turn) {
      const mine = ++batch;
      log.push(`built ${mine}`);
      await turn;
      // Never two writes at once.
      expect(writing).toBe(false);
      writing = true;
      try {
        log.push(`start ${mine}`);
        await db
          .insertInto("meta")
          .values(rows.map((r) => ({ key: r.row_key, value: String(batch) })))
          .execute();
        // Give the reader a chance to run ahead while this batch is "on the server".
        await new Promise((r) => setTimeout(r, 5));
        if (mine === failAt) throw new Error(`batch ${mine} failed`);
        log.push(`end ${mine}`);
        return { inserted: rows.length, updated: 0, unchanged: 0 };
      } finally {
        writing = false;
      }
    },
  };
}

describe.each(BACKENDS)("pipelined import writes on %s", (backend) => {
  let t: TestLedger;
  afterEach(async () => t?.cleanup());
  const written = async () =>
    Number(
      (
        await sql<{ n: unknown }>`select count(*) as n from meta where key like 'pipeline-test:%'`.execute(
          t.ledger.store.db,
        )
      ).rows[0]?.n,
    );

  it("writes every batch, in order, one at a time", async () => {
    t = await openTestLedger(backend);
    const log: string[] = [];
    const report = await runImport(
      t.ledger,
      records(95),
      { file: "p.csv", actor: "test", batchSize: 10 },
      handler(null, log),
    );
    expect(report.inserted).toBe(95);
    expect(await written()).toBe(95);
    const writes = log.filter((e) => !e.startsWith("built"));
    expect(writes).toEqual(Array.from({ length: 10 }, (_, i) => [`start ${i + 1}`, `end ${i + 1}`]).flat());
    // Each batch after the first was built while the one before it was being written.
    for (let k = 2; k <= 10; k++) {
      expect(log.indexOf(`built ${k}`)).toBeGreaterThan(log.indexOf(`start ${k - 1}`));
      expect(log.indexOf(`built ${k}`)).toBeLessThan(log.indexOf(`end ${k - 1}`));
    }
  });

  for (const failAt of [1, 4, 10]) {
    it(`fails with batch ${failAt}'s error and writes nothing`, async () => {
      t = await openTestLedger(backend);
      const log: string[] = [];
      await expect(
        runImport(
          t.ledger,
          records(95),
          { file: "p.csv", actor: "test", batchSize: 10 },
          handler(failAt, log),
        ),
      ).rejects.toThrow(`batch ${failAt} failed`);
      expect(await written()).toBe(0);
      // No batch after the failed one touched the database.
      expect(log.filter((e) => e.startsWith("start")).at(-1)).toBe(`start ${failAt}`);
      // The ledger is still usable: the connection was not left inside a broken transaction.
      const report = await runImport(
        t.ledger,
        records(20),
        { file: "p.csv", actor: "test", batchSize: 10 },
        handler(null, []),
      );
      expect(report.inserted).toBe(20);
    });
  }
});
