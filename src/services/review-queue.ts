/**
 * The review queue: machine-extracted candidates (claims and incidents with status `candidate`) and reporters'
 * submissions, with the document and span each came from. Accepting makes a candidate part of the ledger;
 * rejecting keeps it on record as rejected; editing corrects its fields first. Every decision is history.
 */
import { z } from "zod";
import { monthKey, parseLedgerDate, weekKey } from "../core/dates.js";
import { ClaimRecord, fieldErrors, IncidentRecord } from "../core/records.js";
import { IncidentType, METRICS, Metric, Qualifier } from "../core/vocabulary.js";
import { appendHistory } from "../store/repositories/history.js";
import { bumpDataVersion } from "../store/repositories/meta.js";
import type { Executor } from "../store/repositories/rows.js";
import { ensureSource } from "../store/repositories/sources.js";
import type { ClaimRow, IncidentRow, IncidentUpdate } from "../store/schema.js";
import { countsOf } from "./incidents.js";
import { type Ledger, timestamp } from "./ledger.js";
import { PlaceResolver } from "./place-columns.js";
import { Conflict, changeIncident, NotFound } from "./review.js";

export const ReviewRef = z
  .string()
  .regex(/^(claim|incident)-\d{1,10}$/, "must look like claim-12 or incident-7")
  .transform((s) => {
    const [kind, id] = s.split("-") as ["claim" | "incident", string];
    return { kind, id: Number(id) };
  });
export type ReviewRef = z.output<typeof ReviewRef>;

export const ReviewQueueQuery = z.object({
  kind: z.enum(["claim", "incident"]).optional(),
  /** candidate: machine-extracted; submitted: from reporters. Both by default. */
  origin: z.enum(["candidate", "submitted"]).optional(),
  source: z.coerce.number().int().positive().optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  place: z.string().max(100).optional(),
  type: IncidentType.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Opaque: the `next` of the previous page. */
  cursor: z
    .string()
    .regex(/^c\d{0,10}\.i\d{0,10}$/, "not a cursor from this API")
    .optional(),
});
export type ReviewQueueQuery = z.output<typeof ReviewQueueQuery>;

export interface QueueItem {
  ref: string;
  kind: "claim" | "incident";
  status: string;
  createdAt: string;
  document: { id: number; title: string | null; published: string | null; origin: string | null } | null;
  span: [number, number] | null;
  text: string | null;
  fields: Record<string, unknown>;
}

export async function listReviewQueue(ledger: Ledger, q: ReviewQueueQuery) {
  const db = ledger.store.db;
  const [cPos, iPos] = (q.cursor ?? "c.i").slice(1).split(".i") as [string, string];
  const statuses = q.origin ? [q.origin] : ["candidate", "submitted"];
  const items: QueueItem[] = [];
  let claimsMore = false;
  let incidentsMore = false;
  let lastClaim = cPos;
  let lastIncident = iPos;
  if (q.kind !== "incident" && !q.type) {
    let cq = db
      .selectFrom("claims")
      .leftJoin("documents", "documents.id", "claims.document_id")
      .innerJoin("sources", "sources.id", "claims.source_id")
      .selectAll("claims")
      .select([
        "documents.title as doc_title",
        "documents.published as doc_published",
        "documents.origin as doc_origin",
        "sources.name as source_name",
        "sources.kind as source_kind",
      ])
      .where("claims.status", "in", statuses);
    if (cPos) cq = cq.where("claims.id", "<", Number(cPos));
    if (q.source) cq = cq.where("claims.source_id", "=", q.source);
    if (q.from) cq = cq.where("claims.as_of", ">=", q.from);
    if (q.to) cq = cq.where("claims.as_of", "<=", q.to);
    if (q.place)
      cq = cq.where((eb) =>
        eb.or([
          eb("claims.place_id", "=", q.place as string),
          eb("claims.province_id", "=", q.place as string),
        ]),
      );
    const rows = await cq
      .orderBy("claims.id", "desc")
      .limit(q.limit + 1)
      .execute();
    claimsMore = rows.length > q.limit;
    for (const r of rows.slice(0, q.limit)) {
      items.push(claimItem(r));
      lastClaim = String(r.id);
    }
  }
  if (q.kind !== "claim") {
    let iq = db
      .selectFrom("incidents")
      .leftJoin("incident_documents", "incident_documents.incident_id", "incidents.id")
      .leftJoin("documents", "documents.id", "incident_documents.document_id")
      .selectAll("incidents")
      .select([
        "documents.id as doc_id",
        "documents.title as doc_title",
        "documents.published as doc_published",
        "documents.origin as doc_origin",
        "incident_documents.span_start as doc_span_start",
        "incident_documents.span_end as doc_span_end",
      ])
      .where("incidents.status", "in", statuses)
      .where("incidents.merged_into", "is", null);
    if (iPos) iq = iq.where("incidents.id", "<", Number(iPos));
    if (q.source) iq = iq.where("incidents.source_id", "=", q.source);
    if (q.from) iq = iq.where("incidents.date", ">=", q.from);
    if (q.to) iq = iq.where("incidents.date", "<=", q.to);
    if (q.type) iq = iq.where("incidents.type", "=", q.type);
    if (q.place)
      iq = iq.where((eb) =>
        eb.or([
          eb("incidents.place_id", "=", q.place as string),
          eb("incidents.province_id", "=", q.place as string),
        ]),
      );
    const rows = await iq
      .orderBy("incidents.id", "desc")
      .limit(q.limit + 1)
      .execute();
    incidentsMore = rows.length > q.limit;
    for (const r of rows.slice(0, q.limit)) {
      items.push(incidentItem(r));
      lastIncident = String(r.id);
    }
  }
  items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.ref.localeCompare(b.ref));
  const next =
    claimsMore || incidentsMore
      ? `c${claimsMore ? lastClaim : "0"}.i${incidentsMore ? lastIncident : "0"}`
      : null;
  return { items, next };
}

