/**
 * Named-victim lists: import them, link their records (the same person on several lists, or twice on one),
 * and estimate from the overlap how many victims no list recorded. The statistics live in src/core; this
 * module stores the lists and the latest linkage, and hands them to it.
 */
import type { Readable } from "node:stream";
import type { Selectable } from "kysely";
import {
  type EstimateOptions,
  type EstimateResult,
  estimate,
  estimateStrata,
  type StrataResult,
} from "../core/estimation/index.js";
import { sha256Hex } from "../core/hash.js";
import {
  captureHistories,
  type LinkOptions,
  type LinkResult,
  linkRecords,
  type VictimRecord,
} from "../core/linkage/index.js";
import { fieldErrors, VICTIM_LIST_FIELDS, VictimListRecord } from "../core/records.js";
import type { Executor } from "../store/repositories/rows.js";
import type { VictimRecordTable } from "../store/schema.js";
import { readRecords } from "./import/read-records.js";
import { ImportRejected, type RowError } from "./import/run.js";
import { type Ledger, timestamp } from "./ledger.js";

export interface ListImportReport {
  list: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const KNOWN = new Set<string>(VICTIM_LIST_FIELDS);

/** Imports one list from CSV: all or nothing, idempotent by (list, list_id); extra columns are kept. */
export async function importVictimList(
  ledger: Ledger,
  input: Readable,
  options: { list: string; file: string },
): Promise<ListImportReport> {
  const list = options.list.trim();
  if (!/^[\p{L}\p{N} _.-]{1,80}$/u.test(list))
    throw new Error("--list: 1-80 letters, digits, spaces, . _ or -");
  const now = timestamp(ledger);
  const report: ListImportReport = { list, rows: 0, inserted: 0, updated: 0, unchanged: 0 };
  const errors: RowError[] = [];
  const seen = new Set<string>();
  await ledger.store.db.transaction().execute(async (trx) => {
    for await (const { line, record } of readRecords(input, "csv")) {
      report.rows++;
      const parsed = VictimListRecord.safeParse(record);
      if (!parsed.success) {
        for (const e of fieldErrors(parsed.error)) errors.push({ line, ...e });
        continue;
      }
      const r = parsed.data;
      if (seen.has(r.list_id)) {
        errors.push({ line, field: "list_id", message: `${r.list_id} appears twice in the list` });
        continue;
      }
      seen.add(r.list_id);
      if (errors.length) continue; // the file will be refused; keep checking, stop writing
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record)) if (!KNOWN.has(k) && v !== "") extra[k] = v;
      const row = {
        list,
        list_id: r.list_id,
        name: r.name,
        name_fa: r.name_fa ?? null,
        age: r.age ?? null,
        sex: r.sex ?? null,
        date: r.date ?? null,
        place: r.place ?? null,
        notes: r.notes ?? null,
        extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
      };
      const hash = sha256Hex(JSON.stringify(row));
      await upsertRecord(trx, { ...row, row_hash: hash }, now, report);
    }
    if (errors.length) throw new ImportRejected(options.file, errors.slice(0, 1000), errors.length);
  });
  return report;
}

async function upsertRecord(
  trx: Executor,
  row: Omit<VictimRecordTable, "id" | "entity" | "created_at" | "updated_at">,
  now: string,
  report: ListImportReport,
) {
  const prior = await trx
    .selectFrom("victim_records")
    .select(["id", "row_hash"])
    .where("list", "=", row.list)
    .where("list_id", "=", row.list_id)
    .executeTakeFirst();
  const p = prior;
  if (!p) {
    await trx
      .insertInto("victim_records")
      .values({ ...row, entity: null, created_at: now, updated_at: now })
      .execute();
    report.inserted++;
  } else if (p.row_hash !== row.row_hash) {
    await trx
      .updateTable("victim_records")
      .set({ ...row, updated_at: now })
      .where("id", "=", p.id)
      .execute();
    report.updated++;
  } else report.unchanged++;
}

type StoredRecord = Selectable<VictimRecordTable>;

async function loadRecords(db: Executor): Promise<StoredRecord[]> {
  return db.selectFrom("victim_records").selectAll().orderBy("id").execute();
}

function toVictimRecord(r: StoredRecord): VictimRecord {
  return {
    list: r.list,
    listId: r.list_id,
    name: r.name,
    nameFa: r.name_fa,
    age: r.age,
    sex: r.sex === "m" || r.sex === "f" ? r.sex : null,
    date: r.date,
    place: r.place,
    extra: r.extra ? (JSON.parse(r.extra) as Record<string, string>) : {},
  };
}

