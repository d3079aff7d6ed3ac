/**
 * Publication, as a property over small random ledgers, on both backends: every public surface counts exactly
 * the published incidents, and the documented count it shows for a scope is the tally service's count for that
 * scope.
 *
 * The definitions (docs/methodology.md and PRODUCT.md, "Publication"):
 * - an incident is **published** when a reviewer or admin entered or imported it with a status other than
 *   `candidate` or `rejected`, or when a reviewer has set its status by review to something other than those
 *   two. A reporter's submission (API token or cookie session alike) waits for review whatever it says;
 * - **the documented count** of a scope sums the published incidents that are `verified` and graded
 *   `confirmed` or `fair`; **all published** sums every published incident, whatever its grade and status.
 *
 * Each run builds one ledger through the real doors (the CLI's import as a reviewer, POST /incidents with a
 * reviewer token, with a reporter token and from a reporter's cookie session, then reviews by a reviewer), and
 * the expected figures are computed here from the generated rows alone: the model below never reads the ledger.
 * Merges are left out of the generator (merged duplicates are covered by test/ledger/cells.test.ts), and so are
 * grade-only reviews, whose effect on publication the definitions leave open. Every row is synthetic.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/core/dates.js";
import { formatRange } from "../../src/core/locale.js";
import { TallyQuery, type TallyQueryInput } from "../../src/core/tally.js";
import type { Metric } from "../../src/core/vocabulary.js";
import { buildServer } from "../../src/server/app.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import type { Ledger } from "../../src/services/ledger.js";
import { exportSite } from "../../src/services/site.js";
import { computeTally } from "../../src/services/tallies.js";
import { createToken } from "../../src/services/tokens.js";
import { createUser } from "../../src/services/users.js";
import type { Dialect } from "../../src/store/dialect.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { INCIDENT_HEADER, type IncidentFixture, incidentsCsv, records } from "../helpers/fixtures.js";

// ---------------------------------------------------------------------------------------------------------
// The vocabulary of the generator
// ---------------------------------------------------------------------------------------------------------

const STATUSES = ["candidate", "submitted", "verified", "disputed", "rejected"] as const;
type Status = (typeof STATUSES)[number];
const GRADES = ["confirmed", "fair", "weak", "contested", "discounted"] as const;
type Grade = (typeof GRADES)[number];
const REVIEW_STATUSES = ["verified", "disputed", "rejected", "submitted"] as const;
const NEVER_PUBLISHED: readonly Status[] = ["candidate", "rejected"];
const HEADLINE: readonly (Grade | null)[] = ["confirmed", "fair"];
const METRICS_USED = ["killed", "arrested"] as const satisfies readonly Metric[];

/** Real cities in three provinces, as the gazetteer names them. */
const CITIES = [
  { name: "Tehran", province: "Tehran" },
  { name: "Eslamshahr", province: "Tehran" },
  { name: "Isfahan", province: "Isfahan" },
  { name: "Kashan", province: "Isfahan" },
  { name: "Ahvaz", province: "Khuzestan" },
  { name: "Dezful", province: "Khuzestan" },
] as const;
/** Incident days: inside a month and at its end (the cells answer those differently), and into the next. */
const DAYS = ["2024-03-05", "2024-03-12", "2024-03-31", "2024-04-02"] as const;
/** Days a claim may stand at: before, on and between the incident days. */
const CLAIM_DAYS = [
  "2024-03-04",
  "2024-03-05",
  "2024-03-20",
  "2024-03-31",
  "2024-04-02",
  "2024-04-10",
] as const;
const COUNTS = ["0", "1", "2", "3", "5", "1-3", "2-4"] as const;
const SOURCE = "Field network (synthetic)";
const PASSWORD = "correct horse battery staple";

type Entry = "import" | "reviewer-token" | "reporter-token" | "reporter-session";
interface Review {
  status: (typeof REVIEW_STATUSES)[number];
  grade: Grade | null;
}
interface PlannedIncident {
  killed: string | null;
  arrested: string | null;
  city: number;
  day: number;
  type: "protest" | "violence_against_civilians";
  status: Status;
  grade: Grade | null;
  entry: Entry;
  reviews: Review[];
}
interface PlannedClaims {
  nationalAsOf: string;
  nationalFrom: string | null;
  isfahanAsOf: string;
  khuzestanAsOf: string;
  arrestedAsOf: string;
}
interface Plan {
  incidents: PlannedIncident[];
  claims: PlannedClaims;
}

const review: fc.Arbitrary<Review> = fc.record({
  status: fc.constantFrom(...REVIEW_STATUSES),
  grade: fc.option(fc.constantFrom(...GRADES), { nil: null, freq: 6 }),
});

const plannedIncident: fc.Arbitrary<PlannedIncident> = fc.record({
  killed: fc.option(fc.constantFrom(...COUNTS), { nil: null, freq: 6 }),
  arrested: fc.option(fc.constantFrom(...COUNTS), { nil: null, freq: 2 }),
  city: fc.integer({ min: 0, max: CITIES.length - 1 }),
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
  type: fc.constantFrom("protest" as const, "violence_against_civilians" as const),
  status: fc.constantFrom(...STATUSES),
  grade: fc.option(fc.constantFrom(...GRADES), { nil: null, freq: 6 }),
  // The cookie session is the slowest door: a minority of the rows.
  entry: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Entry>("import") },
    { weight: 2, arbitrary: fc.constant<Entry>("reviewer-token") },
    { weight: 3, arbitrary: fc.constant<Entry>("reporter-token") },
    { weight: 1, arbitrary: fc.constant<Entry>("reporter-session") },
  ),
  reviews: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Review[]>([]) },
    { weight: 4, arbitrary: fc.array(review, { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(review, { minLength: 2, maxLength: 2 }) },
  ),
});

