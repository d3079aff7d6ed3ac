/** Reading incidents: lists with cursor pagination, and one incident with its documents and history. */
import { z } from "zod";
import { DOCUMENTED } from "../core/publication.js";
import { Grade, IncidentStatus, IncidentType, Metric } from "../core/vocabulary.js";
import { historyOf } from "../store/repositories/history.js";
import { matchIncidents } from "../store/repositories/search.js";
import type { IncidentRow } from "../store/schema.js";
import type { Ledger } from "./ledger.js";
import { mustGetIncident, NotFound } from "./review.js";
import { hasRole, type Principal } from "./tokens.js";

export const IncidentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "not a cursor from this API")
    .optional(),
  status: IncidentStatus.optional(),
  /** A grade, or `headline` for what the documented count counts: verified, graded confirmed or fair. */
  grade: z.union([Grade, z.literal("headline")]).optional(),
  type: IncidentType.optional(),
  metric: Metric.optional(),
  country: z
    .string()
    .length(2)
    .transform((s) => s.toUpperCase())
    .optional(),
  province: z.string().max(100).optional(),
  place: z.string().max(100).optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Full-text search over description, place and province: every word must match (as a prefix). */
  q: z.string().max(200).optional(),
});
export type IncidentListQuery = z.output<typeof IncidentListQuery>;

/**
 * What the public may read: not machine-extracted candidates, and not reporters' submissions before a reviewer
 * has looked at them (a field report is published by review, never by its sending). Reviewers see everything.
 */
export function isPublished(r: Pick<IncidentRow, "published">): boolean {
  return Number(r.published) === 1;
}

/** Pages run newest id first; the cursor is the last id seen, so pages stay stable while rows are added. */
export async function listIncidents(ledger: Ledger, q: IncidentListQuery, viewer: Principal | null = null) {
  let query = ledger.store.db.selectFrom("incidents").selectAll().where("merged_into", "is", null);
  if (!hasRole(viewer, "reviewer")) query = query.where("published", "=", 1);
  if (q.cursor) query = query.where("id", "<", Number(q.cursor));
  if (q.status) query = query.where("status", "=", q.status);
  else query = query.where("status", "not in", ["rejected", "candidate"]);
  if (q.grade === "headline")
    query = query
      .where("status", "in", [...DOCUMENTED.statuses])
      .where("grade", "in", [...DOCUMENTED.grades]);
  else if (q.grade) query = query.where("grade", "=", q.grade);
  const text = q.q ? matchIncidents(ledger.store.dialect, q.q) : null;
  if (text) query = query.where(text);
  if (q.type) query = query.where("type", "=", q.type);
  if (q.metric) query = query.where(`${q.metric}_low`, "is not", null);
  if (q.country) query = query.where("country", "=", q.country);
  if (q.province)
    query = query.where((eb) =>
      eb.or([eb("province", "=", q.province as string), eb("province_id", "=", q.province as string)]),
    );
  if (q.place) query = query.where("place_id", "=", q.place);
  if (q.from) query = query.where("date", ">=", q.from);
  if (q.to) query = query.where("date", "<=", q.to);
  const rows = await query
    .orderBy("id", "desc")
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const next = rows.length > q.limit ? String(page[page.length - 1]?.id) : null;
  return { items: page.map(publicIncident), next };
}

export async function getIncident(ledger: Ledger, id: number, viewer: Principal | null = null) {
  const db = ledger.store.db;
  const row = await mustGetIncident(db, id);
  const reviewer = hasRole(viewer, "reviewer");
  if (!reviewer && !isPublished(row)) throw new NotFound(`incident ${id}`);
  const merged = await db
    .selectFrom("incidents")
    .selectAll()
    .where("merged_into", "=", id)
    .orderBy("id")
    .execute();
  const ids = [id, ...merged.map((m) => m.id)];
  const documents = await db
    .selectFrom("incident_documents")
    .innerJoin("documents", "documents.id", "incident_documents.document_id")
    .select([
      "documents.id",
      "documents.title",
      "documents.origin",
      "documents.published",
      "documents.sha256",
      "incident_documents.incident_id",
      "incident_documents.span_start",
      "incident_documents.span_end",
    ])
    .where("incident_documents.incident_id", "in", ids)
    .execute();
  const sourceIds = [
    ...new Set([row, ...merged].map((r) => r.source_id).filter((s): s is number => s !== null)),
  ];
  const sources = sourceIds.length
    ? await db.selectFrom("sources").select(["id", "name", "kind"]).where("id", "in", sourceIds).execute()
    : [];
  const history = await historyOf(db, "incident", id);
  return {
    ...publicIncident(row),
    mergedFrom: merged.map(publicIncident),
    sources,
    documents,
    // The public history says what changed and when; who changed it (pseudonyms included) is for reviewers.
    history: history.map((h) =>
      reviewer
        ? { action: h.action, actor: h.actor, note: h.note, at: h.at }
        : { action: h.action, at: h.at },
    ),
  };
}

/** The incident as the API shows it: counts as ranges, attributes parsed, no internal keys. */
/** The metrics an incident reports, as ranges; metrics it does not mention are absent. */
export function countsOf(r: IncidentRow): Record<string, { low: number; high: number | null }> {
  const counts: Record<string, { low: number; high: number | null }> = {};
  for (const m of Metric.options) {
    const low = r[`${m}_low`];
    if (low !== null) counts[m] = { low, high: r[`${m}_high`] };
  }
  return counts;
}

export function publicIncident(r: IncidentRow) {
  const counts = countsOf(r);
  return {
    id: r.id,
    externalId: r.external_id,
    type: r.type,
    date: r.date,
    dateEnd: r.date_end,
    datePrecision: r.date_precision,
    place: {
      id: r.place_id,
      name: r.place_name,
      level: r.place_level,
      precision: r.geo_precision,
      province: r.province,
      country: r.country,
      lat: r.lat,
      lon: r.lon,
    },
    counts,
    description: r.description,
    url: r.url,
    status: r.status,
    grade: r.grade,
    sourceId: r.source_id,
    mergedInto: r.merged_into,
    attributes: r.attributes ? (JSON.parse(r.attributes) as Record<string, unknown>) : {},
    updatedAt: r.updated_at,
  };
}
