/**
 * What the public reads, on both backends: headline figures, tallies with places, bulletins, the feed, the
 * embed, full-text search and the static site. The ledger is built from synthetic rows; every expected figure
 * is computed here through the tally service, never written down by hand.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRatio } from "../../src/core/compare.js";
import { addDays } from "../../src/core/dates.js";
import { formatRange } from "../../src/core/locale.js";
import { TallyQuery, type TallyQueryInput } from "../../src/core/tally.js";
import { METRICS } from "../../src/core/vocabulary.js";
import { buildServer } from "../../src/server/app.js";
import {
  bulletinFor,
  isCalendarDay,
  renderBulletinHtml,
  renderBulletinMarkdown,
} from "../../src/services/bulletins.js";
import { cachedHeadline, headlineTotals } from "../../src/services/dashboard.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { IncidentListQuery, listIncidents } from "../../src/services/incidents.js";
import { exportSite } from "../../src/services/site.js";
import { computeTally } from "../../src/services/tallies.js";
import { bumpDataVersion } from "../../src/store/repositories/meta.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { INCIDENT_HEADER, incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

const GRADES = ["confirmed", "fair", "weak", "contested"] as const;

function fixtureRows() {
  return syntheticIncidents(120, 7).map((r, i) => ({
    ...r,
    status: i % 7 === 6 ? "submitted" : "verified",
    grade: GRADES[i % GRADES.length] as string,
    // A few words to search for, and characters that must be escaped in HTML and XML.
    description:
      i === 119
        ? 'synthetic: a sit-in at Fīrūzābād bazaar <&> "quoted"'
        : i % 10 === 1
          ? `synthetic protest near the university gate ${i}`
          : `synthetic test incident ${i}`,
  }));
}

async function* claimRecords() {
  const claims = [
    ["Ministry (synthetic)", "official", 3, "exact", "2021-02-01"],
    ["Ministry (synthetic)", "official", 9, "exact", "2021-03-01"],
    ["Monitor (synthetic)", "ngo", 40, "at_least", "2021-02-01"],
    ["Monitor (synthetic)", "ngo", 120, "over", "2021-03-01"],
  ] as const;
  let line = 0;
  for (const [source, kind, low, qualifier, asOf] of claims) {
    yield {
      line: ++line,
      record: {
        source,
        source_kind: kind,
        metric: "killed",
        low,
        qualifier,
        as_of: asOf,
        period_from: "2021-01-01",
        place: "Iran",
        country: "IR",
        quote: "SYNTHETIC test claim",
        status: "verified",
      },
    };
  }
}

const tally = (t: TestLedger, q: TallyQueryInput) => computeTally(t.ledger, TallyQuery.parse(q));

describe.each(BACKENDS)("public reads on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await openTestLedger(backend);
    await importIncidents(
      t.ledger,
      records(incidentsCsv(fixtureRows(), [...INCIDENT_HEADER, "status", "grade"])),
      {
        file: "fixture.csv",
        actor: "test",
      },
    );
    await importClaims(t.ledger, claimRecords(), { file: "claims", actor: "test" });
    app = await buildServer({ ledger: t.ledger, synthetic: true });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it("headline figures are the headline-grade tally, with the full range beside them", async () => {
    const h = await cachedHeadline(t.ledger);
    const killed = h.metrics.find((m) => m.metric === "killed");
    expect(killed).toBeDefined();
    const headline = await tally(t, { metric: "killed", by: "country", grade: "headline" });
    const all = await tally(t, { metric: "killed", by: "country" });
    expect(killed?.documented).toEqual(headline.total);
    expect(killed?.all).toEqual(all.total);
    expect(all.total.incidents).toBeGreaterThan(headline.total.incidents);
  });

  it("reads every metric's totals in one pass, equal to the tally service's, up to a month's end or not", async () => {
    for (const to of [undefined, "2021-02-28", "2021-02-10"]) {
      const totals = await headlineTotals(t.ledger, undefined, to);
      for (const metric of METRICS) {
        const headline = await tally(t, { metric, by: "country", grade: "headline", ...(to ? { to } : {}) });
        const all = await tally(t, { metric, by: "country", ...(to ? { to } : {}) });
        expect(totals.get(metric), `${metric} to ${to}`).toEqual({
          documented: headline.total,
          all: all.total,
        });
      }
    }
  });

  it("sets each source's latest claim beside the documented count up to its date", async () => {
    const h = await cachedHeadline(t.ledger);
    const latest = h.metrics.find((m) => m.metric === "killed")?.latest ?? [];
    expect(latest.map((c) => [c.source.name, c.asOf, c.low]).sort()).toEqual([
      ["Ministry (synthetic)", "2021-03-01", 9],
      ["Monitor (synthetic)", "2021-03-01", 120],
    ]);
    const upTo = await tally(t, {
      metric: "killed",
      by: "country",
      grade: "headline",
      from: "2021-01-01",
      to: "2021-03-01",
    });
    for (const c of latest) {
      expect(c.documented).toEqual({
        low: upTo.total.low,
        high: upTo.total.high,
        incidents: upTo.total.incidents,
      });
      expect(c.ratio).toEqual(claimRatio(c.low, upTo.total));
    }
  });

  it("serves tallies with places whose rows are the /tallies rows, with coordinates and Persian names", async () => {
    for (const by of ["province", "city"]) {
      const q = `metric=killed&by=${by}&grade=headline`;
      const plain = (await app.inject({ url: `/api/v1/tallies?${q}` })).json();
      const mapped = (await app.inject({ url: `/api/v1/tally-places?${q}` })).json();
      expect(mapped.total).toEqual(plain.total);
      const strip = (rows: { place: { id: string }; low: number; high: number; incidents: number }[]) =>
        rows.map((r) => [r.place.id, r.low, r.high, r.incidents]);
      expect(strip(mapped.rows)).toEqual(strip(plain.rows));
      for (const r of mapped.rows) expect(typeof r.place.lat).toBe("number");
      const tehran = mapped.rows.find((r: { place: { name: string } }) => r.place.name === "Tehran");
      expect(tehran?.place.fa).toBe("تهران");
    }
    const again = await app.inject({
      url: "/api/v1/tally-places?metric=killed&by=province",
      headers: {
        "if-none-match": (await app.inject({ url: "/api/v1/tally-places?metric=killed&by=province" })).headers
          .etag as string,
      },
    });
    expect(again.statusCode).toBe(304);
  });

  it("writes the day's bulletin from the ledger: figures, change, the day's claims and the chart", async () => {
    const day = "2021-02-01";
    const b = await bulletinFor(t.ledger, day, { synthetic: true });
    expect(b).not.toBeNull();
    if (!b) return;
    const now = await tally(t, { metric: "killed", by: "country", grade: "headline", to: day });
    const before = await tally(t, {
      metric: "killed",
      by: "country",
      grade: "headline",
      to: addDays(day, -1),
    });
    const killed = b.metrics.find((m) => m.metric === "killed");
    expect(killed?.documented).toEqual(now.total);
    expect(killed?.previous).toEqual(before.total);
    expect(b.claims.map((c) => `${c.source.name} ${c.low}`).sort()).toEqual([
      "Ministry (synthetic) 3",
      "Monitor (synthetic) 40",
    ]);
    expect(b.chart.days).toHaveLength(30);
    const window = await tally(t, {
      metric: b.chart.metric,
      by: "country",
      grade: "headline",
      from: addDays(day, -29),
      to: day,
    });
    expect(b.chart.days.reduce((s, d) => s + d.high, 0)).toBe(window.total.high);

    const md = renderBulletinMarkdown(b, "en");
    expect(md).toContain(`**Killed**: ${formatRange(now.total, "en")} documented`);
    expect(md).toContain("SYNTHETIC");
    const html = renderBulletinHtml(b, "fa");
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain(formatRange(now.total, "fa"));
    expect(html).toContain("<svg");
  });

  it("publishes bulletins, the feed and the embed over HTTP", async () => {
    const page = await app.inject({ url: "/bulletins/2021-02-01?lang=fa" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain("گزارش روزانه");
    expect((await app.inject({ url: "/bulletins/2021-02-30" })).statusCode).toBe(400);
    expect((await app.inject({ url: "/bulletins/2021-02-01?format=md" })).body).toMatch(/^# Daily bulletin/);

    const feed = await app.inject({ url: "/feed.atom" });
    expect(feed.headers["content-type"]).toMatch(/application\/atom\+xml/);
    expect(feed.body).toMatch(/^<\?xml/);
    expect(feed.body).toContain("tag:tally,2026:bulletin:");
    expect(feed.body).toContain("tag:tally,2026:incident:");
    // The description with markup characters arrives escaped, never as markup.
    expect(feed.body).not.toContain("<&>");
    expect(feed.body).toContain("&lt;&amp;&gt;");

    const embed = await app.inject({ url: "/embed/headline?metric=killed&lang=fa" });
    expect(embed.statusCode).toBe(200);
    expect(embed.headers["content-security-policy"]).toContain("frame-ancestors *");
    const h = await cachedHeadline(t.ledger);
    const killed = h.metrics.find((m) => m.metric === "killed");
    expect(embed.body).toContain(formatRange(killed?.documented ?? { low: -1, high: -1 }, "fa"));
    expect((await app.inject({ url: "/embed/headline?metric=nonsense" })).statusCode).toBe(400);
  });

  it("finds incidents by the words of their description and place, every word as a prefix", async () => {
    const search = async (q: string, extra: Record<string, string> = {}) =>
      (await listIncidents(t.ledger, IncidentListQuery.parse({ q, limit: 1000, ...extra }))).items;
    const gate = await search("universit gate");
    const expected = fixtureRows().filter(
      (r) => r.description.includes("university gate") && r.status !== "rejected",
    );
    expect(gate).toHaveLength(expected.length);
    expect(await search("university nowhere")).toHaveLength(0);
    expect((await search("bazaar")).map((i) => i.description)).toEqual([fixtureRows()[119]?.description]);
    // Search syntax of either engine is only words here.
    expect((await search('"bazaar*" -( NEAR:')).length).toBe(0);
    expect((await search('"bazaar*" ( :^')).length).toBe(1);
    const tehran = await search("tehran");
    expect(tehran.length).toBeGreaterThan(0);
    for (const i of tehran) expect(i.place.name).toBe("Tehran");
    const headline = await search("universit", { grade: "headline" });
    for (const i of headline) expect(["confirmed", "fair"]).toContain(i.grade);
    if (backend === "sqlite") expect(await search("firuzabad")).toHaveLength(1);

    // An edited description is found by its new words and no longer by its old ones.
    const id = gate[0]?.id as number;
    await t.ledger.store.db
      .updateTable("incidents")
      .set({ description: "synthetic edited: teachers' strike" })
      .where("id", "=", id)
      .execute();
    expect((await search("teachers strike")).map((i) => i.id)).toEqual([id]);
    expect((await search("universit gate")).map((i) => i.id)).not.toContain(id);
  });

  it("writes the dashboard as static files whose figures equal the headline", async () => {
    await bumpDataVersion(t.ledger.store.db);
    const dir = mkdtempSync(join(tmpdir(), "tally-site-"));
    try {
      const report = await exportSite(t.ledger, dir, { synthetic: true, bulletinDays: 3 });
      expect(report.bulletins).toBe(3);
      const h = await cachedHeadline(t.ledger);
      const index = readFileSync(join(dir, "index.html"), "utf8");
      const fa = readFileSync(join(dir, "index.fa.html"), "utf8");
      expect(fa).toContain('dir="rtl"');
      expect(index).not.toContain("<script");
      for (const m of h.metrics) {
        expect(index).toContain(`data-testid="documented-${m.metric}">${formatRange(m.documented, "en")}<`);
        expect(fa).toContain(`data-testid="documented-${m.metric}">${formatRange(m.documented, "fa")}<`);
        const csv = readFileSync(join(dir, `data/${m.metric}-by-province.csv`), "utf8")
          .trim()
          .split("\r\n")
          .slice(1);
        const high = csv.reduce((s, line) => s + Number(line.split(",").at(-2)), 0);
        expect(high).toBe(m.documented.high);
      }
      expect(existsSync(join(dir, `bulletins/${h.lastDate}.fa.html`))).toBe(true);
      expect(readFileSync(join(dir, "feed.atom"), "utf8")).toContain(`./bulletins/${h.lastDate}.html`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("calendar days", () => {
  it("accepts real days only", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2025-02-29")).toBe(false);
    expect(isCalendarDay("2025-13-01")).toBe(false);
    expect(isCalendarDay("2025-1-01")).toBe(false);
  });
});
