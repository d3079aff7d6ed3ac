/**
 * Review operations on the ledger: status and grade with a note, merge and unmerge of duplicate incidents, and
 * duplicate suggestions. Every change is one transaction that also writes its history entry.
 */
import { z } from "zod";
import { addDays, daysBetween } from "../core/dates.js";
import { publishedAfterReview } from "../core/publication.js";
import { Grade, IncidentStatus, METRICS } from "../core/vocabulary.js";
import { distanceKm } from "../gazetteer/geo.js";
import { sealWhere } from "../store/repositories/audit.js";
import { applyCellDeltas, CellDeltas } from "../store/repositories/cells.js";
import { appendHistory, type HistoryEntry } from "../store/repositories/history.js";
import { bumpDataVersion } from "../store/repositories/meta.js";
import type { Executor } from "../store/repositories/rows.js";
import type { IncidentRow, IncidentUpdate } from "../store/schema.js";
import { type Ledger, timestamp } from "./ledger.js";

export class NotFound extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** A request that conflicts with the ledger's state (e.g. merging an incident into itself). */
export class Conflict extends Error {}

export const ReviewDecision = z
  .object({
    status: IncidentStatus.optional(),
    grade: Grade.nullable().optional(),
    note: z.string().trim().max(5000).optional(),
  })
  .refine((d) => d.status !== undefined || d.grade !== undefined, {
    message: "give a status, a grade or both",
  });
export type ReviewDecision = z.output<typeof ReviewDecision>;

/**
 * One reviewed change to an incident: update it, move its contribution in the tally cells, bump the data
 * version and write its history, all in the caller's transaction. Every review operation goes through here.
 */
export async function changeIncident(
  ledger: Ledger,
  trx: Executor,
  id: number,
  patch: IncidentUpdate,
  history: { action: string; actor: string; note?: string | null | undefined; also?: HistoryEntry[] },
): Promise<IncidentRow> {
  const before = await mustGetIncident(trx, id);
  const at = timestamp(ledger);
  // A reviewer's status decides publication: accepting a submission or a candidate publishes it.
  const published =
    patch.status !== undefined ? { published: publishedAfterReview(patch.status as string) ? 1 : 0 } : {};
  await trx
    .updateTable("incidents")
    .set({ ...patch, ...published, updated_at: at })
    .where("id", "=", id)
    .execute();
  const after = await mustGetIncident(trx, id);
  await recount(ledger, trx, before, after);
  await bumpDataVersion(trx);
  const note = history.note ?? null;
  await appendHistory(trx, [
    {
      entity: "incident",
      entityId: id,
      action: history.action,
      actor: history.actor,
      note,
      before,
      after,
      at,
    },
    ...(history.also ?? []).map((e) => ({ ...e, at })),
  ]);
  return after;
}

export async function reviewIncident(ledger: Ledger, id: number, decision: ReviewDecision, actor: string) {
  return ledger.store.db.transaction().execute((trx) =>
    changeIncident(
      ledger,
      trx,
      id,
      {
        ...(decision.status !== undefined ? { status: decision.status } : {}),
        ...(decision.grade !== undefined ? { grade: decision.grade } : {}),
      },
      { action: "review", actor, note: decision.note },
    ),
  );
}

export async function reviewClaim(ledger: Ledger, id: number, decision: ReviewDecision, actor: string) {
  return ledger.store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("claims").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw new NotFound(`claim ${id}`);
    if (decision.grade !== undefined) throw new Conflict("claims have a status, not a grade");
    const at = timestamp(ledger);
    await trx
      .updateTable("claims")
      .set({ ...(decision.status ? { status: decision.status } : {}), updated_at: at })
      .where("id", "=", id)
      .execute();
    const after = await trx.selectFrom("claims").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    await bumpDataVersion(trx);
    await appendHistory(trx, [
      {
        entity: "claim",
        entityId: id,
        action: "review",
        actor,
        note: decision.note ?? null,
        before,
        after,
        at,
      },
    ]);
    return after;
  });
}

export const MergeRequest = z.object({
  into: z.number().int().positive(),
  ids: z.array(z.number().int().positive()).min(1).max(100),
  note: z.string().trim().max(5000).optional(),
});
export type MergeRequest = z.output<typeof MergeRequest>;

/**
 * Merges duplicates into one incident. The duplicates stay in the ledger, marked as merged, so that every
 * document and claim that reported them stays attached and the merge can be undone.
 */
