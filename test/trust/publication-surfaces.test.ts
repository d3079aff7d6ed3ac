/**
 * Publication, by example, on both backends (the random version is publication.test.ts):
 * 1. a reporter's submission sent with an API token stays out of every public figure and list until a reviewer
 *    verifies it, and is in them afterwards;
 * 2. the headline's documented figure counts verified incidents graded confirmed or fair, and nothing else;
 * 3. the sources page and the home page set a claim beside the same documented number;
 * 4. the headline's dates and the feed's bulletin days follow the published incidents (a rejection included).
 * Every row is synthetic; the expected figures are worked out by hand from the rows written here.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { createToken } from "../../src/services/tokens.js";
import type { Dialect } from "../../src/store/dialect.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { INCIDENT_HEADER, type IncidentFixture, incidentsCsv, records } from "../helpers/fixtures.js";

interface Ctx {
  t: TestLedger;
  app: FastifyInstance;
  reviewer: string;
  reporter: string;
}

async function withServer(backend: Dialect, fn: (c: Ctx) => Promise<void>): Promise<void> {
  const t = await openTestLedger(backend);
  const app = await buildServer({ ledger: t.ledger });
  try {
    const reviewer = (await createToken(t.ledger, "synthetic-reviewer", "reviewer")).token;
    const reporter = (await createToken(t.ledger, "synthetic-reporter", "reporter")).token;
    await fn({ t, app, reviewer, reporter });
  } finally {
    await app.close();
    await t.cleanup();
  }
}

type Row = IncidentFixture & { status: string; grade?: string };

/** Imported as the CLI imports, by a reviewer: published unless candidate or rejected. */
async function importRows(c: Ctx, rows: Row[]): Promise<void> {
  await importIncidents(c.t.ledger, records(incidentsCsv(rows, [...INCIDENT_HEADER, "status", "grade"])), {
    file: "synthetic.csv",
    actor: "reviewer-cli",
  });
}

const row = (over: Partial<Row> & { external_id: string; place: string; killed: string }): Row => ({
  date: "2024-05-02",
  country: "IR",
  type: "protest",
  source: "Field network (synthetic)",
  source_kind: "network",
  description: "synthetic",
  status: "verified",
  grade: "confirmed",
  ...over,
});

async function post(c: Ctx, token: string, url: string, body: unknown): Promise<LightMyRequestResponse> {
  return c.app.inject({
    method: "POST",
    url,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    payload: JSON.stringify(body),
  });
}

