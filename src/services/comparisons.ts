/**
 * Comparison: every claim in scope beside the ledger's documented tally for the same metric, place and period
 * up to the claim's `asOf`, grouped per source as timelines, with the sources whose figures agree.
 */
import { z } from "zod";
import { type ClaimFigure, claimRatio, corroborations, type Ratio } from "../core/compare.js";
import { NEVER_PUBLISHED } from "../core/publication.js";
import { Metric, type Qualifier, type SourceKind } from "../core/vocabulary.js";
import { dataVersion } from "../store/repositories/meta.js";
import { DOCUMENTED_COUNTS, documentedForClaim } from "./documented.js";
import type { Ledger } from "./ledger.js";
import { cachePerLedger } from "./read-cache.js";

export const ComparisonQuery = z.object({
  metric: Metric,
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
    .transform((s) => s.toUpperCase())
    .optional(),
  context: z.string().max(200).optional(),
});
export type ComparisonQuery = z.output<typeof ComparisonQuery>;

export interface ComparedClaim {
  id: number;
  asOf: string | null;
  low: number;
  high: number | null;
  qualifier: Qualifier;
  place: { id: string | null; name: string | null; level: string | null; country: string | null };
  period: { from: string | null; to: string | null } | null;
  context: string | null;
  quote: string | null;
  url: string | null;
  documented: { low: number; high: number; incidents: number };
  ratio: Ratio;
}

export interface SourceTimeline {
  source: { id: number; name: string; kind: SourceKind };
  claims: ComparedClaim[];
  corroboratedBy: { id: number; name: string }[];
}

export interface Comparison {
  metric: string;
  /** What each claim's documented figure counts, in words. */
  documentedCounts: string;
  country: string | null;
  context: string | null;
  sources: SourceTimeline[];
}

const cache = cachePerLedger<Comparison>(200);

/**
 * The comparison for the current data version, computed once per version, query and process (the API's public
 * read). A comparison costs a query per claim, one after the other; computed per request, a crowd of readers
 * would each queue that many times for the database connections.
 */
export async function cachedComparison(ledger: Ledger, query: ComparisonQuery): Promise<Comparison> {
  const version = await dataVersion(ledger.store.db);
  return cache(ledger).get(JSON.stringify(query), version, () => compareClaims(ledger, query));
}

export async function compareClaims(ledger: Ledger, query: ComparisonQuery): Promise<Comparison> {
  const db = ledger.store.db;
  let q = db
    .selectFrom("claims")
    .innerJoin("sources", "sources.id", "claims.source_id")
    .selectAll("claims")
    .select(["sources.name as source_name", "sources.kind as source_kind"])
    .where("claims.metric", "=", query.metric)
    .where("claims.status", "not in", [...NEVER_PUBLISHED]);
  if (query.country) q = q.where("claims.country", "=", query.country);
  if (query.context) q = q.where("claims.context", "=", query.context);
  const claims = await q.orderBy("claims.as_of").orderBy("claims.id").execute();

  const bySource = new Map<number, SourceTimeline>();
  const figures: ClaimFigure[] = [];
  for (const c of claims) {
    const documented = await documentedForClaim(db, c, { country: query.country });
    const compared: ComparedClaim = {
      id: c.id,
      asOf: c.as_of,
      low: c.low,
      high: c.high,
      qualifier: c.qualifier as Qualifier,
      place: { id: c.place_id, name: c.place_name, level: c.place_level, country: c.country },
      period: c.period_from || c.period_to ? { from: c.period_from, to: c.period_to } : null,
      context: c.context,
      quote: c.quote,
      url: c.url,
      documented,
      ratio: claimRatio(c.low, { low: documented.low, high: documented.high }),
    };
    let timeline = bySource.get(c.source_id);
    if (!timeline) {
      timeline = {
        source: { id: c.source_id, name: c.source_name, kind: c.source_kind as SourceKind },
        claims: [],
        corroboratedBy: [],
      };
      bySource.set(c.source_id, timeline);
    }
    timeline.claims.push(compared);
    figures.push({
      id: c.id,
      sourceId: c.source_id,
      metric: c.metric,
      scope: `${c.place_id ?? c.country ?? ""}|${c.context ?? ""}`,
      asOf: c.as_of,
      low: c.low,
      high: c.high,
    });
  }
  const agree = corroborations(figures);
  for (const [sourceId, others] of agree) {
    const timeline = bySource.get(sourceId);
    if (!timeline) continue;
    timeline.corroboratedBy = [...others]
      .map((id) => ({ id, name: bySource.get(id)?.source.name ?? String(id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return {
    metric: query.metric,
    documentedCounts: DOCUMENTED_COUNTS,
    country: query.country ?? null,
    context: query.context ?? null,
    sources: [...bySource.values()].sort((a, b) => a.source.name.localeCompare(b.source.name)),
  };
}
