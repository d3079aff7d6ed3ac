/**
 * Accounts on the API: cookie sessions for people (sign-in, sign-out, /me), CSRF protection for every unsafe
 * request a session makes, user administration for admins, the reporter's own submissions, and place
 * autocomplete for the forms. Scripts keep using bearer tokens, which need no CSRF token because a browser
 * never attaches them on its own.
 *
 * `registerAuth` is called directly in the /api/v1 scope (not through `register`), so that its hooks cover
 * every API route, including those declared elsewhere.
 */
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ROLES } from "../../core/vocabulary.js";
import { publicIncident } from "../../services/incidents.js";
import type { Ledger } from "../../services/ledger.js";
import {
  authenticateSession,
  DEFAULT_SESSION_POLICY,
  endSession,
  type SessionPolicy,
  type SessionPrincipal,
  startSession,
} from "../../services/sessions.js";
import { createToken, revokeToken } from "../../services/tokens.js";
import {
  createUser,
  getUsers,
  NewUser,
  Password,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  verifyCredentials,
} from "../../services/users.js";
import { invalid, ProblemError } from "../problem.js";
import { IdParams, route } from "../route.js";

export const SESSION_COOKIE = "tally_session";
export const CSRF_HEADER = "x-csrf-token";
const SIGN_IN_URL = "/api/v1/auth/sign-in";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface AuthOptions {
  ledger: Ledger;
  sessionPolicy?: SessionPolicy;
  /**
   * Sign-in attempts per minute per client, in this process (accounts also lock after failures); default
   * TALLY_SIGNIN_PER_MINUTE or 10.
   */
  signInPerMinute?: number;
  /**
   * Force the Secure flag on cookies (behind a TLS-terminating proxy; also TALLY_SECURE_COOKIES=1); otherwise it
   * is set on https requests.
   */
  secureCookies?: boolean;
}

function isSession(p: FastifyRequest["principal"]): p is SessionPrincipal {
  return p !== null && p.kind === "user" && "sessionHash" in p;
}

