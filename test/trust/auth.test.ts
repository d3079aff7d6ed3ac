/**
 * Authentication end to end over real HTTP on 127.0.0.1, on both backends: security headers, session
 * fixation, CSRF, rate limits, privilege escalation between roles, and a search of the whole run's server log
 * for client addresses and reporter identities (usernames, passwords, tokens, session ids, pseudonyms).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { SESSION_COOKIE } from "../../src/server/routes/auth.js";
import { verifyAudit } from "../../src/services/audit.js";
import { createToken } from "../../src/services/tokens.js";
import { createUser, type PublicUser } from "../../src/services/users.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { jpegWithGps, multipart } from "./media.js";

const FAKE_CLIENT_IP = "203.0.113.77";
const PASSWORD = { admin: "amina secret 2026", reporter: "reza secret 2026", reviewer: "rojin secret 2026" };
const USERNAME = { admin: "amina.karimi", reporter: "reza.tehrani", reviewer: "rojin.ahmadi" };

/** A client with a cookie jar, talking HTTP to the listening server. */
class Client {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = {
      "x-forwarded-for": FAKE_CLIENT_IP,
      "x-real-ip": FAKE_CLIENT_IP,
      ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
      ...(this.csrf ? { "x-csrf-token": this.csrf } : {}),
      ...headers,
    };
    let payload: string | Uint8Array | undefined;
    if (Buffer.isBuffer(body)) payload = new Uint8Array(body);
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h["content-type"] ??= "application/json";
    }
    const res = await fetch(`${this.base}${path}`, { method, headers: h, body: payload, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = (pair as string).split("=") as [string, string];
      if (v === "" || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }
  async signIn(username: string, password: string) {
    this.csrf = (await this.request("GET", "/api/v1/auth/csrf")).json().token;
    return this.request("POST", "/api/v1/auth/sign-in", { username, password });
  }
}

describe.each(BACKENDS)("authentication over HTTP on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let base: string;
  const logs: string[] = [];
  const users: Record<string, PublicUser> = {};
  const secrets: string[] = [];
  beforeAll(async () => {
    // Uploads go to a temporary media directory, never into the working tree.
    process.env.TALLY_MEDIA_DIR = mkdtempSync(join(tmpdir(), "tally-media-"));
    t = await openTestLedger(backend);
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await buildServer({
      ledger: t.ledger,
      logger: { level: "trace", stream } as never,
      rateLimit: 400,
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    for (const role of ["admin", "reporter", "reviewer"] as const)
      users[role] = await createUser(
        t.ledger,
        { username: USERNAME[role], role, password: PASSWORD[role] },
        "setup",
      );
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it("sends helmet's security headers on API, web and error responses", async () => {
    const c = new Client(base);
    for (const path of ["/api/v1/meta", "/", "/api/v1/nope", "/api/v1/incidents/%ED%A0%80"]) {
      const res = await c.request("GET", path);
      const h = res.headers;
      const csp = h.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/default-src '(?:self|none)'/);
      if (!csp.includes("default-src 'none'")) expect(csp, path).toMatch(/object-src 'none'/);
      expect(h.get("x-content-type-options"), path).toBe("nosniff");
      expect(h.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(h.get("referrer-policy"), path).toBe("no-referrer");
      expect(h.get("strict-transport-security"), path).toMatch(/max-age=\d+/);
      expect(h.get("cross-origin-opener-policy"), path).toBe("same-origin");
      expect(h.get("x-powered-by"), path).toBeNull();
    }
  });

  it("never turns a planted session id into a signed-in session (fixation)", async () => {
    const c = new Client(base);
    const planted = randomBytes(32).toString("base64url");
    c.cookies.set(SESSION_COOKIE, planted);
    const res = await c.signIn(USERNAME.reporter, PASSWORD.reporter);
    expect(res.status).toBe(200);
    const issued = c.cookies.get(SESSION_COOKIE) as string;
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    secrets.push(issued, c.csrf);
    const attacker = new Client(base);
    attacker.cookies.set(SESSION_COOKIE, planted);
    expect((await attacker.request("GET", "/api/v1/me")).json()).toMatchObject({ signedIn: false });
    expect((await c.request("GET", "/api/v1/me")).json()).toMatchObject({ signedIn: true, role: "reporter" });
  });

  it("refuses unsafe session requests without the CSRF token, and writes nothing", async () => {
    const c = new Client(base);
    await c.signIn(USERNAME.reviewer, PASSWORD.reviewer);
    secrets.push(c.cookies.get(SESSION_COOKIE) as string);
    const incident = { date: "2021-06-01", place: "Tehran", country: "IR", type: "protest", killed: 1 };
    const token = c.csrf;
    c.csrf = "";
    const before = (await verifyAudit(t.ledger)).head.seq;
    const res = await c.request("POST", "/api/v1/incidents", incident);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const forged = await c.request("POST", "/api/v1/incidents", incident, { "x-csrf-token": "forged" });
    expect(forged.status).toBe(403);
    expect((await verifyAudit(t.ledger)).head.seq).toBe(before);
    c.csrf = token;
    expect((await c.request("POST", "/api/v1/incidents", incident)).status).toBe(201);
  });

  it("stops privilege escalation between roles", async () => {
    const reporter = new Client(base);
    await reporter.signIn(USERNAME.reporter, PASSWORD.reporter);
    secrets.push(reporter.cookies.get(SESSION_COOKIE) as string);
    const me = users.reporter as PublicUser;
    expect((await reporter.request("PATCH", `/api/v1/users/${me.id}`, { role: "admin" })).status).toBe(403);
    expect((await reporter.request("POST", "/api/v1/tokens", { name: "mine", role: "admin" })).status).toBe(
      403,
    );
    expect(
      (await reporter.request("PUT", "/api/v1/attachments/settings", { sealedOriginals: true })).status,
    ).toBe(403);
    expect(
      (await reporter.request("POST", "/api/v1/incidents/1/review", { status: "verified" })).status,
    ).toBe(403);
    // A reporter's submission waits for review, whatever status it asks for.
    const sub = await reporter.request("POST", "/api/v1/incidents", {
      date: "2021-06-02",
      place: "Isfahan",
      country: "IR",
      type: "protest",
      killed: 2,
      status: "verified",
      grade: "confirmed",
    });
    expect(sub.status).toBe(201);
    expect(sub.json().incident).toMatchObject({ status: "submitted", grade: null });
    // Evidence upload over a session needs the CSRF token too, and works with it.
    const m = multipart(await jpegWithGps());
    const up = await reporter.request("POST", "/api/v1/attachments", m.payload, m.headers);
    expect(up.status).toBe(201);

    const reviewerToken = (await createToken(t.ledger, "rev-script", "reviewer")).token;
    secrets.push(reviewerToken);
    const bearer = { authorization: `Bearer ${reviewerToken}` };
    const anon = new Client(base);
    expect(
      (
        await anon.request(
          "POST",
          "/api/v1/users",
          { username: "x1", role: "admin", password: "x".repeat(12) },
          bearer,
        )
      ).status,
    ).toBe(403);
    expect(
      (await anon.request("POST", "/api/v1/tokens", { name: "esc", role: "admin" }, bearer)).status,
    ).toBe(403);
    const forged = `tly_${randomBytes(32).toString("base64url")}`;
    expect(
      (await anon.request("GET", "/api/v1/review", undefined, { authorization: `Bearer ${forged}` })).status,
    ).toBe(401);
    const roles = await t.ledger.store.db
      .withTables<{ users: { id: number; role: string } }>()
      .selectFrom("users")
      .select(["id", "role"])
      .orderBy("id")
      .execute();
    expect(roles.map((r) => r.role)).toEqual(["admin", "reporter", "reviewer"]);
    expect((await verifyAudit(t.ledger)).problems).toEqual([]);
  });

  it("rate-limits sign-in and the API with 429 problems", async () => {
    const c = new Client(base);
    c.csrf = (await c.request("GET", "/api/v1/auth/csrf")).json().token;
    const codes: number[] = [];
    for (let i = 0; i < 14; i++)
      codes.push(
        (
          await c.request("POST", "/api/v1/auth/sign-in", {
            username: "nobody.here",
            password: "wrong pass 1",
          })
        ).status,
      );
    expect(codes.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    const limited = await c.request("POST", "/api/v1/auth/sign-in", {
      username: "nobody.here",
      password: "x",
    });
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    const burst = await Promise.all(
      Array.from({ length: 450 }, () => fetch(`${base}/api/v1/meta`).then((r) => r.status)),
    );
    expect(burst).toContain(429);
    expect(burst.filter((s) => s >= 500)).toEqual([]);
  });

  it("keeps client addresses and reporter identities out of the server log", async () => {
    const admin = new Client(base);
    await admin.signIn(USERNAME.admin, PASSWORD.admin);
    secrets.push(admin.cookies.get(SESSION_COOKIE) as string);
    await admin.request("GET", "/api/v1/users");
    await admin.signIn(USERNAME.admin, "wrong password here");
    // The one line that names an address is Fastify's own "Server listening at": the server's, not a client's.
    const text = logs.filter((l) => !l.includes('"msg":"Server listening at')).join("");
    expect(logs.length).toBeGreaterThan(50);
    const leaks = logs.filter((l) => l.includes("127.0.0.1") && !l.includes('"msg":"Server listening at'));
    expect(leaks.slice(0, 3).map((l) => l.slice(0, 400))).toEqual([]);
    for (const needle of [
      "127.0.0.1",
      FAKE_CLIENT_IP,
      "remoteAddress",
      "remotePort",
      "x-forwarded-for",
      ...Object.values(USERNAME),
      ...Object.values(PASSWORD),
      ...Object.values(users).map((u) => u.pseudonym),
      ...secrets.filter(Boolean),
    ])
      expect(text.includes(needle), `the log contains ${needle}`).toBe(false);
    // No IPv4 or IPv6 address of any kind.
    expect(text).not.toMatch(/\b(?:\d{1,3}\.){3}\d{1,3}\b/);
    expect(text).not.toMatch(/::ffff:|"::1"/);
  });
});