/** Links every record of every list and stores the entities and the pairs left for review. */
export async function linkLists(
  ledger: Ledger,
  actor: string,
  options: LinkOptions = {},
): Promise<LinkResult> {
  const stored = await loadRecords(ledger.store.db);
  const result = linkRecords(stored.map(toVictimRecord), options);
  const byRef = new Map(stored.map((r) => [`${r.list}\u0000${r.list_id}`, r.id]));
  await ledger.store.db.transaction().execute(async (trx) => {
    for (const e of result.entities) {
      const ids = e.records
        .map((r) => byRef.get(`${r.list}\u0000${r.list_id}`))
        .filter((x): x is number => x !== undefined);
      for (let i = 0; i < ids.length; i += 500) {
        await trx
          .updateTable("victim_records")
          .set({ entity: e.id })
          .where("id", "in", ids.slice(i, i + 500))
          .execute();
      }
    }
    await trx
      .insertInto("linkage_runs")
      .values({
        at: timestamp(ledger),
        actor,
        records: stored.length,
        entities: result.entities.length,
        pairs_reviewed: result.pairs_reviewed,
        model: JSON.stringify(result.model),
        review: JSON.stringify(result.review),
      })
      .execute();
  });
  return result;
}

export interface LedgerEstimate {
  /** Records on the lists, and distinct people after linkage. */
  records: number;
  documented: number;
  result: EstimateResult | null;
  strata: StrataResult | null;
  linkedAt: string | null;
  notes: string[];
}

/** Estimates from the latest linkage: capture histories of the linked people, overall or by stratum. */
export async function estimateFromLedger(
  ledger: Ledger,
  options: EstimateOptions & { stratify?: string | undefined } = {},
): Promise<LedgerEstimate> {
  const stored = await loadRecords(ledger.store.db);
  const lists = new Set(stored.map((r) => r.list));
  if (lists.size < 2) {
    // Nothing to estimate from yet: that is a state to show, not an error.
    return {
      records: stored.length,
      documented: stored.length,
      result: null,
      strata: null,
      linkedAt: null,
      notes: [`estimation needs at least two lists; the ledger has ${lists.size}`],
    };
  }
  const run = (await ledger.store.db
    .selectFrom("linkage_runs")
    .select(["at"])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst()) as { at: string } | undefined;
  if (stored.some((r) => r.entity === null)) {
    throw new LinkageNeeded("some records are not linked yet: run `tally lists link` first");
  }
  const entities = new Map<string, { id: string; records: { list: string; list_id: string }[] }>();
  for (const r of stored) {
    const e = entities.get(r.entity as string) ?? { id: r.entity as string, records: [] };
    e.records.push({ list: r.list, list_id: r.list_id });
    entities.set(e.id, e);
  }
  const all = [...entities.values()];
  const base = {
    records: stored.length,
    documented: all.length,
    linkedAt: run?.at ?? null,
    notes: [] as string[],
  };
  if (options.stratify) {
    const strata = captureHistories(all, undefined, {
      records: stored.map(toVictimRecord),
      by: options.stratify,
    });
    return { ...base, result: null, strata: estimateStrata(strata, options) };
  }
  return { ...base, result: estimate(captureHistories(all), options), strata: null };
}

/** Estimation was asked for before the lists were linked. */
export class LinkageNeeded extends Error {}

/**
 * The uncertain pairs of the latest linkage, each record with its fields, so a reviewer can compare them side
 * by side without another look-up.
 */
export async function latestReviewPairs(ledger: Ledger) {
  const run = await ledger.store.db
    .selectFrom("linkage_runs")
    .selectAll()
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!run) return { at: null, pairs: [] };
  type Ref = { list: string; list_id: string };
  const pairs = JSON.parse(run.review) as ({ a: Ref; b: Ref } & Record<string, unknown>)[];
  const byRef = new Map((await loadRecords(ledger.store.db)).map((r) => [`${r.list}\u0000${r.list_id}`, r]));
  const withFields = (ref: Ref) => {
    const r = byRef.get(`${ref.list}\u0000${ref.list_id}`);
    return r
      ? { ...ref, name: r.name, name_fa: r.name_fa, age: r.age, sex: r.sex, date: r.date, place: r.place }
      : ref;
  };
  return { at: run.at, pairs: pairs.map((p) => ({ ...p, a: withFields(p.a), b: withFields(p.b) })) };
}