export async function registerAuth(api: FastifyInstance, options: AuthOptions): Promise<void> {
  const { ledger } = options;
  const policy = options.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  // Ten a minute per client unless set (TALLY_SIGNIN_PER_MINUTE; end-to-end tests sign in more often than that).
  const signInPerMinute = options.signInPerMinute ?? (Number(process.env.TALLY_SIGNIN_PER_MINUTE) || 10);
  // Behind a proxy that terminates TLS the request looks like plain HTTP; TALLY_SECURE_COOKIES=1 says otherwise.
  const secure = options.secureCookies ?? (process.env.TALLY_SECURE_COOKIES === "1" ? true : undefined);
  await api.register(cookie);
  await api.register(csrf, {
    cookieKey: "tally_csrf",
    cookieOpts: {
      path: "/",
      sameSite: "strict",
      httpOnly: true,
      ...(secure ? { secure: true } : { secure: "auto" as const }),
    },
  });

  const cookieOptions = (request: FastifyRequest) => ({
    path: "/",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: secure ?? request.protocol === "https",
  });

  // A bearer token (checked before this hook) wins; without one, a session cookie may sign the request in.
  api.addHook("onRequest", async (request, reply) => {
    if (request.principal || request.headers.authorization) return;
    const value = request.cookies[SESSION_COOKIE];
    if (!value) return;
    request.principal = await authenticateSession(ledger, value, policy);
    // An ended session's cookie is cleared, so the browser stops presenting it.
    if (!request.principal) reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
  });
  // A browser attaches cookies to any site's request, so every unsafe request riding on a session (and the
  // sign-in itself, against login CSRF) must carry the token that only our own pages can read.
  api.addHook("onRequest", (request, reply, done) => {
    const needs =
      UNSAFE.has(request.method) &&
      (isSession(request.principal) || request.routeOptions.url === SIGN_IN_URL);
    if (needs) api.csrfProtection(request, reply, done);
    else done();
  });

  route(
    api,
    {
      method: "GET",
      url: "/auth/csrf",
      summary: "A CSRF token for the forms (send it back in the x-csrf-token header)",
      tags: ["accounts"],
    },
    async ({ reply }) => {
      reply.header("cache-control", "no-store");
      return { token: reply.generateCsrf(), header: CSRF_HEADER };
    },
  );

  const SignIn = z.object({ username: z.string().max(100), password: z.string().max(1000) });
  api.route({
    method: "POST",
    url: "/auth/sign-in",
    // Anyone may call it, so it reads no more than a username and a password need.
    bodyLimit: 16 * 1024,
    config: { rateLimit: { max: signInPerMinute, timeWindow: "1 minute" } },
    schema: {
      summary: "Sign in with a username and password; sets the session cookie",
      tags: ["accounts"],
    },
    handler: async (request, reply) => {
      const parsed = SignIn.safeParse(request.body ?? {});
      if (!parsed.success) throw invalid("body", parsed.error);
      const user = await verifyCredentials(ledger, parsed.data.username, parsed.data.password);
      if (!user) {
        throw new ProblemError(
          401,
          "Sign-in failed",
          "wrong username or password, or too many failed attempts: wait a few minutes and try again",
        );
      }
      // Always a new id, and the presented one (perhaps planted by someone else) is deleted.
      const session = await startSession(ledger, user.id, request.cookies[SESSION_COOKIE], policy);
      reply.setCookie(SESSION_COOKIE, session.value, {
        ...cookieOptions(request),
        expires: session.expiresAt,
      });
      reply.header("cache-control", "no-store");
      return { signedIn: true, pseudonym: user.pseudonym, role: user.role, username: user.username };
    },
  });

  route(
    api,
    {
      method: "POST",
      url: "/auth/sign-out",
      summary: "End this session",
      tags: ["accounts"],
      bodyLimit: 1024,
    },
    async ({ request, reply }) => {
      const value = request.cookies[SESSION_COOKIE];
      if (value) await endSession(ledger, value);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return { signedIn: false };
    },
  );

  route(
    api,
    {
      method: "GET",
      url: "/me",
      summary: "Who is signed in (public requests get signedIn: false)",
      tags: ["accounts"],
    },
    async ({ principal, reply }) => {
      reply.header("cache-control", "no-store");
      if (!principal) return { signedIn: false };
      return {
        signedIn: true,
        kind: principal.kind,
        pseudonym: principal.name,
        role: principal.role,
        ...(isSession(principal) ? { username: principal.username } : {}),
      };
    },
  );

  route(
    api,
    {
      method: "POST",
      url: "/me/password",
      summary: "Change one's own password (ends one's other sessions)",
      tags: ["accounts"],
      role: "reporter",
      body: z.object({ current: z.string().max(1000), password: Password }),
    },
    async ({ principal, body }) => {
      if (!isSession(principal))
        throw new ProblemError(403, "Forbidden", "only a signed-in person has a password");
      const ok = await verifyCredentials(ledger, principal.username, body.current);
      if (!ok) throw new ProblemError(403, "Forbidden", "current: the current password is wrong");
      await setUserPassword(ledger, principal.id, body.password, principal.name, principal.sessionHash);
      return { changed: true };
    },
  );

  registerSubmissions(api, ledger);
  registerPlaces(api, ledger);
  registerUserAdmin(api, ledger);
  registerTokenAdmin(api, ledger);
}

const SubmissionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "not a cursor from this API")
    .optional(),
});

/** A reporter's own submissions, with their state and the reviewers' notes (not the reviewers' names). */
function registerSubmissions(api: FastifyInstance, ledger: Ledger) {
  route(
    api,
    {
      method: "GET",
      url: "/me/submissions",
      summary: "The signed-in person's own submissions, newest first, with review notes",
      tags: ["accounts"],
      role: "reporter",
      query: SubmissionsQuery,
    },
    async ({ principal, query }) => {
      // Token principals are scripts: their submissions are not "theirs" in this sense.
      if (principal?.kind !== "user") return { items: [], next: null };
      const db = ledger.store.db;
      let q = db.selectFrom("incidents").selectAll().where("submitted_by", "=", principal.id);
      if (query.cursor) q = q.where("id", "<", Number(query.cursor));
      const rows = await q
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const ids = page.map((r) => r.id);
      const notes = ids.length
        ? await db
            .selectFrom("history")
            .select(["entity_id", "action", "note", "at"])
            .where("entity", "=", "incident")
            .where("entity_id", "in", ids)
            .where("note", "is not", null)
            .orderBy("id")
            .execute()
        : [];
      return {
        items: page.map((r) => {
          const { attributes: _a, sourceId: _s, ...incident } = publicIncident(r);
          return {
            ...incident,
            state: r.merged_into !== null ? "merged" : r.status === "submitted" ? "in review" : r.status,
            notes: notes
              .filter((n) => n.entity_id === r.id)
              .map((n) => ({ action: n.action, note: n.note, at: n.at })),
          };
        }),
        next: rows.length > query.limit ? String(page[page.length - 1]?.id) : null,
      };
    },
  );
}