export async function mergeIncidents(ledger: Ledger, req: MergeRequest, actor: string) {
  if (req.ids.includes(req.into)) throw new Conflict("an incident cannot be merged into itself");
  return ledger.store.db.transaction().execute(async (trx) => {
    const target = await mustGetIncident(trx, req.into);
    if (target.merged_into !== null) {
      throw new Conflict(`incident ${req.into} is itself merged into ${target.merged_into}`);
    }
    for (const id of req.ids) {
      const duplicate = await mustGetIncident(trx, id);
      if (duplicate.merged_into !== null) {
        throw new Conflict(`incident ${id} is already merged into ${duplicate.merged_into}`);
      }
      // Incidents merged into this one follow it, so a merge never leaves a chain.
      const followers = await trx
        .updateTable("incidents")
        .set({ merged_into: req.into })
        .where("merged_into", "=", id)
        .returning("id")
        .execute();
      // Sealed here; the merge's history entry below covers them in the audit chain.
      await sealWhere(
        trx,
        "incidents",
        "id",
        followers.map((f) => f.id),
      );
      await changeIncident(
        ledger,
        trx,
        id,
        { merged_into: req.into },
        {
          action: "merge",
          actor,
          note: req.note,
          also: [mergeNote(req.into, "merge.absorb", actor, req.note, { absorbed: id })],
        },
      );
    }
    return mustGetIncident(trx, req.into);
  });
}

export async function unmergeIncident(ledger: Ledger, id: number, actor: string, note?: string) {
  return ledger.store.db.transaction().execute(async (trx) => {
    const before = await mustGetIncident(trx, id);
    if (before.merged_into === null) throw new Conflict(`incident ${id} is not merged`);
    return changeIncident(
      ledger,
      trx,
      id,
      { merged_into: null },
      {
        action: "unmerge",
        actor,
        note,
        also: [mergeNote(before.merged_into, "unmerge.release", actor, note, { released: id })],
      },
    );
  });
}

/** The survivor's side of a merge or unmerge, in its own history. */
function mergeNote(
  id: number,
  action: string,
  actor: string,
  note: string | undefined,
  after: unknown,
): HistoryEntry {
  return { entity: "incident", entityId: id, action, actor, note: note ?? null, after, at: "" };
}

export interface DuplicateSuggestion {
  id: number;
  score: number;
  reasons: string[];
}

/** Places within this distance count as neighbours for duplicate detection. */
const NEIGHBOUR_KM = 50;

/**
 * Likely duplicates of an incident: same type, dates within one day, the same or a neighbouring place, and
 * similar counts. Ranked by a score from 0 to 1 built from those agreements.
 */
export async function suggestDuplicates(
  ledger: Ledger,
  id: number,
  limit = 10,
): Promise<DuplicateSuggestion[]> {
  const db = ledger.store.db;
  const inc = await mustGetIncident(db, id);
  const from = addDays(inc.date, -1);
  const to = addDays(inc.date_end && inc.date_precision === "day" ? inc.date_end : inc.date, 1);
  const rows = await db
    .selectFrom("incidents")
    .selectAll()
    .where("type", "=", inc.type)
    .where("date", ">=", from)
    .where("date", "<=", to)
    .where("id", "<>", id)
    .where("merged_into", "is", null)
    .where("status", "<>", "rejected")
    .where((eb) => (inc.country ? eb("country", "=", inc.country) : eb("country", "is", null)))
    .limit(5000)
    .execute();
  const out: DuplicateSuggestion[] = [];
  for (const other of rows) {
    const reasons: string[] = ["same type"];
    let score = 0.2;
    const gap = Math.abs(daysBetween(inc.date, other.date));
    if (gap === 0) {
      score += 0.25;
      reasons.push("same day");
    } else {
      score += 0.1;
      reasons.push("dates one day apart");
    }
    if (inc.place_id && inc.place_id === other.place_id) {
      score += 0.3;
      reasons.push("same place");
    } else if (inc.lat !== null && inc.lon !== null && other.lat !== null && other.lon !== null) {
      const km = distanceKm({ lat: inc.lat, lon: inc.lon }, { lat: other.lat, lon: other.lon });
      if (km > NEIGHBOUR_KM) continue;
      score += 0.15 * (1 - km / NEIGHBOUR_KM);
      reasons.push(`${Math.round(km)} km apart`);
    } else if (!(inc.province_id && inc.province_id === other.province_id)) {
      continue;
    } else {
      reasons.push("same province");
    }
    const similarity = countSimilarity(inc, other);
    if (similarity !== null) {
      score += 0.25 * similarity;
      if (similarity >= 0.8) reasons.push("similar counts");
    }
    out.push({ id: other.id, score: Math.round(Math.min(1, score) * 1000) / 1000, reasons });
  }
  return out.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
}

/** 1 when every metric both report has the same count, falling towards 0 as they differ; null if none shared. */
function countSimilarity(a: IncidentRow, b: IncidentRow): number | null {
  let shared = 0;
  let total = 0;
  for (const m of METRICS) {
    const x = a[`${m}_high`];
    const y = b[`${m}_high`];
    if (x === null || y === null) continue;
    shared++;
    const max = Math.max(x, y);
    total += max === 0 ? 1 : 1 - Math.abs(x - y) / max;
  }
  return shared ? total / shared : null;
}

/** Moves an incident's contribution in the tally cells from its old version to its new one. */
export async function recount(
  ledger: Ledger,
  db: Executor,
  before: IncidentRow,
  after: IncidentRow,
): Promise<void> {
  const deltas = new CellDeltas();
  deltas.change(before, after);
  await applyCellDeltas(ledger.store, db, deltas);
}

export async function mustGetIncident(db: Executor, id: number): Promise<IncidentRow> {
  const row = await db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound(`incident ${id}`);
  return row;
}