async function getJson<T>(c: Ctx, url: string): Promise<T> {
  const res = await c.app.inject({ method: "GET", url });
  expect(res.statusCode, `GET ${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json() as T;
}

interface Cell {
  low: number;
  high: number;
  incidents: number;
}
interface TallyJson {
  rows: { place: { name: string | null }; low: number; high: number; incidents: number }[];
  total: Cell;
}
interface HeadlineJson {
  metrics: {
    metric: string;
    documented: Cell;
    all: Cell;
    latest: { id: number; low: number; source: { name: string }; documented: Cell }[];
  }[];
}
interface BulletinJson {
  metrics: { metric: string; documented: Cell; all: Cell }[];
}
interface ComparisonJson {
  sources: { source: { name: string }; claims: { id: number; low: number; documented: Cell }[] }[];
}

const figure = (c: Cell | undefined) => (c ? { low: c.low, high: c.high, incidents: c.incidents } : c);

function killed(h: HeadlineJson) {
  return h.metrics.find((m) => m.metric === "killed");
}

/** Everything the public sees of a ledger in which one reporter's submission is the question. */
async function publicView(c: Ctx) {
  const list = await getJson<{ items: { id: number }[] }>(c, "/api/v1/incidents?limit=1000");
  const csv = (await c.app.inject({ method: "GET", url: "/api/v1/export/incidents?format=csv" })).body;
  const json = await getJson<{ id: number }[]>(c, "/api/v1/export/incidents?format=json");
  const geojson = await getJson<{ features: { id: number }[] }>(c, "/api/v1/export/incidents?format=geojson");
  const tallies = await getJson<TallyJson>(c, "/api/v1/tallies?metric=killed&by=province");
  const places = await getJson<TallyJson>(c, "/api/v1/tally-places?metric=killed&by=province");
  const headline = await getJson<HeadlineJson>(c, "/api/v1/headline");
  const bulletin = await getJson<BulletinJson>(c, "/bulletins/2024-05-03?format=json");
  return {
    list: list.items.map((i) => i.id).sort(),
    exports: {
      csv: csv
        .split(/\r?\n/)
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split(",")[0]))
        .sort(),
      json: json.map((r) => Number(r.id)).sort(),
      geojson: geojson.features.map((f) => Number(f.id)).sort(),
    },
    tallies: { total: figure(tallies.total), provinces: tallies.rows.map((r) => r.place.name).sort() },
    tallyPlaces: { total: figure(places.total), provinces: places.rows.map((r) => r.place.name).sort() },
    headline: { documented: figure(killed(headline)?.documented), all: figure(killed(headline)?.all) },
    bulletin: {
      documented: figure(bulletin.metrics.find((m) => m.metric === "killed")?.documented),
      all: figure(bulletin.metrics.find((m) => m.metric === "killed")?.all),
    },
  };
}

describe.each(BACKENDS)("publication by example on %s", (backend) => {
  it("keeps a reporter's token submission out of every public surface until a reviewer verifies it", async () => {
    await withServer(backend, async (c) => {
      await importRows(c, [row({ external_id: "base", place: "Tehran", killed: "2" })]);
      // The reporter asks for verified and confirmed; a submission waits for review whatever it asks.
      const sent = await post(c, c.reporter, "/api/v1/incidents", {
        ...row({ external_id: "field-1", place: "Ahvaz", killed: "5", date: "2024-05-03" }),
        status: "verified",
        grade: "confirmed",
      });
      expect(sent.statusCode, sent.body).toBe(201);
      const id = sent.json().incident.id as number;
      const base = (
        await getJson<{ items: { id: number }[] }>(c, "/api/v1/incidents?limit=1000&status=verified")
      ).items;
      const baseId = base.find((i) => i.id !== id)?.id as number;

      const only = { low: 2, high: 2, incidents: 1 };
      expect(await publicView(c), `before review: incident ${id} must not be public`).toEqual({
        list: [baseId],
        exports: { csv: [baseId], json: [baseId], geojson: [baseId] },
        tallies: { total: only, provinces: ["Tehran"] },
        tallyPlaces: { total: only, provinces: ["Tehran"] },
        headline: { documented: only, all: only },
        bulletin: { documented: only, all: only },
      });
      expect((await c.app.inject({ method: "GET", url: `/api/v1/incidents/${id}` })).statusCode).toBe(404);

      const reviewed = await post(c, c.reviewer, `/api/v1/incidents/${id}/review`, {
        status: "verified",
        grade: "confirmed",
        note: "synthetic review",
      });
      expect(reviewed.statusCode, reviewed.body).toBe(200);

      const both = { low: 7, high: 7, incidents: 2 };
      const ids = [baseId, id].sort();
      expect(await publicView(c), `after review: incident ${id} must be public`).toEqual({
        list: ids,
        exports: { csv: ids, json: ids, geojson: ids },
        tallies: { total: both, provinces: ["Khuzestan", "Tehran"] },
        tallyPlaces: { total: both, provinces: ["Khuzestan", "Tehran"] },
        headline: { documented: both, all: both },
        bulletin: { documented: both, all: both },
      });
      expect((await c.app.inject({ method: "GET", url: `/api/v1/incidents/${id}` })).statusCode).toBe(200);
    });
  });

  it("documents only verified incidents graded confirmed or fair in the headline", async () => {
    await withServer(backend, async (c) => {
      await importRows(c, [
        row({ external_id: "a", place: "Tehran", killed: "3" }),
        row({ external_id: "b", place: "Isfahan", killed: "4", grade: "weak" }),
        row({ external_id: "c", place: "Ahvaz", killed: "5", status: "submitted", grade: "confirmed" }),
        row({ external_id: "d", place: "Kashan", killed: "6", status: "disputed", grade: "fair" }),
      ]);
      const k = killed(await getJson<HeadlineJson>(c, "/api/v1/headline"));
      expect(figure(k?.documented), "the headline counts only incident a").toEqual({
        low: 3,
        high: 3,
        incidents: 1,
      });
      expect(figure(k?.all), "the full range counts all four").toEqual({ low: 18, high: 18, incidents: 4 });
      // The same documented count on the other surfaces that show it.
      const tally = await getJson<TallyJson>(c, "/api/v1/tallies?metric=killed&by=province&grade=headline");
      expect(figure(tally.total)).toEqual({ low: 3, high: 3, incidents: 1 });
      const bulletin = await getJson<BulletinJson>(c, "/bulletins/2024-05-02?format=json");
      expect(figure(bulletin.metrics.find((m) => m.metric === "killed")?.documented)).toEqual({
        low: 3,
        high: 3,
        incidents: 1,
      });
      const embed = (await c.app.inject({ method: "GET", url: "/embed/headline?metric=killed" })).body;
      expect(/<p class="n"><strong>([^<]*)<\/strong>/.exec(embed)?.[1]).toBe("3");
    });
  });

  it("dates the headline and the feed's bulletins by published incidents only, after a rejection too", async () => {
    await withServer(backend, async (c) => {
      await importRows(c, [
        row({ external_id: "early", place: "Tehran", killed: "1", date: "2024-05-02" }),
        row({ external_id: "late", place: "Ahvaz", killed: "1", date: "2024-05-09" }),
      ]);
      const late = (
        await getJson<{ items: { id: number; date: string }[] }>(c, "/api/v1/incidents")
      ).items.find((i) => i.date === "2024-05-09")?.id;
      const rejected = await post(c, c.reviewer, `/api/v1/incidents/${late}/review`, {
        status: "rejected",
        note: "synthetic review",
      });
      expect(rejected.statusCode, rejected.body).toBe(200);
      // Nothing published lies after 2 May any more: no figure, date or bulletin may reach past it.
      const h = await getJson<{ firstDate: string; lastDate: string }>(c, "/api/v1/headline");
      expect({ firstDate: h.firstDate, lastDate: h.lastDate }).toEqual({
        firstDate: "2024-05-02",
        lastDate: "2024-05-02",
      });
      const feed = (await c.app.inject({ method: "GET", url: "/feed.atom" })).body;
      const days = [...feed.matchAll(/<id>tag:tally,2026:bulletin:([\d-]+)<\/id>/g)].map((m) => m[1]);
      expect(days).toEqual(["2024-05-02"]);
    });
  });

  it("sets a claim beside the same documented number on the sources page and the home page", async () => {
    await withServer(backend, async (c) => {
      await importRows(c, [
        row({ external_id: "a", place: "Tehran", killed: "2-4" }),
        row({ external_id: "b", place: "Ahvaz", killed: "3", grade: "fair" }),
        row({ external_id: "c", place: "Dezful", killed: "5", grade: "weak" }),
        row({ external_id: "d", place: "Ahvaz", killed: "7", status: "disputed", grade: "fair" }),
        row({ external_id: "e", place: "Isfahan", killed: "11", status: "submitted", grade: "confirmed" }),
      ]);
      const sent = await post(
        c,
        c.reporter,
        "/api/v1/incidents",
        row({ external_id: "field-1", place: "Dezful", killed: "13" }),
      );
      expect(sent.statusCode, sent.body).toBe(201);
      async function* claims() {
        const common = { metric: "killed", qualifier: "exact", as_of: "2024-05-10", country: "IR" };
        const quote = "SYNTHETIC test claim";
        yield {
          line: 1,
          record: {
            ...common,
            source: "Ministry (synthetic)",
            source_kind: "official",
            low: 40,
            place: "Iran",
            quote,
          },
        };
        yield {
          line: 2,
          record: {
            ...common,
            source: "Monitor (synthetic)",
            source_kind: "ngo",
            low: 90,
            place: "Khuzestan",
            quote,
          },
        };
      }
      await importClaims(c.t.ledger, claims(), { file: "claims.csv", actor: "reviewer-cli" });

      const comparison = await getJson<ComparisonJson>(c, "/api/v1/comparisons?metric=killed");
      const headline = await getJson<HeadlineJson>(c, "/api/v1/headline");
      const onSources = new Map(
        comparison.sources.flatMap((s) => s.claims).map((x) => [x.low, figure(x.documented)]),
      );
      const onHome = new Map((killed(headline)?.latest ?? []).map((x) => [x.low, figure(x.documented)]));
      expect([...onHome.keys()].sort()).toEqual([40, 90]);
      for (const low of [40, 90]) {
        expect(onSources.get(low), `claim of ${low}: the sources page and the home page`).toEqual(
          onHome.get(low),
        );
      }
      // Verified and confirmed or fair: a (2-4) and b (3) in the country, b alone in Khuzestan.
      expect(onHome.get(40)).toEqual({ low: 5, high: 7, incidents: 2 });
      expect(onHome.get(90)).toEqual({ low: 3, high: 3, incidents: 1 });
      expect(onSources.get(40)).toEqual({ low: 5, high: 7, incidents: 2 });
      expect(onSources.get(90)).toEqual({ low: 3, high: 3, incidents: 1 });
    });
  });
});
