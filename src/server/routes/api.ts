/** The /api/v1 routes. Handlers parse with the shared schemas, call one service, and shape the answer. */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { NEVER_PUBLISHED } from "../../core/publication.js";
import { ClaimRecord, IncidentRecord } from "../../core/records.js";
import { TallyQuery } from "../../core/tally.js";
import { ComparisonQuery, cachedComparison } from "../../services/comparisons.js";
import { CONTENT_TYPES, EXPORT_FORMATS, exportLedger } from "../../services/exports/ledger-export.js";
import { tallyCsv } from "../../services/exports/tally-csv.js";
import { importClaims } from "../../services/import/claims.js";
import { importIncidents } from "../../services/import/incidents.js";
import { type ImportFormat, readRecords } from "../../services/import/read-records.js";
import { getIncident, IncidentListQuery, listIncidents } from "../../services/incidents.js";
import type { Ledger } from "../../services/ledger.js";
import {
  MergeRequest,
  mergeIncidents,
  ReviewDecision,
  reviewClaim,
  reviewIncident,
  suggestDuplicates,
  unmergeIncident,
} from "../../services/review.js";
import { recordClaim, submitIncident } from "../../services/submissions.js";
import { cachedTally, computeTally } from "../../services/tallies.js";
import { listSources } from "../../store/repositories/sources.js";
import { ProblemError } from "../problem.js";
import { IdParams, route } from "../route.js";

