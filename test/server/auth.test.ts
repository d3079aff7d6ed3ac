/**
 * Accounts, sessions and roles over HTTP, on both backends: every route's role is enforced (the table below
 * must classify every route the OpenAPI description lists), sessions resist fixation, unsafe session requests
 * need a CSRF token, sign-in is rate limited and accounts lock after repeated failures, sessions expire.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/core/vocabulary.js";
import { buildServer } from "../../src/server/app.js";
import { DEFAULT_SESSION_POLICY } from "../../src/services/sessions.js";
import { createToken } from "../../src/services/tokens.js";
import { createUser, verifyCredentials } from "../../src/services/users.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";

type Access = "public" | Role;

/**
 * The least role of every route. A route missing here fails the coverage test: whoever adds a route decides
 * who may call it, and this table records the decision.
 */
const ACCESS: Record<string, Access> = {
  "GET /api/v1/meta": "public",
  "GET /api/v1/tallies": "public",
  "GET /api/v1/comparisons": "public",
  "GET /api/v1/incidents": "public",
  "GET /api/v1/incidents/{id}": "public",
  "POST /api/v1/incidents": "reporter",
  "POST /api/v1/incidents/{id}/review": "reviewer",
  "GET /api/v1/incidents/{id}/duplicates": "reviewer",
  "POST /api/v1/incidents/merge": "reviewer",
  "POST /api/v1/incidents/{id}/unmerge": "reviewer",
  "GET /api/v1/claims": "public",
  "POST /api/v1/claims": "reviewer",
  "POST /api/v1/claims/{id}/review": "reviewer",
  "GET /api/v1/sources": "public",
  "POST /api/v1/imports": "reviewer",
  "GET /api/v1/export/{kind}": "public",
  "GET /api/v1/review": "reviewer",
  "POST /api/v1/review/{ref}/accept": "reviewer",
  "POST /api/v1/review/{ref}/reject": "reviewer",
  "POST /api/v1/review/{ref}/edit": "reviewer",
  "GET /api/v1/documents/{id}": "reviewer",
  "GET /api/v1/auth/csrf": "public",
  "POST /api/v1/auth/sign-in": "public",
  "POST /api/v1/auth/sign-out": "public",
  "GET /api/v1/me": "public",
  "POST /api/v1/me/password": "reporter",
  "GET /api/v1/me/submissions": "reporter",
  "GET /api/v1/places": "public",
  "GET /api/v1/users": "admin",
  "POST /api/v1/users": "admin",
  "PATCH /api/v1/users/{id}": "admin",
  "POST /api/v1/attachments": "reporter",
  "GET /api/v1/attachments/{id}": "reviewer",
  "PUT /api/v1/attachments/settings": "admin",
  "GET /api/v1/headline": "public",
  "GET /api/v1/tally-places": "public",
  "GET /api/v1/place-names": "public",
  "GET /bulletins/{date}": "public",
  "GET /feed.atom": "public",
  "GET /embed/headline": "public",
  "GET /api/v1/estimates": "public",
  "GET /api/v1/lists/review": "reviewer",
  "GET /api/v1/tokens": "admin",
  "POST /api/v1/tokens": "admin",
  "POST /api/v1/tokens/{id}/revoke": "admin",
};
const RANK: Record<Access, number> = { public: 0, reporter: 1, reviewer: 2, admin: 3 };
const PASSWORD = "correct horse battery";