/** The document a queue item came from, from the joined `doc_*` columns. */
function documentOf(id: number | null, r: Record<string, unknown>): QueueItem["document"] {
  if (!id) return null;
  return {
    id,
    title: r.doc_title as string | null,
    published: r.doc_published as string | null,
    origin: r.doc_origin as string | null,
  };
}

function claimItem(r: ClaimRow & Record<string, unknown>): QueueItem {
  return {
    ref: `claim-${r.id}`,
    kind: "claim",
    status: r.status,
    createdAt: r.created_at,
    document: documentOf(r.document_id, r),
    span: r.span_start !== null && r.span_end !== null ? [r.span_start, r.span_end] : null,
    text: r.quote,
    fields: {
      source: { id: r.source_id, name: r.source_name, kind: r.source_kind },
      metric: r.metric,
      low: r.low,
      high: r.high,
      qualifier: r.qualifier,
      asOf: r.as_of,
      period: r.period_from || r.period_to ? { from: r.period_from, to: r.period_to } : null,
      place: { id: r.place_id, name: r.place_name, province: r.province, country: r.country },
      context: r.context,
    },
  };
}

function incidentItem(r: IncidentRow & Record<string, unknown>): QueueItem {
  return {
    ref: `incident-${r.id}`,
    kind: "incident",
    status: r.status,
    createdAt: r.created_at,
    document: documentOf(r.doc_id as number | null, r),
    span:
      r.doc_span_start !== null && r.doc_span_end !== null && r.doc_id
        ? [r.doc_span_start as number, r.doc_span_end as number]
        : null,
    text: r.description,
    fields: {
      type: r.type,
      date: r.date,
      dateEnd: r.date_end,
      place: { id: r.place_id, name: r.place_name, province: r.province, country: r.country },
      counts: countsOf(r),
      attributes: r.attributes ? JSON.parse(r.attributes) : {},
    },
  };
}

export const ReviewNote = z.object({ note: z.string().trim().max(5000).optional() }).optional();

/** Edits to a candidate claim: the fields of a claim row, all optional. */
export const ClaimEdit = z
  .object({
    metric: Metric.optional(),
    low: z.number().int().min(0).optional(),
    high: z.number().int().min(0).nullable().optional(),
    qualifier: Qualifier.optional(),
    as_of: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional(),
    period_from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional(),
    period_to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional(),
    place: z.string().max(300).nullable().optional(),
    context: z.string().max(200).nullable().optional(),
    source: z.string().min(1).max(200).optional(),
    source_kind: ClaimRecord.shape.source_kind,
    note: z.string().max(5000).optional(),
  })
  .strict();

/** Edits to a candidate incident: the import's fields, all optional. */
export const IncidentEdit = z
  .object({
    type: IncidentType.optional(),
    date: z.string().max(10).optional(),
    date_end: z.string().max(10).nullable().optional(),
    place: z.string().max(300).optional(),
    country: z.string().length(2).optional(),
    description: z.string().max(10_000).optional(),
    counts: z.partialRecord(Metric, z.string().max(40).nullable()).optional(),
    note: z.string().max(5000).optional(),
  })
  .strict();

export async function decide(
  ledger: Ledger,
  ref: ReviewRef,
  decision: "accept" | "reject",
  actor: string,
  note?: string,
) {
  const status = decision === "accept" ? "verified" : "rejected";
  return ledger.store.db.transaction().execute(async (trx) => {
    await waiting(trx, ref);
    const action = `review.${decision}`;
    if (ref.kind === "incident") {
      await changeIncident(ledger, trx, ref.id, { status }, { action, actor, note });
    } else {
      await changeClaim(ledger, trx, ref.id, { status }, { action, actor, note });
    }
    return { ref: `${ref.kind}-${ref.id}`, status };
  });
}

