/**
 * The audit chain: every change lands in it, and tampering with the database directly (rows, entries, seals,
 * the head, the tally cells) is detected and named, on both backends.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { setSealedOriginals } from "../../src/services/attachments.js";
import { auditHead, verifyAudit } from "../../src/services/audit.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { sealInStatement, sealRows } from "../../src/store/repositories/audit.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";
import { populate } from "./populate.js";

const raw = (t: TestLedger, q: ReturnType<typeof sql>) => q.execute(t.ledger.store.db);

describe.each(BACKENDS)("audit chain on %s", (backend) => {
  let t: TestLedger;
  const fresh = async () => {
    t = await openTestLedger(backend);
    await populate(t.ledger);
    return t;
  };
  afterEach(async () => t?.cleanup());

  const messages = async (expect?: { seq: number; hash: string }) =>
    (await verifyAudit(t.ledger, { expect })).problems.map((p) => p.message);

  it("records every change in one verified chain", async () => {
    await fresh();
    const report = await verifyAudit(t.ledger);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const actions = (await raw(t, sql`select action from audit_entries order by seq`)).rows.map(
      (r) => (r as { action: string }).action,
    );
    for (const a of ["import", "review", "merge,merge.absorb", "unmerge,unmerge.release", "import.update"])
      expect(actions).toContain(a);
    for (const a of ["token.create", "token.revoke", "article.import", "user.create", "user.role"])
      expect(actions).toContain(a);
    const head = await auditHead(t.ledger);
    expect(head.seq).toBe(actions.length);
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("seals exactly the rows an import inserted when its batches mix stored rows, new rows and a new source", async () => {
    await fresh();
    // The 40 rows populate() imported, as it left them, with 5 new ones among them; one names a new source, which
    // is created (and sealed) while the previous batch's write is still in flight.
    const known = syntheticIncidents(40).map((r, i) => (i === 7 ? { ...r, arrested: "99" } : r));
    const added = syntheticIncidents(45)
      .slice(40)
      .map((r, i) => (i === 2 ? { ...r, source: "Third network (synthetic)" } : r));
    const mixed = [
      ...known.slice(0, 6),
      ...added.slice(0, 2),
      ...known.slice(6, 13),
      ...added.slice(2),
      ...known.slice(13),
    ];
    const report = await importIncidents(t.ledger, records(incidentsCsv(mixed)), {
      file: "a3.csv",
      actor: "alice",
      batchSize: 4,
    });
    expect(report).toMatchObject({ rows: 45, inserted: 5, updated: 0, unchanged: 40 });
    const [entry] = (await raw(t, sql`select changeset, rows from audit_entries order by seq desc limit 1`))
      .rows as { changeset: string; rows: number }[];
    const seals = (
      await raw(t, sql`select n, tbl from audit_seals where changeset = ${entry?.changeset} order by n`)
    ).rows as { n: number; tbl: string }[];
    // The five new incidents and the new source; numbered without a gap.
    expect(Number(entry?.rows)).toBe(6);
    expect(seals.map((s) => Number(s.n))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seals.filter((s) => s.tbl === "incidents")).toHaveLength(5);
    expect(seals.filter((s) => s.tbl === "sources")).toHaveLength(1);
    expect(await messages()).toEqual([]);
  });

  it("numbers a seal written while a statement sealing rows of its own is in flight after that statement's", async () => {
    await fresh();
    const source = (await raw(t, sql`select * from sources order by id limit 1`)).rows[0] as Record<
      string,
      unknown
    >;
    let seen: { base: number; n: number[] } | null = null;
    // The transaction is rolled back at the end: it only shows how the seals were numbered.
    const rollback = new Error("rollback");
    await expect(
      t.ledger.store.db.transaction().execute(async (trx) => {
        let open = () => {};
        const gate = new Promise<void>((r) => {
          open = r;
        });
        // A statement that wrote two seals from its slot, still in flight when another row is sealed.
        let slot = { changeset: "", base: -1 };
        const statement = sealInStatement(trx, "sources", async (given) => {
          slot = given;
          await gate;
          return [
            { id: "x", hash: "h1" },
            { id: "y", hash: "h2" },
          ];
        });
        const other = sealRows(trx, "sources", [source]);
        open();
        await statement;
        await other;
        const n = (
          await sql<{ n: number }>`select n from audit_seals where changeset = ${slot.changeset}`.execute(trx)
        ).rows.map((r) => Number(r.n));
        seen = { base: slot.base, n };
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(seen).toEqual({ base: 0, n: [2] });
  });

  it("detects a row edited outside the application", async () => {
    await fresh();
    await raw(t, sql`update incidents set killed_low = killed_low + 100 where id = 6`);
    expect(await messages()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^incidents 6 was changed outside the application/)]),
    );
    // ... and the tally cells no longer match either, once someone "fixes" the cell too.
    await raw(t, sql`update claims set low = 1 where id = 2`);
    expect((await messages()).some((m) => m.startsWith("claims 2 was changed"))).toBe(true);
  });

  it("detects rows added and deleted outside the application", async () => {
    await fresh();
    await raw(
      t,
      sql`insert into sources (name, name_key, kind, created_at) values ('Forged', 'forged', 'other', '2021-01-01')`,
    );
    await raw(t, sql`delete from incident_documents`);
    await raw(t, sql`delete from claims where id = 1`);
    const m = await messages();
    expect(m.some((x) => /^sources \d+ was added outside the application/.test(x))).toBe(true);
    expect(m.some((x) => /^claims 1 was deleted outside the application/.test(x))).toBe(true);
    expect(m.some((x) => /^incident_documents \d+:\d+ was deleted/.test(x))).toBe(true);
  });

  it("seals settings: a setting changed, added or removed outside the application is detected", async () => {
    await fresh();
    await setSealedOriginals(t.ledger, false, "admin-test");
    expect(await messages()).toEqual([]);
    // The data version is bookkeeping every write bumps; changing it is no ledger change.
    await raw(t, sql`update meta set value = '12345' where key = 'data_version'`);
    expect(await messages()).toEqual([]);
    await raw(t, sql`update meta set value = 'on' where key = 'attachments.sealed_originals'`);
    await raw(t, sql`insert into meta (key, value) values ('synthetic', 'true')`);
    const m = await messages();
    expect(m).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^meta attachments.sealed_originals was changed outside the application/),
        expect.stringMatching(/^meta synthetic was added outside the application/),
      ]),
    );
    await raw(t, sql`delete from meta where key = 'attachments.sealed_originals'`);
    expect(await messages()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^meta attachments.sealed_originals was deleted outside/),
      ]),
    );
  });

  it("detects a forged tally cell", async () => {
    await fresh();
    await raw(t, sql`update province_cells set killed_high = killed_high + 1000 where status = 'verified'`);
    expect((await messages()).some((m) => m.startsWith("province_cells: 1 cell differ"))).toBe(true);
  });

  it("names an edited entry, and the entry after one whose hash was recomputed", async () => {
    await fresh();
    await raw(t, sql`update audit_entries set actor = 'someone-else' where seq = 3`);
    expect(await messages()).toContain("entry 3 was edited: its hash does not match its content");
  });

  it("names the entry after a rewritten one", async () => {
    await fresh();
    // A careful forger recomputes the edited entry's hash; the next entry still names the old one.
    const { rows } = await raw(t, sql`select * from audit_entries where seq = 4`);
    const { entryHash } = await import("../../src/store/repositories/audit.js");
    const e = { ...(rows[0] as Record<string, unknown>), note: "forged" } as never;
    await raw(t, sql`update audit_entries set note = 'forged', hash = ${entryHash(e)} where seq = 4`);
    expect((await messages()).some((m) => m.startsWith("entry 5 does not follow entry 4"))).toBe(true);
  });

  it("detects deleted and reordered entries", async () => {
    await fresh();
    await raw(t, sql`delete from audit_entries where seq = 2`);
    expect((await messages()).some((m) => m.startsWith("entries 2 are missing before entry 3"))).toBe(true);
    await t.cleanup();
    await fresh();
    await raw(t, sql`update audit_entries set seq = 1000 where seq = 3`);
    await raw(t, sql`update audit_entries set seq = 3 where seq = 4`);
    await raw(t, sql`update audit_entries set seq = 4 where seq = 1000`);
    const m = await messages();
    expect(m).toContain("entry 3 was edited: its hash does not match its content");
    expect(m.some((x) => x.startsWith("entry 3 does not follow entry 2"))).toBe(true);
  });

  it("detects entries cut from the end, against a published head", async () => {
    await fresh();
    const published = await auditHead(t.ledger);
    const last = published.seq;
    const prev = (await raw(t, sql`select hash from audit_entries where seq = ${last - 1}`)).rows[0] as {
      hash: string;
    };
    await raw(
      t,
      sql`delete from audit_seals where changeset = (select changeset from audit_entries where seq = ${last})`,
    );
    await raw(t, sql`delete from audit_entries where seq = ${last}`);
    await raw(t, sql`update audit_head set seq = ${last - 1}, hash = ${prev.hash}`);
    // Without the published head the truncated chain is self-consistent except for the rows it sealed...
    const m = await messages(published);
    expect(m.some((x) => x.startsWith(`the published head ${last}:`))).toBe(true);
  });

  it("detects a seal forged to match a tampered row", async () => {
    await fresh();
    await raw(t, sql`update incidents set description = 'forged' where id = 6`);
    const { rows } = await raw(t, sql`select * from incidents where id = 6`);
    const { rowHash } = await import("../../src/store/repositories/audit.js");
    const forged = rowHash("incidents", rows[0] as Record<string, unknown>);
    await raw(t, sql`update audit_seals set hash = ${forged} where tbl = 'incidents' and row_id = '6'`);
    const m = await messages();
    expect(m.some((x) => /^the row seals of entry \d+ were edited or deleted$/.test(x))).toBe(true);
  });

  it("detects a history note edited", async () => {
    await fresh();
    await raw(t, sql`update history set note = 'rewritten' where note = 'checked'`);
    expect((await messages()).some((m) => /^history \d+ was changed outside the application/.test(m))).toBe(
      true,
    );
  });
});