export async function registerApi(
  app: FastifyInstance,
  ctx: { ledger: Ledger; synthetic: boolean; maxImportBytes: number },
) {
  const { ledger } = ctx;

  route(app, { method: "GET", url: "/meta", summary: "About this ledger", tags: ["meta"] }, async () => ({
    name: "Tally",
    api: "v1",
    synthetic: ctx.synthetic,
    ...(ctx.synthetic
      ? {
          notice:
            "SYNTHETIC DEMO DATA: every incident, place count and claim here is invented for demonstration.",
        }
      : {}),
  }));

  route(
    app,
    {
      method: "GET",
      url: "/tallies",
      summary: "Documented counts by place and period",
      tags: ["tallies"],
      query: TallyQuery,
    },
    async ({ query, request, reply }) => {
      const cached = await cachedTally(ledger, query);
      // The ETag follows the data version and the query, so a revalidation costs no tally at all.
      const etag = cached.etag;
      reply.header("etag", etag).header("cache-control", "public, max-age=0, must-revalidate");
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      const body = ctx.synthetic ? `${cached.json.slice(0, -1)},"synthetic":true}` : cached.json;
      return reply.type("application/json").send(body);
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/comparisons",
      summary: "Claims beside documented counts",
      tags: ["claims"],
      query: ComparisonQuery,
    },
    async ({ query }) => cachedComparison(ledger, query),
  );

  route(
    app,
    {
      method: "GET",
      url: "/incidents",
      summary: "Incidents, newest first (cursor pagination)",
      tags: ["incidents"],
      query: IncidentListQuery,
    },
    async ({ query, principal }) => listIncidents(ledger, query, principal),
  );

  route(
    app,
    {
      method: "GET",
      url: "/incidents/:id",
      summary: "One incident with its sources, documents and history",
      tags: ["incidents"],
      params: IdParams,
    },
    async ({ params, principal }) => getIncident(ledger, params.id, principal),
  );

  route(
    app,
    {
      method: "POST",
      url: "/incidents",
      summary: "Submit an incident",
      tags: ["incidents"],
      body: IncidentRecord,
      role: "reporter",
    },
    async ({ request, principal, reply }) => {
      // The raw body goes through the import path (which validates it with the same schema) for idempotency.
      const result = await submitIncident(
        ledger,
        request.body as Record<string, unknown>,
        principal as never,
      );
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  route(
    app,
    {
      method: "POST",
      url: "/incidents/:id/review",
      summary: "Set status and grade, with a note",
      tags: ["review"],
      params: IdParams,
      body: ReviewDecision,
      role: "reviewer",
    },
    async ({ params, body, principal }) =>
      reviewIncident(ledger, params.id, body, principal?.name ?? "unknown"),
  );

  route(
    app,
    {
      method: "GET",
      url: "/incidents/:id/duplicates",
      summary: "Likely duplicates, ranked",
      tags: ["review"],
      params: IdParams,
      role: "reviewer",
    },
    async ({ params }) => ({ suggestions: await suggestDuplicates(ledger, params.id) }),
  );

  route(
    app,
    {
      method: "POST",
      url: "/incidents/merge",
      summary: "Merge duplicates into one incident",
      tags: ["review"],
      body: MergeRequest,
      role: "reviewer",
    },
    async ({ body, principal }) => mergeIncidents(ledger, body, principal?.name ?? "unknown"),
  );

  route(
    app,
    {
      method: "POST",
      url: "/incidents/:id/unmerge",
      summary: "Undo a merge",
      tags: ["review"],
      params: IdParams,
      body: z.object({ note: z.string().max(5000).optional() }).optional(),
      role: "reviewer",
    },
    async ({ params, body, principal }) =>
      unmergeIncident(ledger, params.id, principal?.name ?? "unknown", body?.note),
  );

  const ClaimListQuery = z.object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, "not a cursor from this API")
      .optional(),
    metric: z.string().max(40).optional(),
  });
  route(
    app,
    {
      method: "GET",
      url: "/claims",
      summary: "Claims, newest first (cursor pagination)",
      tags: ["claims"],
      query: ClaimListQuery,
    },
    async ({ query }) => {
      let q = ledger.store.db
        .selectFrom("claims")
        .innerJoin("sources", "sources.id", "claims.source_id")
        .selectAll("claims")
        .select(["sources.name as source_name", "sources.kind as source_kind"])
        .where("claims.status", "not in", [...NEVER_PUBLISHED]);
      if (query.cursor) q = q.where("claims.id", "<", Number(query.cursor));
      if (query.metric) q = q.where("claims.metric", "=", query.metric);
      const rows = await q
        .orderBy("claims.id", "desc")
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit);
      return { items, next: rows.length > query.limit ? String(items[items.length - 1]?.id) : null };
    },
  );

  route(
    app,
    {
      method: "POST",
      url: "/claims",
      summary: "Record a claim",
      tags: ["claims"],
      body: ClaimRecord,
      role: "reviewer",
    },
    async ({ request, principal, reply }) => {
      const result = await recordClaim(ledger, request.body as Record<string, unknown>, principal as never);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  route(
    app,
    {
      method: "POST",
      url: "/claims/:id/review",
      summary: "Set a claim's status, with a note",
      tags: ["review"],
      params: IdParams,
      body: ReviewDecision,
      role: "reviewer",
    },
    async ({ params, body, principal }) => reviewClaim(ledger, params.id, body, principal?.name ?? "unknown"),
  );

  route(app, { method: "GET", url: "/sources", summary: "Sources", tags: ["claims"] }, async () => ({
    items: (await listSources(ledger.store.db)).map(({ name_key: _k, ...s }) => s),
  }));

  await app.register(async (scope) => registerImports(scope, ctx));

  const ExportParams = z.object({ kind: z.enum(["incidents", "claims", "tallies"]) });
  const ExportQuery = TallyQuery.partial().extend({ format: z.enum(EXPORT_FORMATS).default("csv") });
  route(
    app,
    {
      method: "GET",
      url: "/export/:kind",
      summary: "Open data: incidents, claims or tallies",
      tags: ["export"],
      params: ExportParams,
      query: ExportQuery,
    },
    async ({ params, query, reply }) => {
      const ext = query.format === "hxl" ? "hxl.csv" : query.format;
      reply.header("content-disposition", `attachment; filename="tally-${params.kind}.${ext}"`);
      if (params.kind === "tallies") {
        const parsed = TallyQuery.safeParse(query);
        if (!parsed.success)
          throw new ProblemError(400, "Invalid request", "query: a tally export needs a metric");
        const tally = await computeTally(ledger, parsed.data);
        if (query.format === "json") return tally;
        if (query.format === "csv" || query.format === "hxl") {
          return reply.type(CONTENT_TYPES[query.format]).send(tallyCsv(tally, query.format === "hxl"));
        }
        throw new ProblemError(400, "Invalid request", `query: format: tallies export as csv, hxl or json`);
      }
      reply.type(CONTENT_TYPES[query.format]);
      return reply.send(Readable.from(exportLedger(ledger, params.kind, query.format)));
    },
  );
}

const ImportQuery = z.object({
  kind: z.enum(["incidents", "claims"]),
  format: z.enum(["csv", "json", "ndjson"]).optional(),
  source: z.string().max(200).optional(),
  allow_unresolved: z.enum(["true", "false"]).optional(),
  skip_invalid: z.enum(["true", "false"]).optional(),
});

const IMPORT_TYPES: Record<string, ImportFormat> = {
  "text/csv": "csv",
  "application/json": "json",
  "application/x-ndjson": "ndjson",
};

/**
 * Imports, in a scope of their own: here a body of any of the import types reaches the handler as the raw
 * stream, which the CLI's readers consume as it arrives (never one string of the whole body), within
 * `maxImportBytes`. The caller's role was checked before the first byte was read (route.ts).
 */
async function registerImports(app: FastifyInstance, ctx: { ledger: Ledger; maxImportBytes: number }) {
  const { ledger, maxImportBytes } = ctx;
  app.removeContentTypeParser("application/json");
  for (const type of Object.keys(IMPORT_TYPES)) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  }
  route(
    app,
    {
      method: "POST",
      url: "/imports",
      summary:
        "Import a CSV, JSON or NDJSON file of incidents or claims (streamed; idempotent, all or nothing)",
      tags: ["imports"],
      query: ImportQuery,
      role: "reviewer",
    },
    async ({ query, request, principal }) => {
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      const format: ImportFormat = query.format ?? IMPORT_TYPES[contentType] ?? "csv";
      const declared = Number(request.headers["content-length"]);
      if (declared > maxImportBytes) throw tooLarge(maxImportBytes);
      const body = request.body;
      if (!(body instanceof Readable))
        throw new ProblemError(
          415,
          "Unsupported media type",
          "send the file as text/csv, application/json or application/x-ndjson",
        );
      const rejected: { line: number; errors: unknown }[] = [];
      const options = {
        file: "body",
        actor: principal?.name ?? "unknown",
        source: query.source,
        allowUnresolved: query.allow_unresolved === "true",
        skipInvalid: query.skip_invalid === "true",
        onRejected: (line: number, _r: unknown, errors: unknown) => {
          if (rejected.length < 1000) rejected.push({ line, errors });
        },
      };
      const records = readRecords(Readable.from(withinBytes(body, maxImportBytes)), format);
      const report =
        query.kind === "incidents"
          ? await importIncidents(ledger, records, options)
          : await importClaims(ledger, records, options);
      const { lastKey: _k, ...publicReport } = report;
      return { ...publicReport, rejectedRows: rejected };
    },
  );
}

function tooLarge(max: number): ProblemError {
  return new ProblemError(413, "Payload too large", `body: an import may be at most ${max} bytes`, [
    { field: "body", message: `larger than ${max} bytes` },
  ]);
}

/** The body's chunks, failing the import (nothing is written) once more than `max` bytes have arrived. */
async function* withinBytes(
  body: AsyncIterable<Buffer | string>,
  max: number,
): AsyncGenerator<Buffer | string> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > max) throw tooLarge(max);
    yield chunk;
  }
}