/** The claim counterpart of changeIncident: update, bump the data version, write the history. */
async function changeClaim(
  ledger: Ledger,
  trx: Executor,
  id: number,
  patch: Record<string, unknown>,
  history: { action: string; actor: string; note?: string | undefined },
): Promise<ClaimRow> {
  const before = (await loadRef(trx, { kind: "claim", id })) as ClaimRow;
  const at = timestamp(ledger);
  await trx
    .updateTable("claims")
    .set({ ...patch, updated_at: at })
    .where("id", "=", id)
    .execute();
  const after = (await loadRef(trx, { kind: "claim", id })) as ClaimRow;
  await bumpDataVersion(trx);
  await appendHistory(trx, [
    {
      entity: "claim",
      entityId: id,
      action: history.action,
      actor: history.actor,
      note: history.note ?? null,
      before,
      after,
      at,
    },
  ]);
  return after;
}

/** Only candidates and submissions are decided in the queue; anything else is edited through the ledger. */
async function waiting(trx: Executor, ref: ReviewRef): Promise<ClaimRow | IncidentRow> {
  const row = await loadRef(trx, ref);
  if (row.status !== "candidate" && row.status !== "submitted") {
    throw new Conflict(`${ref.kind}-${ref.id} is ${row.status}, not waiting for review`);
  }
  return row;
}

export async function editCandidate(ledger: Ledger, ref: ReviewRef, body: unknown, actor: string) {
  return ledger.store.db.transaction().execute(async (trx) => {
    const before = await waiting(trx, ref);
    const places = new PlaceResolver(ledger.gazetteer, false);
    if (ref.kind === "claim") {
      const prior = before as ClaimRow;
      const e = ClaimEdit.parse(body);
      const patch: Record<string, unknown> = {};
      for (const k of [
        "metric",
        "low",
        "high",
        "qualifier",
        "as_of",
        "period_from",
        "period_to",
        "context",
      ] as const) {
        if (e[k] !== undefined) patch[k] = e[k];
      }
      if (e.source)
        patch.source_id = await ensureSource(trx, e.source, e.source_kind ?? "other", timestamp(ledger));
      if (e.place !== undefined) {
        const p =
          e.place === null ? null : places.columns({ place: e.place, country: prior.country ?? undefined });
        if (p && !p.ok) throw new EditRejected([{ field: "place", message: p.message }]);
        const c = p?.ok ? p.columns : null;
        Object.assign(patch, {
          place_id: c?.place_id ?? null,
          place_name: c?.place_name ?? null,
          place_level: c?.place_level ?? null,
          province_id: c?.province_id ?? null,
          province: c?.province ?? null,
          country: c?.country ?? prior.country,
        });
      }
      const low = (patch.low ?? prior.low) as number;
      const high = (patch.high !== undefined ? patch.high : prior.high) as number | null;
      if (high !== null && high < low) throw new EditRejected([{ field: "high", message: "is below low" }]);
      const after = await changeClaim(ledger, trx, ref.id, patch, {
        action: "review.edit",
        actor,
        note: e.note,
      });
      return claimItem(after);
    }
    const prior = before as IncidentRow;
    const e = IncidentEdit.parse(body);
    const patch: IncidentUpdate = {};
    if (e.type) patch.type = e.type;
    if (e.description !== undefined) patch.description = e.description;
    if (e.date) {
      try {
        const d = parseLedgerDate(e.date);
        Object.assign(patch, {
          date: d.date,
          date_precision: d.precision,
          date_end: d.dateEnd,
          week: weekKey(d.date),
          month: monthKey(d.date),
        });
      } catch (err) {
        throw new EditRejected([{ field: "date", message: (err as Error).message }]);
      }
    }
    if (e.date_end !== undefined) patch.date_end = e.date_end;
    if (e.place) {
      const p = places.columns({ place: e.place, country: e.country ?? prior.country ?? undefined });
      if (!p.ok) throw new EditRejected([{ field: "place", message: p.message }]);
      Object.assign(patch, p.columns);
    }
    if (e.counts) {
      const check = IncidentRecord.safeParse({
        date: "2000-01-01",
        type: "other",
        country: "IR",
        ...e.counts,
      });
      if (!check.success) throw new EditRejected(fieldErrors(check.error));
      for (const m of METRICS) {
        if (!(m in e.counts)) continue;
        const v = check.data[m];
        Object.assign(patch, { [`${m}_low`]: v ? v.low : null, [`${m}_high`]: v ? v.high : null });
      }
    }
    const after = await changeIncident(ledger, trx, ref.id, patch, {
      action: "review.edit",
      actor,
      note: e.note,
    });
    return incidentItem(after);
  });
}

/** An edit that names a field the ledger cannot accept. */
export class EditRejected extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("; "));
  }
}

async function loadRef(db: Executor, ref: ReviewRef): Promise<ClaimRow | IncidentRow> {
  const row =
    ref.kind === "claim"
      ? await db.selectFrom("claims").selectAll().where("id", "=", ref.id).executeTakeFirst()
      : await db.selectFrom("incidents").selectAll().where("id", "=", ref.id).executeTakeFirst();
  if (!row) throw new NotFound(`${ref.kind} ${ref.id}`);
  return row;
}