const claimDay = fc.constantFrom(...CLAIM_DAYS);
const plan: fc.Arbitrary<Plan> = fc.record({
  incidents: fc.array(plannedIncident, { minLength: 10, maxLength: 25 }),
  claims: fc.record({
    nationalAsOf: claimDay,
    nationalFrom: fc.option(fc.constantFrom("2024-03-01", "2024-03-10"), { nil: null }),
    isfahanAsOf: claimDay,
    khuzestanAsOf: claimDay,
    arrestedAsOf: claimDay,
  }),
});

// ---------------------------------------------------------------------------------------------------------
// The model: what each incident is once entered and reviewed, and what every scope should count
// ---------------------------------------------------------------------------------------------------------

interface Range {
  low: number;
  high: number;
}
interface Known {
  id: number;
  plan: PlannedIncident;
  status: Status;
  grade: Grade | null;
  published: boolean;
  date: string;
  city: string;
  province: string;
  counts: Partial<Record<Metric, Range>>;
}

function parseCount(s: string | null): Range | undefined {
  if (s === null) return undefined;
  const [low, high] = s.split("-").map(Number) as [number, number | undefined];
  return { low, high: high ?? low };
}

const reviewerEntered = (e: Entry) => e === "import" || e === "reviewer-token";

/** What an incident is after its entry and its reviews, by the definitions alone. */
function modelIncident(id: number, p: PlannedIncident): Known {
  // A reporter's submission is recorded as submitted, ungraded, whatever it sent.
  let status: Status = reviewerEntered(p.entry) ? p.status : "submitted";
  let grade: Grade | null = reviewerEntered(p.entry) ? p.grade : null;
  for (const r of p.reviews) {
    status = r.status;
    grade = r.grade;
  }
  const acceptedBy = reviewerEntered(p.entry) || p.reviews.length > 0;
  const city = CITIES[p.city] as (typeof CITIES)[number];
  const counts: Partial<Record<Metric, Range>> = {};
  const killed = parseCount(p.killed);
  const arrested = parseCount(p.arrested);
  if (killed) counts.killed = killed;
  if (arrested) counts.arrested = arrested;
  return {
    id,
    plan: p,
    status,
    grade,
    published: acceptedBy && !NEVER_PUBLISHED.includes(status),
    date: DAYS[p.day] as string,
    city: city.name,
    province: city.province,
    counts,
  };
}

const isDocumented = (k: Known) => k.published && k.status === "verified" && HEADLINE.includes(k.grade);

function describeIncident(k: Known): string {
  const how = {
    import: "CLI import",
    "reviewer-token": "reviewer token",
    "reporter-token": "reporter token",
    "reporter-session": "reporter session",
  }[k.plan.entry];
  const reviews = k.plan.reviews.length
    ? `reviewed ${k.plan.reviews.map((r) => `${r.status}/${r.grade ?? "none"}`).join(" then ")}`
    : "not reviewed";
  const entered = reviewerEntered(k.plan.entry) ? ` as ${k.plan.status}/${k.plan.grade ?? "none"}` : "";
  return `#${k.id} (${how}${entered}, ${reviews}; now ${k.status}/${k.grade ?? "no grade"}; ${
    k.published ? "published" : "UNPUBLISHED"
  })`;
}