const PlacesQuery = z.object({
  q: z.string().trim().min(1, "type at least one letter").max(100),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
    .optional(),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

function registerPlaces(api: FastifyInstance, ledger: Ledger) {
  route(
    api,
    {
      method: "GET",
      url: "/places",
      summary: "Place autocomplete from the gazetteer: names starting with q, larger places first",
      tags: ["places"],
      query: PlacesQuery,
    },
    async ({ query, reply }) => {
      reply.header("cache-control", "public, max-age=3600");
      const found = ledger.gazetteer.search(query.q, {
        limit: query.limit,
        ...(query.country ? { country: query.country } : {}),
      });
      return {
        items: found.map((p) => ({
          id: p.id,
          name: p.name,
          level: p.level,
          province: p.province,
          country: p.country,
          lat: p.lat,
          lon: p.lon,
          population: p.population,
        })),
      };
    },
  );
}

const UserPatch = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
  })
  .refine((p) => p.role !== undefined || p.disabled !== undefined || p.password !== undefined, {
    message: "give a role, disabled or a password",
  });

function registerUserAdmin(api: FastifyInstance, ledger: Ledger) {
  const actor = (p: FastifyRequest["principal"]) => p?.name ?? "unknown";
  route(
    api,
    { method: "GET", url: "/users", summary: "Users", tags: ["accounts"], role: "admin" },
    async ({ reply }: { reply: FastifyReply }) => {
      reply.header("cache-control", "no-store");
      return { items: await getUsers(ledger) };
    },
  );
  route(
    api,
    {
      method: "POST",
      url: "/users",
      summary: "Create a user",
      tags: ["accounts"],
      role: "admin",
      body: NewUser,
    },
    async ({ body, principal, reply }) =>
      reply.code(201).send(await createUser(ledger, body, actor(principal))),
  );
  route(
    api,
    {
      method: "PATCH",
      url: "/users/:id",
      summary: "Change a user's role, disable or enable them, or set their password",
      tags: ["accounts"],
      role: "admin",
      params: IdParams,
      body: UserPatch,
    },
    async ({ params, body, principal }) => {
      const who = actor(principal);
      if (body.password !== undefined) await setUserPassword(ledger, params.id, body.password, who);
      if (body.role !== undefined) await setUserRole(ledger, params.id, body.role, who);
      const u =
        body.disabled !== undefined
          ? await setUserDisabled(ledger, params.id, body.disabled, who)
          : (await getUsers(ledger)).find((x) => x.id === params.id);
      if (!u) throw new ProblemError(404, "Not found", `user ${params.id} not found`);
      return u;
    },
  );
}

const NewToken = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[\w .@-]{1,80}$/, "use 1-80 letters, digits, spaces or . @ - _"),
  role: z.enum(ROLES),
});

/** API tokens for scripts, managed by admins; a token is shown once, at creation, and only its hash is kept. */
function registerTokenAdmin(api: FastifyInstance, ledger: Ledger) {
  route(
    api,
    {
      method: "GET",
      url: "/tokens",
      summary: "API tokens (never the tokens themselves)",
      tags: ["accounts"],
      role: "admin",
    },
    async ({ reply }) => {
      reply.header("cache-control", "no-store");
      const rows = await ledger.store.db
        .selectFrom("tokens")
        .select(["id", "name", "role", "created_at", "revoked_at"])
        .orderBy("id")
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          role: r.role,
          createdAt: r.created_at,
          revoked: r.revoked_at !== null,
        })),
      };
    },
  );
  route(
    api,
    {
      method: "POST",
      url: "/tokens",
      summary: "Create an API token; the answer is the only time it is shown",
      tags: ["accounts"],
      role: "admin",
      body: NewToken,
    },
    async ({ body, reply, principal }) => {
      const { id, token } = await createToken(ledger, body.name, body.role, principal?.name);
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send({ id, name: body.name, role: body.role, token });
    },
  );
  route(
    api,
    {
      method: "POST",
      url: "/tokens/:id/revoke",
      summary: "Revoke an API token",
      tags: ["accounts"],
      role: "admin",
      params: IdParams,
    },
    async ({ params, principal }) => {
      if (!(await revokeToken(ledger, params.id, principal?.name)))
        throw new ProblemError(404, "Not found", `no active token ${params.id}`);
      return { id: params.id, revoked: true };
    },
  );
}
