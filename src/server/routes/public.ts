/**
 * The public dashboard's reads that the core API does not have (headline figures with the latest claims,
 * tallies whose places carry coordinates and Persian names, Persian place names), and the pages published
 * outside the single-page app: daily bulletins, the Atom feed and the embeddable headline figure.
 * Registered at the root, since only some of these live under /api/v1.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { TallyQuery } from "../../core/tally.js";
import { Metric } from "../../core/vocabulary.js";
import {
  type BulletinLang,
  cachedBulletin,
  isCalendarDay,
  renderBulletinHtml,
  renderBulletinMarkdown,
} from "../../services/bulletins.js";
import { cachedHeadline, mappedTally, placeNames } from "../../services/dashboard.js";
import { atomFeed, embedHeadlineHtml } from "../../services/feeds.js";
import type { Ledger } from "../../services/ledger.js";
import { cachedTally } from "../../services/tallies.js";
import { dataVersion } from "../../store/repositories/meta.js";
import { ProblemError } from "../problem.js";
import { route } from "../route.js";

export interface PublicOptions {
  ledger: Ledger;
  synthetic: boolean;
  /** Fill the dashboard's caches when the server starts (default true). */
  prewarm?: boolean;
}

const Country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
  .transform((s) => s.toUpperCase())
  .optional();
const Lang = z.enum(["en", "fa"]).default("en");
const Day = z.string().refine(isCalendarDay, "must be a date YYYY-MM-DD");

/** Answers 304 when the client holds the current version of this URL, and marks the demo's data. */
function revalidate(
  request: FastifyRequest,
  reply: FastifyReply,
  version: string,
  synthetic: boolean,
): boolean {
  const etag = `"${createHash("sha1").update(`${version}|${request.url}`).digest("base64url")}"`;
  reply.header("etag", etag).header("cache-control", "public, max-age=0, must-revalidate");
  if (synthetic) reply.header("x-tally-data", "synthetic");
  if (request.headers["if-none-match"] === etag) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/**
 * Computes what the dashboard's first view reads (the headline, the default metric's tally by province and its
 * daily series) into the caches, so the first reader after a start does not wait for a pass over the cells.
 */
export async function prewarmDashboard(ledger: Ledger): Promise<void> {
  const h = await cachedHeadline(ledger);
  const metric = h.metrics.find((m) => m.documented.incidents > 0)?.metric ?? h.metrics[0]?.metric;
  if (!metric) return;
  await mappedTally(ledger, TallyQuery.parse({ metric, grade: "headline", by: "province" }));
  await cachedTally(ledger, TallyQuery.parse({ metric, grade: "headline", by: "country", period: "day" }));
}

export async function registerPublic(app: FastifyInstance, options: PublicOptions): Promise<void> {
  const { ledger, synthetic } = options;
  if (options.prewarm !== false) {
    // Not awaited: the server answers at once, and a reader arriving meanwhile shares the same queries' cost.
    app.addHook("onReady", async () => {
      prewarmDashboard(ledger).catch((err: unknown) => app.log.warn({ err }, "dashboard prewarm failed"));
    });
  }

  route(
    app,
    {
      method: "GET",
      url: "/api/v1/headline",
      summary:
        "Documented counts per metric (verified incidents graded confirmed or fair) and the full published range, with each source's latest claim",
      tags: ["tallies"],
      query: z.object({ country: Country }),
    },
    async ({ query, request, reply }) => {
      const h = await cachedHeadline(ledger, query.country);
      if (revalidate(request, reply, h.version, synthetic)) return reply;
      return { ...h, synthetic };
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/api/v1/tally-places",
      summary: "A tally (as GET /tallies) whose places carry coordinates and Persian names",
      tags: ["tallies"],
      query: TallyQuery,
    },
    async ({ query, request, reply }) => {
      const t = await mappedTally(ledger, query);
      if (revalidate(request, reply, t.version, synthetic)) return reply;
      return { ...t, synthetic };
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/api/v1/place-names",
      summary: "Names of places, with the Persian name where the gazetteer has one",
      tags: ["places"],
      query: z.object({
        ids: z
          .string()
          .max(8000)
          .transform((s) => s.split(",").filter(Boolean))
          .refine((a) => a.length <= 500, "at most 500 ids"),
      }),
    },
    async ({ query, reply }) => {
      reply.header("cache-control", "public, max-age=3600");
      return { names: placeNames(ledger, query.ids) };
    },
  );

  const BulletinParams = z.object({ date: Day });
  const BulletinQuery = z.object({ lang: Lang, format: z.enum(["html", "json", "md"]).default("html") });
  route(
    app,
    {
      method: "GET",
      url: "/bulletins/:date",
      summary: "The daily bulletin (HTML, Markdown or JSON)",
      tags: ["bulletins"],
      params: BulletinParams,
      query: BulletinQuery,
    },
    async ({ params, query, request, reply }) => {
      const version = await dataVersion(ledger.store.db);
      if (revalidate(request, reply, version, synthetic)) return reply;
      const b = await cachedBulletin(ledger, params.date, { synthetic });
      if (!b)
        throw new ProblemError(
          404,
          "Not found",
          `no bulletin for ${params.date}: the ledger has no data yet`,
        );
      if (query.format === "json") return b;
      const lang = query.lang as BulletinLang;
      if (query.format === "md") {
        return reply.type("text/markdown; charset=utf-8").send(renderBulletinMarkdown(b, lang));
      }
      return reply.type("text/html; charset=utf-8").send(renderBulletinHtml(b, lang));
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/feed.atom",
      summary: "Atom feed: daily bulletins and newly verified incidents",
      tags: ["bulletins"],
    },
    async ({ request, reply }) => {
      const version = await dataVersion(ledger.store.db);
      if (revalidate(request, reply, version, synthetic)) return reply;
      const base = `${request.protocol}://${request.host}`;
      return reply
        .type("application/atom+xml; charset=utf-8")
        .send(await atomFeed(ledger, base, { synthetic }));
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/embed/headline",
      summary: "An embeddable headline figure for other sites (HTML for an iframe)",
      tags: ["bulletins"],
      query: z.object({ metric: Metric, lang: Lang, country: Country }),
    },
    async ({ query, request, reply }) => {
      const h = await cachedHeadline(ledger, query.country);
      if (revalidate(request, reply, h.version, synthetic)) return reply;
      const base = `${request.protocol}://${request.host}`;
      // Other sites may frame this one page; everything else keeps frame-ancestors 'self'.
      reply.header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'",
      );
      reply.removeHeader("x-frame-options");
      return reply
        .type("text/html; charset=utf-8")
        .send(embedHeadlineHtml(h, query.metric, query.lang, base, synthetic));
    },
  );
}