/** A scope: a metric, the set it counts, and optionally a province, dates and one day. */
interface Scope {
  metric: Metric;
  which: "documented" | "all";
  province?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function inPlaceAndTime(k: Known, s: Scope): boolean {
  return (
    k.counts[s.metric] !== undefined &&
    (!s.province || k.province === s.province) &&
    (!s.from || k.date >= s.from) &&
    (!s.to || k.date <= s.to)
  );
}

function counted(known: readonly Known[], s: Scope): Known[] {
  return known.filter(
    (k) => inPlaceAndTime(k, s) && (s.which === "documented" ? isDocumented(k) : k.published),
  );
}

interface Cell {
  low: number;
  high: number;
  incidents: number;
  cities: number;
  provinces: number;
}

function modelTotal(known: readonly Known[], s: Scope): Cell {
  const rows = counted(known, s);
  const cities = new Set<string>();
  const provinces = new Set<string>();
  let low = 0;
  let high = 0;
  for (const k of rows) {
    const c = k.counts[s.metric] as Range;
    low += c.low;
    high += c.high;
    if (c.high > 0) {
      cities.add(k.city);
      provinces.add(k.province);
    }
  }
  return { low, high, incidents: rows.length, cities: cities.size, provinces: provinces.size };
}

type By = "country" | "province" | "city";
type Period = "total" | "day";

/** The rows a tally grouped by place (and day) should have: groups with at least one incident. */
function modelRows(
  known: readonly Known[],
  s: Scope,
  by: By,
  period: Period,
): Map<string, Range & { n: number }> {
  const out = new Map<string, Range & { n: number }>();
  for (const k of counted(known, s)) {
    const key = rowKey(
      by === "province" ? k.province : by === "city" ? k.city : "",
      period === "day" ? k.date : "",
    );
    const c = k.counts[s.metric] as Range;
    const r = out.get(key) ?? { low: 0, high: 0, n: 0 };
    out.set(key, { low: r.low + c.low, high: r.high + c.high, n: r.n + 1 });
  }
  return out;
}

const rowKey = (place: string, period: string) => `${place}|${period}`;

/** A short name for an incident in a list: its id, its door and review, its status and grade now. */
function shortIncident(k: Known): string {
  const door = reviewerEntered(k.plan.entry)
    ? k.plan.entry
    : `${k.plan.entry}${k.plan.reviews.length ? " reviewed" : " unreviewed"}`;
  return `#${k.id} ${door} ${k.status}/${k.grade ?? "none"}`;
}

/**
 * Counting rules a wrong figure might follow. When a surface's figure is not the model's, the rules that
 * reproduce it are named: that says what the surface counts instead.
 */
const WRONG_RULES: { name: string; which: Scope["which"][]; counts: (k: Known) => boolean }[] = [
  {
    name: "every incident not candidate/rejected, reviewed or not",
    which: ["all", "documented"],
    counts: (k) => !NEVER_PUBLISHED.includes(k.status),
  },
  {
    name: "published incidents graded confirmed/fair at any status",
    which: ["documented"],
    counts: (k) => k.published && HEADLINE.includes(k.grade),
  },
  {
    name: "every incident not candidate/rejected graded confirmed/fair, at any status, reviewed or not",
    which: ["documented"],
    counts: (k) => !NEVER_PUBLISHED.includes(k.status) && HEADLINE.includes(k.grade),
  },
  {
    name: "every published incident, any grade and status",
    which: ["documented"],
    counts: (k) => k.published,
  },
];

/** Why a figure came out wrong: the incidents in its scope it must not count, and the rule it seems to follow. */
function notCounted(known: readonly Known[], s: Scope, actual?: Partial<Cell> | null): string {
  const inScope = known.filter((k) => inPlaceAndTime(k, s));
  const unpublished = inScope.filter((k) => !k.published);
  const undocumented = s.which === "documented" ? inScope.filter((k) => k.published && !isDocumented(k)) : [];
  let out = "";
  if (unpublished.length) out += `; unpublished in scope: ${unpublished.map(shortIncident).join(", ")}`;
  if (undocumented.length)
    out += `; published, not documented, in scope: ${undocumented.map(shortIncident).join(", ")}`;
  if (actual) {
    const reproduces = (rule: (k: Known) => boolean) => {
      const rows = inScope.filter(rule);
      const low = rows.reduce((a, k) => a + (k.counts[s.metric] as Range).low, 0);
      const high = rows.reduce((a, k) => a + (k.counts[s.metric] as Range).high, 0);
      return low === actual.low && high === actual.high && (actual.incidents ?? rows.length) === rows.length;
    };
    const rules = WRONG_RULES.filter((r) => r.which.includes(s.which) && reproduces(r.counts));
    if (rules.length)
      out += `; the figure is what counting ${rules.map((r) => `"${r.name}"`).join(" or ")} gives`;
  }
  return out;
}

function scopeText(s: Scope): string {
  const parts = [`${s.metric}`, s.which === "documented" ? "documented count" : "all published"];
  if (s.province) parts.push(`province ${s.province}`);
  if (s.from || s.to) parts.push(`${s.from ?? "…"} to ${s.to ?? "…"}`);
  return parts.join(", ");
}

// ---------------------------------------------------------------------------------------------------------
// Claims: two sources, at country and at province level
// ---------------------------------------------------------------------------------------------------------

interface PlannedClaim {
  low: number;
  source: string;
  metric: Metric;
  place: string;
  province?: string;
  asOf: string;
  from: string | null;
}

/** Each claim has its own figure, by which it is found again on every surface. */
function claimsOf(c: PlannedClaims): PlannedClaim[] {
  return [
    {
      low: 50,
      source: "Ministry (synthetic)",
      metric: "killed",
      place: "Iran",
      asOf: c.nationalAsOf,
      from: c.nationalFrom,
    },
    {
      low: 60,
      source: "Ministry (synthetic)",
      metric: "killed",
      place: "Isfahan Province",
      province: "Isfahan",
      asOf: c.isfahanAsOf,
      from: null,
    },
    {
      low: 70,
      source: "Monitor (synthetic)",
      metric: "killed",
      place: "Khuzestan",
      province: "Khuzestan",
      asOf: c.khuzestanAsOf,
      from: null,
    },
    {
      low: 80,
      source: "Monitor (synthetic)",
      metric: "arrested",
      place: "Iran",
      asOf: c.arrestedAsOf,
      from: null,
    },
  ];
}

function claimScope(c: PlannedClaim, upTo?: string): Scope {
  return {
    metric: c.metric,
    which: "documented",
    province: c.province,
    from: c.from ?? undefined,
    to: upTo && upTo < c.asOf ? upTo : c.asOf,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Building one ledger through the real doors
// ---------------------------------------------------------------------------------------------------------

/** A browser's view of the server: its cookies, and the CSRF token its page holds. */
class Browser {
  private readonly cookies = new Map<string, string>();
  private csrf = "";
  constructor(
    private readonly app: FastifyInstance,
    private readonly address: string,
  ) {}

  async request(method: "GET" | "POST", url: string, body?: unknown): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.address,
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
        ...(this.csrf ? { "x-csrf-token": this.csrf } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === "") this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async signIn(username: string, password: string): Promise<void> {
    this.csrf = (await this.request("GET", "/api/v1/auth/csrf")).json().token;
    const res = await this.request("POST", "/api/v1/auth/sign-in", { username, password });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  }
}

function incidentRecord(i: number, p: PlannedIncident): IncidentFixture & { status: string; grade?: string } {
  return {
    external_id: `syn-${i}`,
    date: DAYS[p.day] as string,
    place: (CITIES[p.city] as (typeof CITIES)[number]).name,
    country: "IR",
    type: p.type,
    ...(p.killed !== null ? { killed: p.killed } : {}),
    ...(p.arrested !== null ? { arrested: p.arrested } : {}),
    source: SOURCE,
    source_kind: "network",
    description: `synthetic incident ${i}`,
    // A reporter's form may name a status and a grade; the server must ignore both.
    status: p.status,
    ...(p.grade !== null ? { grade: p.grade } : {}),
  };
}

interface World {
  t: TestLedger;
  app: FastifyInstance;
  known: Known[];
  claims: PlannedClaim[];
}

async function* claimRecords(claims: PlannedClaim[]) {
  let line = 0;
  for (const c of claims) {
    yield {
      line: ++line,
      record: {
        source: c.source,
        source_kind: c.source.startsWith("Ministry") ? "official" : "ngo",
        metric: c.metric,
        low: c.low,
        qualifier: "exact",
        as_of: c.asOf,
        ...(c.from ? { period_from: c.from } : {}),
        place: c.place,
        country: "IR",
        quote: "SYNTHETIC test claim",
        status: "verified",
      },
    };
  }
}

let browserAddress = 1;

async function buildWorld(backend: Dialect, p: Plan): Promise<World> {
  const t = await openTestLedger(backend);
  let app: FastifyInstance | undefined;
  try {
    app = await buildServer({ ledger: t.ledger });
    const server = app;
    const ledger = t.ledger;
    const reviewer = (await createToken(ledger, "synthetic-reviewer", "reviewer")).token;
    const reporter = (await createToken(ledger, "synthetic-reporter", "reporter")).token;
    let browser: Browser | null = null;
    if (p.incidents.some((i) => i.entry === "reporter-session")) {
      await createUser(ledger, { username: "field-reporter", role: "reporter", password: PASSWORD }, "test");
      browser = new Browser(
        server,
        `10.9.${Math.floor(browserAddress / 250)}.${(browserAddress++ % 250) + 1}`,
      );
      await browser.signIn("field-reporter", PASSWORD);
    }
    const claims = claimsOf(p.claims);
    await importClaims(ledger, claimRecords(claims), { file: "claims.csv", actor: "reviewer-cli" });

    const ids: number[] = new Array(p.incidents.length);
    let batch: number[] = [];
    // Consecutive imported rows go in one file, as the CLI's `tally import incidents` would take them.
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch.map((i) => incidentRecord(i, p.incidents[i] as PlannedIncident));
      await importIncidents(ledger, records(incidentsCsv(rows, [...INCIDENT_HEADER, "status", "grade"])), {
        file: "synthetic.csv",
        actor: "reviewer-cli",
      });
      const found = await ledger.store.db
        .selectFrom("incidents")
        .select(["id", "external_id"])
        .where(
          "external_id",
          "in",
          batch.map((i) => `syn-${i}`),
        )
        .execute();
      for (const f of found) ids[Number(String(f.external_id).slice(4))] = f.id;
      batch = [];
    };
    for (const [i, inc] of p.incidents.entries()) {
      if (inc.entry === "import") {
        batch.push(i);
        continue;
      }
      await flush();
      const body = incidentRecord(i, inc);
      const res =
        inc.entry === "reporter-session"
          ? await (browser as Browser).request("POST", "/api/v1/incidents", body)
          : await server.inject({
              method: "POST",
              url: "/api/v1/incidents",
              headers: {
                authorization: `Bearer ${inc.entry === "reviewer-token" ? reviewer : reporter}`,
                "content-type": "application/json",
              },
              payload: JSON.stringify(body),
            });
      if (res.statusCode !== 201)
        throw new Error(`POST /incidents (${inc.entry}): ${res.statusCode} ${res.body}`);
      ids[i] = res.json().incident.id;
    }
    await flush();
    for (const [i, inc] of p.incidents.entries()) {
      for (const r of inc.reviews) {
        const res = await server.inject({
          method: "POST",
          url: `/api/v1/incidents/${ids[i]}/review`,
          headers: { authorization: `Bearer ${reviewer}`, "content-type": "application/json" },
          payload: JSON.stringify({ status: r.status, grade: r.grade, note: "synthetic review" }),
        });
        if (res.statusCode !== 200) throw new Error(`review of ${ids[i]}: ${res.statusCode} ${res.body}`);
      }
    }
    const known = p.incidents.map((inc, i) => {
      const id = ids[i];
      if (id === undefined) throw new Error(`incident ${i} was not found after its entry`);
      return modelIncident(id, inc);
    });
    return { t, app: server, known, claims };
  } catch (err) {
    await app?.close();
    await t.cleanup();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Comparing surfaces with the model
// ---------------------------------------------------------------------------------------------------------

/** Every disagreement of one run, named by surface; the run fails with all of them listed. */
class Findings {
  readonly list: string[] = [];
  constructor(private readonly known: readonly Known[]) {}

  add(surface: string, message: string) {
    this.list.push(`[${surface}] ${message}`);
  }

  ids(surface: string, actual: Iterable<number>, expected: Iterable<number>) {
    const a = new Set(actual);
    const e = new Set(expected);
    const byId = new Map(this.known.map((k) => [k.id, k]));
    const show = (id: number) =>
      byId.has(id) ? describeIncident(byId.get(id) as Known) : `#${id} (unknown)`;
    const extra = [...a].filter((id) => !e.has(id)).sort((x, y) => x - y);
    const missing = [...e].filter((id) => !a.has(id)).sort((x, y) => x - y);
    if (extra.length) this.add(surface, `shows incidents it must not: ${extra.map(show).join(", ")}`);
    if (missing.length)
      this.add(surface, `leaves out incidents it must show: ${missing.map(show).join(", ")}`);
  }

  /** A figure (or a whole cell) against the model's, with the incidents that explain a difference. */
  cell(
    surface: string,
    actual: Partial<Cell> | undefined,
    expected: Partial<Cell>,
    s: Scope,
    keys: readonly (keyof Cell)[] = ["low", "high", "incidents", "cities", "provinces"],
  ) {
    const pick = (c: Partial<Cell> | undefined) =>
      c ? Object.fromEntries(keys.map((k) => [k, c[k] === undefined ? undefined : Number(c[k])])) : c;
    const a = pick(actual);
    const e = pick(expected);
    if (JSON.stringify(a) !== JSON.stringify(e))
      this.add(
        surface,
        `${scopeText(s)}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}${notCounted(this.known, s, actual)}`,
      );
  }
}

interface TallyLike {
  rows: {
    place: { name: string | null };
    period: string | null;
    low: number;
    high: number;
    incidents: number;
  }[];
  total?: Cell;
}

function checkTally(
  f: Findings,
  known: readonly Known[],
  surface: string,
  tally: TallyLike,
  s: Scope,
  by: By,
  period: Period,
) {
  const expected = modelRows(known, s, by, period);
  const actual = new Map<string, Range & { n: number }>();
  for (const r of tally.rows) {
    const key = rowKey(
      by === "country" ? "" : (r.place.name ?? ""),
      period === "day" ? (r.period ?? "") : "",
    );
    actual.set(key, { low: r.low, high: r.high, n: r.incidents });
  }
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key);
    const a = actual.get(key);
    if (JSON.stringify(e) !== JSON.stringify(a)) {
      const [place, day] = key.split("|") as [string, string];
      const rowScope: Scope = {
        ...s,
        ...(by === "province" ? { province: place } : {}),
        ...(day ? { from: day, to: day } : {}),
      };
      const cityNote = by === "city" ? ` city ${place}` : "";
      f.add(
        surface,
        `row ${key} (${scopeText(rowScope)}${cityNote}): expected ${JSON.stringify(e ?? null)}, got ${JSON.stringify(
          a ?? null,
        )}${notCounted(
          known.filter((k) => by !== "city" || k.city === place),
          rowScope,
          a ? { low: a.low, high: a.high, incidents: a.n } : null,
        )}`,
      );
    }
  }
  if (tally.total) f.cell(`${surface} total`, tally.total, modelTotal(known, s), s);
}

async function get(app: FastifyInstance, url: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: "GET", url });
}