/** A browser's view of the server: its cookies, and the CSRF token its page would hold. */
class Browser {
  cookies = new Map<string, string>();
  csrf = "";
  // Each browser comes from its own address, as the sign-in rate limit counts per client.
  private static next = 1;
  private readonly address = `10.0.${Math.floor(Browser.next / 250)}.${(Browser.next++ % 250) + 1}`;
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(
    method: string,
    url: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: method as "GET",
      url,
      remoteAddress: this.address,
      headers: {
        ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...(opts.csrf !== false && this.csrf ? { "x-csrf-token": this.csrf } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...opts.headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      // Cleared cookies carry an empty value and a date in 1970; the server's clock is the test's, not now.
      const cleared = c.value === "" || (c.expires && c.expires.getTime() < 86_400_000) || c.maxAge === 0;
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async fetchCsrf() {
    this.csrf = (await this.request("GET", "/api/v1/auth/csrf")).json().token;
  }

  async signIn(username: string, password = PASSWORD) {
    if (!this.csrf) await this.fetchCsrf();
    return this.request("POST", "/api/v1/auth/sign-in", { username, password });
  }
}

describe.each(BACKENDS)("accounts and roles on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let clock = new Date("2026-01-10T08:00:00Z");
  const browsers = {} as Record<Access, Browser>;
  let reporterToken = "";

  beforeAll(async () => {
    t = await openTestLedger(backend, { now: () => clock });
    app = await buildServer({ ledger: t.ledger });
    for (const role of ["reporter", "reviewer", "admin"] as const) {
      await createUser(t.ledger, { username: role, role, password: PASSWORD }, "test");
      browsers[role] = new Browser(app);
      expect((await browsers[role].signIn(role)).statusCode).toBe(200);
    }
    browsers.public = new Browser(app);
    await browsers.public.fetchCsrf();
    reporterToken = (await createToken(t.ledger, "reporter-script", "reporter")).token;
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it("classifies every route the API describes", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const described: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(methods)) described.push(`${m.toUpperCase()} ${path}`);
    }
    const unclassified = described.filter((r) => !(r in ACCESS));
    expect(unclassified, "routes with no access decision in ACCESS").toEqual([]);
    expect(described.length).toBeGreaterThan(20);
  });

  it("enforces each route's role for every caller, with sessions", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(methods)) {
        const key = `${m.toUpperCase()} ${path}`;
        const needed = ACCESS[key];
        if (needed === undefined || needed === "public") continue;
        const url = path
          .replace("{id}", "999999")
          .replace("{kind}", "incidents")
          .replace("{ref}", "incident-999999");
        for (const who of ["public", "reporter", "reviewer", "admin"] as const) {
          const res = await browsers[who].request(m.toUpperCase(), url, m === "get" ? undefined : {});
          const expected = who === "public" ? 401 : RANK[who] < RANK[needed] ? 403 : null;
          if (expected !== null) {
            expect(res.statusCode, `${who} on ${key}`).toBe(expected);
            expect(res.headers["content-type"]).toContain("application/problem+json");
          } else {
            expect([401, 403], `${who} on ${key}: ${res.body}`).not.toContain(res.statusCode);
            expect(res.statusCode, `${who} on ${key}: ${res.body}`).toBeLessThan(500);
          }
        }
      }
    }
  });

  it("answers public routes without a session", async () => {
    for (const url of ["/api/v1/meta", "/api/v1/incidents", "/api/v1/places?q=Teh", "/api/v1/me"]) {
      const res = await browsers.public.request("GET", url);
      expect(res.statusCode, url).toBe(200);
    }
    expect((await browsers.public.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
  });

  it("says who is signed in, by pseudonym and role", async () => {
    const me = (await browsers.reviewer.request("GET", "/api/v1/me")).json();
    expect(me).toMatchObject({ signedIn: true, kind: "user", role: "reviewer", username: "reviewer" });
    expect(me.pseudonym).toMatch(/^reviewer-[0-9a-f]{6}$/);
  });

  it("sets the session cookie HttpOnly and SameSite=Strict, and stores only its hash", async () => {
    const b = new Browser(app);
    const res = await b.signIn("reporter");
    const setCookie = [res.headers["set-cookie"]].flat().join("\n");
    expect(setCookie).toMatch(/tally_session=s_[A-Za-z0-9_-]{43};.*HttpOnly/);
    expect(setCookie).toMatch(/tally_session=.*SameSite=Strict/);
    const value = b.cookies.get("tally_session") as string;
    const rows = await t.ledger.store.db
      .withTables<{ sessions: { id_hash: string } }>()
      .selectFrom("sessions")
      .select("id_hash")
      .execute();
    expect(rows.some((r) => r.id_hash === value)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id_hash))).toBe(true);
  });

  it("refuses unsafe session requests without the CSRF token, and bearer requests need none", async () => {
    const body = { date: "2026-01-05", place: "Tehran", country: "IR", type: "protest" };
    const noToken = await browsers.reporter.request("POST", "/api/v1/incidents", body, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().detail).toMatch(/csrf/i);
    const forged = await browsers.reporter.request("POST", "/api/v1/incidents", body, {
      csrf: false,
      headers: { "x-csrf-token": "forged-token" },
    });
    expect(forged.statusCode).toBe(403);
    // Another browser's token is bound to that browser's secret cookie.
    const foreign = await browsers.reporter.request("POST", "/api/v1/incidents", body, {
      csrf: false,
      headers: { "x-csrf-token": browsers.admin.csrf },
    });
    expect(foreign.statusCode).toBe(403);
    expect((await browsers.reporter.request("POST", "/api/v1/incidents", body)).statusCode).toBe(201);
    const bearer = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: { authorization: `Bearer ${reporterToken}` },
      payload: { ...body, place: "Mashhad" },
    });
    expect(bearer.statusCode).toBe(201);
    // Sign-in itself needs the token too (login CSRF).
    const fresh = new Browser(app);
    const blind = await fresh.request("POST", "/api/v1/auth/sign-in", {
      username: "reporter",
      password: PASSWORD,
    });
    expect(blind.statusCode).toBe(403);
    expect(fresh.cookies.has("tally_session")).toBe(false);
  });

  it("never lets a planted session id become a signed-in session (fixation)", async () => {
    // The attacker signs in and plants their session id in the victim's browser.
    const attacker = new Browser(app);
    await attacker.signIn("reporter");
    const planted = attacker.cookies.get("tally_session") as string;
    const victim = new Browser(app);
    await victim.fetchCsrf();
    victim.cookies.set("tally_session", planted);
    await victim.signIn("reviewer");
    const issued = victim.cookies.get("tally_session");
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    expect((await victim.request("GET", "/api/v1/me")).json()).toMatchObject({ role: "reviewer" });
    // The planted id was ended by the sign-in: it opens nothing, for the victim or the attacker.
    expect((await attacker.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
    // A made-up id in the right shape opens nothing either.
    const guesser = new Browser(app);
    guesser.cookies.set("tally_session", `s_${"A".repeat(43)}`);
    expect((await guesser.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
  });

  it("ends sessions at sign-out, when idle too long, and at the absolute limit", async () => {
    const b = new Browser(app);
    await b.signIn("reporter");
    const value = b.cookies.get("tally_session") as string;
    expect((await b.request("POST", "/api/v1/auth/sign-out", {})).statusCode).toBe(200);
    const replay = new Browser(app);
    replay.cookies.set("tally_session", value);
    expect((await replay.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
    // The server tells the browser to drop the dead cookie.
    expect(replay.cookies.has("tally_session")).toBe(false);

    const idle = new Browser(app);
    await idle.signIn("reporter");
    const start = clock;
    try {
      clock = new Date(start.getTime() + DEFAULT_SESSION_POLICY.idleMs - 60_000);
      expect((await idle.request("GET", "/api/v1/me")).json().signedIn).toBe(true);
      // Activity moved the idle deadline; the absolute deadline does not move.
      clock = new Date(clock.getTime() + DEFAULT_SESSION_POLICY.idleMs - 60_000);
      expect((await idle.request("GET", "/api/v1/me")).json().signedIn).toBe(true);
      clock = new Date(clock.getTime() + DEFAULT_SESSION_POLICY.idleMs + 1000);
      expect((await idle.request("GET", "/api/v1/me")).json().signedIn).toBe(false);

      const busy = new Browser(app);
      await busy.signIn("reporter");
      const signedInAt = clock.getTime();
      while (clock.getTime() + 6 * 3600_000 < signedInAt + DEFAULT_SESSION_POLICY.absoluteMs) {
        clock = new Date(clock.getTime() + 6 * 3600_000);
        expect((await busy.request("GET", "/api/v1/me")).json().signedIn).toBe(true);
      }
      clock = new Date(signedInAt + DEFAULT_SESSION_POLICY.absoluteMs);
      expect((await busy.request("GET", "/api/v1/me")).json().signedIn).toBe(false);
    } finally {
      clock = new Date(start.getTime() + 1000);
    }
  });

  it("rate-limits sign-in per client, and locks an account after repeated failures", async () => {
    const limited = await buildServer({ ledger: t.ledger });
    try {
      const b = new Browser(limited);
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await b.signIn("nobody", "wrong password")).statusCode);
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
    await createUser(t.ledger, { username: "target", role: "reporter", password: PASSWORD }, "test");
    const b = new Browser(app);
    for (let i = 0; i < 5; i++) expect((await b.signIn("target", `guess number ${i}`)).statusCode).toBe(401);
    // Locked: even the right password is refused for now...
    expect((await b.signIn("target")).statusCode).toBe(401);
    // ...and accepted once the lock has passed.
    clock = new Date(clock.getTime() + 60_000);
    expect((await b.signIn("target")).statusCode).toBe(200);
  });

  it("shares sessions between server processes through the database", async () => {
    const other = await buildServer({ ledger: t.ledger });
    try {
      const b = new Browser(app);
      await b.signIn("reviewer");
      const elsewhere = new Browser(other);
      elsewhere.cookies = new Map(b.cookies);
      elsewhere.csrf = b.csrf;
      expect((await elsewhere.request("GET", "/api/v1/me")).json()).toMatchObject({ role: "reviewer" });
      // Signed out on one process, refused on the other.
      expect((await elsewhere.request("POST", "/api/v1/auth/sign-out", {})).statusCode).toBe(200);
      expect((await b.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
    } finally {
      await other.close();
    }
  });

  it("keeps a reporter's sign-in name out of public answers and exports", async () => {
    await createUser(t.ledger, { username: "secret-name-1", role: "reporter", password: PASSWORD }, "test");
    const r = new Browser(app);
    await r.signIn("secret-name-1");
    const body = {
      external_id: "web-5e1f",
      date: "2026-01-07",
      place: "Tabriz",
      country: "IR",
      type: "strike",
    };
    const sent = await r.request("POST", "/api/v1/incidents", body);
    expect(sent.statusCode).toBe(201);
    // A corrected resend writes history with the reporter as actor: by pseudonym only.
    await r.request("POST", "/api/v1/incidents", { ...body, participants: "40" });
    const id = sent.json().incident.id as number;
    const pub = new Browser(app);
    // A field report is not published by its sending: the public sees it once a reviewer has.
    expect((await pub.request("GET", `/api/v1/incidents/${id}`)).statusCode).toBe(404);
    const reviewed = await browsers.admin.request("POST", `/api/v1/incidents/${id}/review`, {
      status: "verified",
    });
    expect(reviewed.statusCode).toBe(200);
    for (const url of [
      `/api/v1/incidents/${id}`,
      "/api/v1/incidents?limit=1000",
      "/api/v1/export/incidents?format=csv",
      "/api/v1/export/incidents?format=json",
      "/api/v1/export/incidents?format=geojson",
    ]) {
      const res = await pub.request("GET", url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain("secret-name-1");
    }
  });

  it("keeps each reporter's submissions their own: another's external id cannot overwrite them", async () => {
    await createUser(t.ledger, { username: "rep-a", role: "reporter", password: PASSWORD }, "test");
    await createUser(t.ledger, { username: "rep-b", role: "reporter", password: PASSWORD }, "test");
    const a = new Browser(app);
    const b = new Browser(app);
    await a.signIn("rep-a");
    await b.signIn("rep-b");
    const body = {
      external_id: "web-same-id",
      date: "2026-01-08",
      place: "Shiraz",
      country: "IR",
      type: "protest",
      killed: "1",
    };
    const first = await a.request("POST", "/api/v1/incidents", body);
    expect(first.statusCode).toBe(201);
    const second = await b.request("POST", "/api/v1/incidents", { ...body, killed: "9" });
    expect(second.statusCode).toBe(201);
    expect(second.json().incident.id).not.toBe(first.json().incident.id);
    const rows = await t.ledger.store.db
      .selectFrom("incidents")
      .select(["id", "killed_low", "submitted_by"])
      .where("id", "in", [first.json().incident.id, second.json().incident.id])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.killed_low)).toEqual([1, 9]);
    expect(rows[0]?.submitted_by).not.toBeNull();
    expect(rows[0]?.submitted_by).not.toBe(rows[1]?.submitted_by);
    const mine = (await a.request("GET", "/api/v1/me/submissions")).json();
    expect(JSON.stringify(mine)).not.toContain('"killed":{"low":9');
  });

  it("lets admins manage users, ends a disabled user's sessions, and keeps one admin", async () => {
    const admin = browsers.admin;
    const created = await admin.request("POST", "/api/v1/users", {
      username: "field-7",
      role: "reporter",
      password: PASSWORD,
      pseudonym: "Kestrel",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: "field-7", pseudonym: "Kestrel", role: "reporter" });
    expect(created.body).not.toMatch(/argon2|password/);
    const id = created.json().id as number;
    const dup = await admin.request("POST", "/api/v1/users", {
      username: "FIELD-7",
      role: "reporter",
      password: PASSWORD,
    });
    expect(dup.statusCode).toBe(409);
    const weak = await admin.request("POST", "/api/v1/users", {
      username: "x2",
      role: "reporter",
      password: "short",
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/password/);

    const field = new Browser(app);
    expect((await field.signIn("field-7")).statusCode).toBe(200);
    // Escalation attempts from the reporter's own session.
    expect((await field.request("PATCH", `/api/v1/users/${id}`, { role: "admin" })).statusCode).toBe(403);
    expect(
      (await field.request("POST", "/api/v1/users", { username: "mine", role: "admin", password: PASSWORD }))
        .statusCode,
    ).toBe(403);

    const promoted = await admin.request("PATCH", `/api/v1/users/${id}`, { role: "reviewer" });
    expect(promoted.json().role).toBe("reviewer");
    // The role applies to the open session at once.
    expect((await field.request("GET", "/api/v1/me")).json().role).toBe("reviewer");
    await admin.request("PATCH", `/api/v1/users/${id}`, { disabled: true });
    expect((await field.request("GET", "/api/v1/me")).json()).toEqual({ signedIn: false });
    expect((await field.signIn("field-7")).statusCode).toBe(401);

    const users = (await admin.request("GET", "/api/v1/users")).json().items as {
      id: number;
      role: string;
    }[];
    const adminId = users.find((u) => u.role === "admin")?.id;
    const demote = await admin.request("PATCH", `/api/v1/users/${adminId}`, { role: "reviewer" });
    expect(demote.statusCode).toBe(409);
  });

  it("lets admins create API tokens with a role, shown once, and revoke them", async () => {
    const admin = browsers.admin;
    const made = await admin.request("POST", "/api/v1/tokens", { name: "nightly import", role: "reviewer" });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json() as { id: number; token: string };
    const me = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ signedIn: true, kind: "token", role: "reviewer" });
    const list = (await admin.request("GET", "/api/v1/tokens")).json();
    expect(JSON.stringify(list)).not.toContain(token);
    expect(list.items.find((x: { id: number }) => x.id === id)).toMatchObject({
      name: "nightly import",
      revoked: false,
    });
    expect((await admin.request("POST", `/api/v1/tokens/${id}/revoke`, {})).statusCode).toBe(200);
    const after = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    expect((await admin.request("POST", `/api/v1/tokens/${id}/revoke`, {})).statusCode).toBe(404);
    const bad = await admin.request("POST", "/api/v1/tokens", { name: "<script>", role: "admin" });
    expect(bad.statusCode).toBe(400);
  });

  it("shows reporters only their own submissions, with the reviewers' notes, and forces them to wait for review", async () => {
    await createUser(t.ledger, { username: "other", role: "reporter", password: PASSWORD }, "test");
    const other = new Browser(app);
    await other.signIn("other");
    const mine = await browsers.reporter.request("POST", "/api/v1/incidents", {
      external_id: "web-0b7c2d4e",
      date: "2026-01-06",
      place: "Isfahan",
      country: "IR",
      type: "arrests",
      arrested: "12",
      status: "verified",
      grade: "confirmed",
    });
    expect(mine.statusCode).toBe(201);
    const id = mine.json().incident.id as number;
    expect(mine.json().incident).toMatchObject({ status: "submitted", grade: null });
    await browsers.reviewer.request("POST", `/api/v1/incidents/${id}/review`, {
      status: "disputed",
      note: "a second source names a different day",
    });
    const list = (await browsers.reporter.request("GET", "/api/v1/me/submissions")).json();
    const item = list.items.find((i: { id: number }) => i.id === id);
    expect(item).toMatchObject({ state: "disputed", externalId: "web-0b7c2d4e" });
    expect(item.notes[0]).toMatchObject({ note: "a second source names a different day" });
    expect(JSON.stringify(item)).not.toMatch(/reviewer-/);
    const theirs = (await other.request("GET", "/api/v1/me/submissions")).json();
    expect(theirs.items.map((i: { id: number }) => i.id)).not.toContain(id);
  });
});

describe.each(BACKENDS)("tally users on %s", (backend) => {
  let t: TestLedger;
  let entry = "";
  const ROOT = join(import.meta.dirname, "..", "..");
  beforeAll(async () => {
    t = await openTestLedger(backend);
    // main.ts registers the command; until then a two-line entry point runs it the same way.
    entry = join(mkdtempSync(join(tmpdir(), "tally-users-cli-")), "cli.mjs");
    writeFileSync(
      entry,
      [
        `const { Command } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "node_modules/commander/index.js")).href)});`,
        `const { registerUserCommands } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "src/cli/commands/users.ts")).href)});`,
        `const program = new Command().name("tally").option("--db <path>");`,
        "registerUserCommands(program);",
        "await program.parseAsync(process.argv).catch((e) => {",
        '  process.stderr.write("tally: " + e.message + "\\n");',
        "  process.exitCode = e.exitCode ?? 1;",
        "});",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await t.cleanup();
  });
  const tally = (args: string[], input?: string) =>
    spawnSync(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...t.env },
      input: input ?? "",
      encoding: "utf8",
    });

  // Each command is a process that opens the ledger (and loads the gazetteer): slow on a busy machine.
  it("adds users from a password on stdin, lists, changes roles and disables", {
    timeout: 240_000,
  }, async () => {
    const add = tally(["users", "add", "Amina", "--role", "admin", "--password-stdin"], `${PASSWORD}\n`);
    expect(add.stderr).toBe("");
    expect(add.stdout).toMatch(/^user \d+ amina \(admin\) created, pseudonym admin-[0-9a-f]{6}\n$/);
    const add2 = tally(
      ["users", "add", "kaveh", "--role", "reporter", "--pseudonym", "Heron", "--password-stdin"],
      PASSWORD,
    );
    expect(add2.status).toBe(0);
    // The password works (the trailing newline of stdin is not part of it).
    expect(await verifyCredentials(t.ledger, "amina", PASSWORD)).not.toBeNull();
    const short = tally(["users", "add", "x9", "--role", "reporter", "--password-stdin"], "short\n");
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/password: must be at least 10 characters/);
    expect(tally(["users", "set-role", "kaveh", "reviewer"]).stdout).toBe("user kaveh is now reviewer\n");
    expect(tally(["users", "set-role", "kaveh", "boss"]).stderr).toMatch(/role: must be one of/);
    expect(tally(["users", "disable", "amina"]).stderr).toMatch(/last active admin/);
    expect(tally(["users", "disable", "kaveh"]).stdout).toBe("user kaveh disabled\n");
    const list = JSON.parse(tally(["users", "list", "--json"]).stdout) as {
      username: string;
      disabled: boolean;
    }[];
    expect(list.map((u) => [u.username, u.disabled])).toEqual([
      ["amina", false],
      ["kaveh", true],
    ]);
    expect(tally(["users", "add", "z1", "--role", "reporter"]).stderr).toMatch(/use --password-stdin/);
  });
});