async function getJson<T>(f: Findings, app: FastifyInstance, url: string): Promise<T | undefined> {
  const res = await get(app, url);
  if (res.statusCode !== 200) {
    f.add(`GET ${url}`, `answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return undefined;
  }
  return res.json() as T;
}

interface HeadlineJson {
  firstDate: string | null;
  lastDate: string | null;
  metrics: {
    metric: Metric;
    documented: Cell;
    all: Cell;
    latest: { low: number; asOf: string | null; documented: Cell }[];
  }[];
}

interface BulletinJson {
  date: string;
  metrics: {
    metric: Metric;
    documented: Cell;
    previous: Cell;
    all: Cell;
    latest: { low: number; documented: Cell }[];
  }[];
  chart: { metric: Metric; days: { date: string; low: number; high: number }[] };
}

/** The tally service's figure for a scope, for (b): what every surface must agree with. */
async function serviceTotal(ledger: Ledger, s: Scope): Promise<Cell> {
  const q: TallyQueryInput = {
    metric: s.metric,
    by: "country",
    ...(s.which === "documented" ? { grade: "headline", status: "verified" } : {}),
    ...(s.province ? { province: s.province } : {}),
    ...(s.from ? { from: s.from } : {}),
    ...(s.to ? { to: s.to } : {}),
  };
  return (await computeTally(ledger, TallyQuery.parse(q))).total;
}

class Checker {
  readonly f: Findings;
  private readonly service = new Map<string, Promise<Cell>>();
  constructor(private readonly w: World) {
    this.f = new Findings(w.known);
  }

  get known() {
    return this.w.known;
  }

  /** (b): a documented figure a surface shows equals the tally service's for the same scope. */
  async sameAsService(
    surface: string,
    actual: Partial<Cell> | undefined,
    s: Scope,
    keys?: readonly (keyof Cell)[],
  ) {
    const key = JSON.stringify(s);
    let p = this.service.get(key);
    if (!p) {
      p = serviceTotal(this.w.t.ledger, s);
      this.service.set(key, p);
      // The tally service itself against the model: if this fails, every (b) comparison below is moot.
      this.f.cell(`computeTally`, await p, modelTotal(this.known, s), s);
    }
    const service = await p;
    const pick = (c: Partial<Cell> | undefined) =>
      c
        ? JSON.stringify((keys ?? ["low", "high", "incidents", "cities", "provinces"]).map((k) => c[k]))
        : "none";
    if (pick(actual) !== pick(service))
      this.f.add(
        `${surface} vs computeTally`,
        `${scopeText(s)}: the surface shows ${pick(actual)}, the tally service ${pick(service)}`,
      );
  }

  /** The model's latest-claim pick is not under test; each claim shown must carry its scope's figure. */
  async claimFigure(surface: string, shown: { low: number; documented: Cell }, upTo?: string) {
    const c = this.w.claims.find((x) => x.low === shown.low);
    if (!c) {
      this.f.add(surface, `shows a claim of ${shown.low} that was never recorded`);
      return;
    }
    const s = claimScope(c, upTo);
    const keys = ["low", "high", "incidents"] as const;
    this.f.cell(
      `${surface}: claim ${c.low} (${c.source}, ${c.place}, as of ${c.asOf})`,
      shown.documented,
      modelTotal(this.known, s),
      s,
      keys,
    );
    await this.sameAsService(`${surface}: claim ${c.low}`, shown.documented, s, keys);
  }

  async headline(surface: string, h: HeadlineJson | undefined) {
    if (!h) return;
    const metrics = h.metrics.map((m) => m.metric).sort();
    // Both metrics have claims, so both always show; no other metric is in any row.
    if (JSON.stringify(metrics) !== JSON.stringify(["arrested", "killed"]))
      this.f.add(surface, `metrics ${JSON.stringify(metrics)}, expected ["arrested","killed"]`);
    for (const m of h.metrics) {
      const documented: Scope = { metric: m.metric, which: "documented" };
      const all: Scope = { metric: m.metric, which: "all" };
      this.f.cell(
        `${surface} ${m.metric}.documented`,
        m.documented,
        modelTotal(this.known, documented),
        documented,
      );
      this.f.cell(`${surface} ${m.metric}.all`, m.all, modelTotal(this.known, all), all);
      await this.sameAsService(`${surface} ${m.metric}.documented`, m.documented, documented);
      await this.sameAsService(`${surface} ${m.metric}.all`, m.all, all);
      for (const c of m.latest) await this.claimFigure(`${surface} ${m.metric}.latest`, c);
    }
    const dates = this.known
      .filter((k) => k.published)
      .map((k) => k.date)
      .sort();
    const first = dates[0] ?? null;
    const last = dates[dates.length - 1] ?? null;
    if (h.firstDate !== first || h.lastDate !== last)
      this.f.add(
        surface,
        `date range ${h.firstDate}..${h.lastDate}, but the published incidents run ${first}..${last}${
          this.known.some((k) => !k.published && (k.date < (first ?? "9") || k.date > (last ?? "0")))
            ? ` (unpublished incidents lie outside it: ${this.known
                .filter((k) => !k.published && (k.date < (first ?? "9") || k.date > (last ?? "0")))
                .map(describeIncident)
                .join(", ")})`
            : ""
        }`,
      );
  }

  async bulletin(surface: string, date: string, b: BulletinJson | null | undefined) {
    const claimsBy = this.w.claims.filter((c) => c.asOf <= date);
    const expectedMetrics = METRICS_USED.filter(
      (m) =>
        modelTotal(this.known, { metric: m, which: "all", to: date }).incidents > 0 ||
        claimsBy.some((c) => c.metric === m),
    );
    if (b === undefined) return;
    if (b === null) {
      if (expectedMetrics.length)
        this.f.add(surface, `no bulletin, but ${expectedMetrics.join(", ")} should show`);
      return;
    }
    const metrics = b.metrics.map((m) => m.metric).sort();
    if (JSON.stringify(metrics) !== JSON.stringify([...expectedMetrics].sort()))
      this.f.add(
        surface,
        `metrics ${JSON.stringify(metrics)}, expected ${JSON.stringify([...expectedMetrics].sort())}`,
      );
    for (const m of b.metrics) {
      const documented: Scope = { metric: m.metric, which: "documented", to: date };
      const previous: Scope = { metric: m.metric, which: "documented", to: addDays(date, -1) };
      const all: Scope = { metric: m.metric, which: "all", to: date };
      this.f.cell(
        `${surface} ${m.metric}.documented`,
        m.documented,
        modelTotal(this.known, documented),
        documented,
      );
      this.f.cell(`${surface} ${m.metric}.previous`, m.previous, modelTotal(this.known, previous), previous);
      this.f.cell(`${surface} ${m.metric}.all`, m.all, modelTotal(this.known, all), all);
      await this.sameAsService(`${surface} ${m.metric}.documented`, m.documented, documented);
      await this.sameAsService(`${surface} ${m.metric}.previous`, m.previous, previous);
      for (const c of m.latest) await this.claimFigure(`${surface} ${m.metric}.latest`, c, date);
    }
    // The chart: the documented count of its metric, day by day.
    const chart = b.chart;
    const wrong = chart.days.filter((d) => {
      const e = modelTotal(this.known, {
        metric: chart.metric,
        which: "documented",
        from: d.date,
        to: d.date,
      });
      return e.low !== d.low || e.high !== d.high;
    });
    for (const d of wrong) {
      const s: Scope = { metric: chart.metric, which: "documented", from: d.date, to: d.date };
      this.f.cell(`${surface} chart ${d.date}`, d, modelTotal(this.known, s), s, ["low", "high"]);
    }
  }

  async comparisons(
    surface: string,
    body: { sources: { claims: { low: number; documented: Cell }[] }[] } | undefined,
    metric: Metric,
  ) {
    if (!body) return;
    const shown = body.sources.flatMap((s) => s.claims);
    const lows = shown.map((c) => c.low).sort();
    const expected = this.w.claims
      .filter((c) => c.metric === metric)
      .map((c) => c.low)
      .sort();
    if (JSON.stringify(lows) !== JSON.stringify(expected))
      this.f.add(surface, `claims ${JSON.stringify(lows)}, expected ${JSON.stringify(expected)}`);
    for (const c of shown) await this.claimFigure(surface, c);
  }
}

/** Ids in an incident export, whatever its format. */
function exportedIds(format: string, body: string): number[] {
  if (format === "csv" || format === "hxl") {
    const lines = body.split(/\r?\n/).filter(Boolean);
    return lines.slice(format === "hxl" ? 2 : 1).map((l) => Number(l.split(",")[0]));
  }
  if (format === "ndjson")
    return body
      .split("\n")
      .filter(Boolean)
      .map((l) => Number(JSON.parse(l).id));
  if (format === "geojson") return (JSON.parse(body).features as { id: number }[]).map((x) => Number(x.id));
  return (JSON.parse(body) as { id: number }[]).map((x) => Number(x.id));
}

function feedIncidentIds(xml: string): number[] {
  return [...xml.matchAll(/<id>tag:tally,2026:incident:(\d+)<\/id>/g)].map((m) => Number(m[1]));
}

function feedBulletinDays(xml: string): string[] {
  return [...xml.matchAll(/<id>tag:tally,2026:bulletin:(\d{4}-\d{2}-\d{2})<\/id>/g)].map(
    (m) => m[1] as string,
  );
}

/** The bulletin days the feed lists: back from the last published day, at most 14, not before the first. */
function expectedFeedDays(known: readonly Known[]): string[] {
  const dates = known
    .filter((k) => k.published)
    .map((k) => k.date)
    .sort();
  const first = dates[0];
  const last = dates[dates.length - 1];
  const out: string[] = [];
  if (!first || !last) return out;
  for (let i = 0; i < 14; i++) {
    const d = addDays(last, -i);
    if (d < first) break;
    out.push(d);
  }
  return out;
}

async function checkEverySurface(w: World): Promise<string[]> {
  const { app, known } = w;
  const c = new Checker(w);
  const f = c.f;
  const published = known.filter((k) => k.published).map((k) => k.id);

  // The public incident list, unfiltered and by each status.
  const list = await getJson<{ items: { id: number }[] }>(f, app, "/api/v1/incidents?limit=1000");
  if (list)
    f.ids(
      "GET /api/v1/incidents",
      list.items.map((i) => i.id),
      published,
    );
  for (const status of STATUSES) {
    const l = await getJson<{ items: { id: number }[] }>(
      f,
      app,
      `/api/v1/incidents?limit=1000&status=${status}`,
    );
    if (l)
      f.ids(
        `GET /api/v1/incidents?status=${status}`,
        l.items.map((i) => i.id),
        known.filter((k) => k.published && k.status === status).map((k) => k.id),
      );
  }
  // One incident: found when published, 404 otherwise.
  const readable: number[] = [];
  for (const k of known) {
    const res = await get(app, `/api/v1/incidents/${k.id}`);
    if (res.statusCode === 200) readable.push(k.id);
    else if (res.statusCode !== 404) f.add(`GET /api/v1/incidents/${k.id}`, `answered ${res.statusCode}`);
  }
  f.ids("GET /api/v1/incidents/:id (200, not 404)", readable, published);

  // Open data.
  for (const format of ["csv", "json", "ndjson", "geojson", "hxl"]) {
    const res = await get(app, `/api/v1/export/incidents?format=${format}`);
    if (res.statusCode !== 200)
      f.add(`GET /api/v1/export/incidents?format=${format}`, `answered ${res.statusCode}`);
    else f.ids(`GET /api/v1/export/incidents?format=${format}`, exportedIds(format, res.body), published);
  }

  // Tallies, with places, and as exported: all published, and the documented count (grade=headline).
  for (const metric of METRICS_USED) {
    for (const [grade, which] of [
      ["", "all"],
      ["&grade=headline", "documented"],
    ] as const) {
      const s: Scope = { metric, which };
      for (const [by, period] of [
        ["province", "total"],
        ["city", "total"],
        ["country", "day"],
      ] as const) {
        const q = `metric=${metric}&by=${by}&period=${period}${grade}`;
        for (const path of ["/api/v1/tallies", "/api/v1/tally-places"]) {
          const t = await getJson<TallyLike>(f, app, `${path}?${q}`);
          if (t) checkTally(f, known, `GET ${path}?${q}`, t, s, by, period);
        }
      }
      const q = `metric=${metric}&by=province${grade}&format=json`;
      const e = await getJson<TallyLike>(f, app, `/api/v1/export/tallies?${q}`);
      if (e) checkTally(f, known, `GET /api/v1/export/tallies?${q}`, e, s, "province", "total");
    }
  }

  // The home page's figures, and the sources page's: each claim beside the documented count in its scope.
  await c.headline("GET /api/v1/headline", await getJson<HeadlineJson>(f, app, "/api/v1/headline"));
  await c.headline(
    "GET /api/v1/headline?country=IR",
    await getJson<HeadlineJson>(f, app, "/api/v1/headline?country=IR"),
  );
  for (const metric of METRICS_USED) {
    for (const q of [`metric=${metric}`, `metric=${metric}&country=IR`]) {
      await c.comparisons(
        `GET /api/v1/comparisons?${q}`,
        await getJson(f, app, `/api/v1/comparisons?${q}`),
        metric,
      );
    }
  }

  // The embeddable figure: the documented count, and where it lies.
  for (const metric of METRICS_USED) {
    const res = await get(app, `/embed/headline?metric=${metric}`);
    const s: Scope = { metric, which: "documented" };
    const e = modelTotal(known, s);
    const figure = /<p class="n"><strong>([^<]*)<\/strong><\/p>/.exec(res.body)?.[1];
    const where = /in (\d+) cities of (\d+) provinces/.exec(res.body);
    const shown = `${figure} in ${where?.[1]} cities of ${where?.[2]} provinces`;
    const expected = `${formatRange(e, "en")} in ${e.cities} cities of ${e.provinces} provinces`;
    if (shown !== expected)
      f.add(
        `GET /embed/headline?metric=${metric}`,
        `shows "${shown}", expected "${expected}"${notCounted(known, s)}`,
      );
  }

  // Bulletins: the incident days, the claims' days and a day before anything.
  const days = [...new Set(["2024-03-01", ...DAYS, ...w.claims.map((x) => x.asOf)])].sort();
  for (const day of days) {
    const res = await get(app, `/bulletins/${day}?format=json`);
    const b =
      res.statusCode === 404 ? null : res.statusCode === 200 ? (res.json() as BulletinJson) : undefined;
    if (b === undefined) f.add(`GET /bulletins/${day}`, `answered ${res.statusCode}`);
    await c.bulletin(`GET /bulletins/${day}`, day, b);
  }

  // The feed: verified incidents are published ones; bulletins run over the published days.
  const feed = await get(app, "/feed.atom");
  checkFeed(f, known, "GET /feed.atom", feed.body);

  // The static site's data files.
  const dir = mkdtempSync(join(tmpdir(), "tally-site-"));
  try {
    await exportSite(w.t.ledger, dir, { bulletinDays: 3 });
    const read = (rel: string) => readFileSync(join(dir, rel), "utf8");
    await c.headline("site data/headline.json", JSON.parse(read("data/headline.json")));
    for (const metric of METRICS_USED) {
      const s: Scope = { metric, which: "documented" };
      for (const by of ["province", "city"] as const) {
        const rel = `data/${metric}-by-${by}.json`;
        checkTally(f, known, `site ${rel}`, JSON.parse(read(rel)), s, by, "total");
      }
      const rel = `data/${metric}-by-day.csv`;
      const rows = read(rel)
        .split(/\r?\n/)
        .filter(Boolean)
        .slice(1)
        .map((l) => l.split(","))
        .map(([, date, , low, high, n]) => ({
          place: { name: null },
          period: date ?? null,
          low: Number(low),
          high: Number(high),
          incidents: Number(n),
        }));
      checkTally(f, known, `site ${rel}`, { rows }, s, "country", "day");
    }
    for (const file of readdirSync(join(dir, "data")).filter((x) => x.startsWith("bulletin-"))) {
      const b = JSON.parse(read(`data/${file}`)) as BulletinJson;
      await c.bulletin(`site data/${file}`, b.date, b);
    }
    checkFeed(f, known, "site feed.atom", read("feed.atom"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return f.list;
}

function checkFeed(f: Findings, known: readonly Known[], surface: string, xml: string) {
  f.ids(
    `${surface} incident entries`,
    feedIncidentIds(xml),
    known.filter((k) => k.published && k.status === "verified").map((k) => k.id),
  );
  const days = feedBulletinDays(xml).sort();
  const expected = expectedFeedDays(known).sort();
  if (JSON.stringify(days) !== JSON.stringify(expected))
    f.add(
      `${surface} bulletin entries`,
      `days ${JSON.stringify(days)}, expected ${JSON.stringify(expected)}`,
    );
}

// ---------------------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------------------

describe.each(BACKENDS)("publication on %s", (backend) => {
  it("every public surface counts exactly the published incidents, and shows the tally service's documented count", async () => {
    await fc.assert(
      fc.asyncProperty(fc.limitShrink(plan, 6), async (p) => {
        const w = await buildWorld(backend, p);
        try {
          const findings = await checkEverySurface(w);
          if (findings.length) {
            const shown = findings.slice(0, 40);
            throw new Error(
              `${findings.length} disagreement(s) with the publication rules:\n${shown.join("\n")}${
                findings.length > shown.length ? `\n… and ${findings.length - shown.length} more` : ""
              }\nthe ledger: ${w.known.map(describeIncident).join(", ")}`,
            );
          }
        } finally {
          await w.app.close();
          await w.t.cleanup();
        }
      }),
      // Each run (and each shrink step) is a ledger of its own: eight runs, and a failure shrinks six steps at
      // most. The findings name every surface and incident, so a large counterexample still reads clearly.
      { numRuns: 8 },
    );
  }, 240_000);
});

// A sanity check of the model itself, so that a failure above is the product's and not the model's.
describe("the publication model", () => {
  const p = (over: Partial<PlannedIncident>): PlannedIncident => ({
    killed: "1",
    arrested: null,
    city: 0,
    day: 0,
    type: "protest",
    status: "verified",
    grade: "confirmed",
    entry: "import",
    reviews: [],
    ...over,
  });
  it("publishes what a reviewer entered or accepted, and nothing else", () => {
    expect(modelIncident(1, p({})).published).toBe(true);
    expect(modelIncident(1, p({ status: "candidate" })).published).toBe(false);
    expect(modelIncident(1, p({ status: "rejected" })).published).toBe(false);
    expect(modelIncident(1, p({ entry: "reviewer-token", status: "disputed" })).published).toBe(true);
    expect(modelIncident(1, p({ entry: "reporter-token" })).published).toBe(false);
    expect(modelIncident(1, p({ entry: "reporter-session" })).published).toBe(false);
    const reviewed = modelIncident(
      1,
      p({ entry: "reporter-token", reviews: [{ status: "submitted", grade: "fair" }] }),
    );
    expect(reviewed).toMatchObject({ published: true, status: "submitted", grade: "fair" });
    expect(
      modelIncident(1, p({ entry: "reporter-session", reviews: [{ status: "rejected", grade: "fair" }] }))
        .published,
    ).toBe(false);
    expect(
      modelIncident(1, p({ status: "candidate", reviews: [{ status: "verified", grade: null }] })).published,
    ).toBe(true);
    expect(
      modelIncident(
        1,
        p({
          reviews: [
            { status: "verified", grade: "fair" },
            { status: "rejected", grade: "fair" },
          ],
        }),
      ).published,
    ).toBe(false);
  });
  it("documents only published, verified, confirmed-or-fair incidents, summing lows and highs apart", () => {
    const known = [
      modelIncident(1, p({ killed: "2-4" })),
      modelIncident(2, p({ killed: "3", city: 4 })),
      modelIncident(3, p({ killed: "5", status: "submitted" })),
      modelIncident(4, p({ killed: "5", grade: "weak" })),
      modelIncident(5, p({ killed: "5", entry: "reporter-token" })),
      modelIncident(6, p({ killed: "0", city: 2 })),
    ];
    expect(modelTotal(known, { metric: "killed", which: "documented" })).toEqual({
      low: 5,
      high: 7,
      incidents: 3,
      cities: 2,
      provinces: 2,
    });
    expect(modelTotal(known, { metric: "killed", which: "all" }).incidents).toBe(5);
  });
});
