/**
 * The HTTP server: the API under /api/v1 and, when built, the web app. Fastify plugins are registered in
 * encapsulated scopes so that, say, the API's body parsers and rate limits do not leak into static files.
 */

import { createServer } from "node:http";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { z } from "zod";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../core/json-array.js";
import { findUnstorable, UNSTORABLE_MESSAGE } from "../core/storable.js";
import { FileFormatError } from "../services/import/read-records.js";
import { ImportRejected } from "../services/import/run.js";
import type { Ledger } from "../services/ledger.js";
import { Conflict, NotFound } from "../services/review.js";
import { EditRejected } from "../services/review-queue.js";
import { authenticateToken, type Principal } from "../services/tokens.js";
import { invalid, ProblemError, sendProblem } from "./problem.js";
import { registerApi } from "./routes/api.js";
import { registerAttachmentRoutes } from "./routes/attachments.js";
import { registerAuth } from "./routes/auth.js";
import { registerEstimateRoutes } from "./routes/estimates.js";
import { registerPublic } from "./routes/public.js";
import { registerReviewRoutes } from "./routes/review.js";
import { boundWorkPerTurn } from "./turns.js";
import { registerWeb } from "./web.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface ServerOptions {
  ledger: Ledger;
  /** pino options (Fastify builds the logger); false or absent: no logging. */
  logger?: false | { level?: string; stream?: NodeJS.WritableStream };
  /** Requests per minute per client on the API (reads and writes). */
  rateLimit?: number;
  /** Label every API response as synthetic (the demo). */
  synthetic?: boolean;
  /** Requests that may start per turn of the event loop (see turns.ts); default 8. */
  requestsPerTurn?: number;
  /** How long a client may take; defaults from the environment (see `serverLimits`). */
  limits?: Partial<ServerLimits>;
}

/**
 * What a client may take of the server. A client slower than these is dropped, so that a few slow or idle
 * connections cannot hold the server's sockets (a "slow loris"); every one is a setting.
 */
export interface ServerLimits {
  /** The request line and headers must arrive within this (TALLY_HEADERS_TIMEOUT, seconds; default 20). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (TALLY_REQUEST_TIMEOUT, seconds; default 600). */
  requestTimeoutMs: number;
  /** A connection on which nothing arrives for this long is closed (TALLY_IDLE_TIMEOUT, seconds; default 60). */
  idleTimeoutMs: number;
  /** The largest import body (TALLY_MAX_IMPORT_BYTES; default 1 GiB). Streamed: never held in memory. */
  maxImportBytes: number;
}

function seconds(env: string | undefined, fallback: number): number {
  const n = Number(env);
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback * 1000;
}

export function serverLimits(env: NodeJS.ProcessEnv = process.env): ServerLimits {
  const bytes = Number(env.TALLY_MAX_IMPORT_BYTES);
  return {
    headersTimeoutMs: seconds(env.TALLY_HEADERS_TIMEOUT, 20),
    requestTimeoutMs: seconds(env.TALLY_REQUEST_TIMEOUT, 600),
    idleTimeoutMs: seconds(env.TALLY_IDLE_TIMEOUT, 60),
    maxImportBytes: Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 1024 * 1024 * 1024,
  };
}

/**
 * Logs name the route and the outcome, never who called: no IP address, no reporter identity, no token.
 */
export const logSerializers = {
  req(req: { method: string; routeOptions?: { url?: string }; url: string; id: string }) {
    return { id: req.id, method: req.method, route: req.routeOptions?.url ?? req.url.split("?")[0] };
  },
  res(res: { statusCode: number }) {
    return { statusCode: res.statusCode };
  },
};

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { ledger } = options;
  const limits: ServerLimits = { ...serverLimits(), ...options.limits };
  const app = Fastify({
    // Node checks the request and header deadlines on a timer; a check every second drops a slow client
    // within a second of its deadline (the default, 30 s, would let it hold the socket that much longer).
    serverFactory: (handler) => {
      const server = createServer(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
        },
        handler,
      );
      server.timeout = limits.idleTimeoutMs;
      return server;
    },
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : { ...(typeof options.logger === "object" ? options.logger : {}), serializers: logSerializers },
    trustProxy: false,
    bodyLimit: 1_048_576,
    // Request ids are counters, not derived from the client.
    genReqId: (() => {
      let n = 0;
      return () => `r${(++n).toString(36)}`;
    })(),
    ajv: { customOptions: { allErrors: false } },
    // Errors Fastify raises before routing (a path with invalid percent-encoding) are problems too.
    frameworkErrors: (error, request, reply) => {
      const detail =
        error.code === "FST_ERR_BAD_URL" ? "the URL has invalid percent-encoding" : "the request is invalid";
      void request;
      // Sent before any hook runs, so helmet has not set its headers: the strictest ones are set here.
      reply.headers({
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
        "x-frame-options": "SAMEORIGIN",
        "referrer-policy": "no-referrer",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "cross-origin-opener-policy": "same-origin",
      });
      sendProblem(reply, 400, undefined, detail, "/");
    },
  });
  // First of all hooks: a busy server must still accept connections (turns.ts).
  boundWorkPerTurn(app, options.requestsPerTurn ?? 8);
  // zod validates inside each route (see route.ts); Fastify's JSON Schemas are documentation only.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest("principal", null);
  // JSON bodies are measured before they are parsed: one nested 500,000 deep is a 400, not a stack overflow
  // in whatever walks it next. The parse itself is Fastify's (it refuses prototype poisoning).
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      const detail = `body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
      done(new ProblemError(400, "Invalid request", detail, [{ field: "body", message: detail }]), undefined);
      return;
    }
    parseJson(request, text, done);
  });
  // NUL and unpaired surrogates cannot be stored as sent (core/storable.ts): refused here, for every route.
  app.addHook("preHandler", async (request) => {
    for (const [part, value] of [
      ["query", request.query],
      ["path", request.params],
      ["body", request.body],
    ] as const) {
      const at = findUnstorable(value, part);
      if (at)
        throw new ProblemError(400, "Invalid request", `${at}: ${UNSTORABLE_MESSAGE}`, [
          { field: at, message: UNSTORABLE_MESSAGE },
        ]);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const instance = request.url.split("?")[0] ?? "/";
    if (error instanceof ProblemError) {
      return sendProblem(reply, error.status, error.title, error.detail, instance, error.errors);
    }
    if (error instanceof NotFound) return sendProblem(reply, 404, undefined, error.message, instance);
    if (error instanceof Conflict) return sendProblem(reply, 409, undefined, error.message, instance);
    if (error instanceof z.ZodError) {
      const p = invalid("body", error);
      return sendProblem(reply, 400, p.title, p.detail, instance, p.errors);
    }
    if (error instanceof EditRejected) {
      return sendProblem(reply, 400, "Invalid request", error.message, instance, error.errors);
    }
    if (error instanceof ImportRejected) {
      return sendProblem(
        reply,
        422,
        "Invalid rows",
        error.message,
        instance,
        error.errors.map((e) => ({ line: e.line, field: e.field, message: e.message })),
      );
    }
    if (error instanceof FileFormatError) {
      return sendProblem(reply, 400, "Unreadable file", error.message, instance, [
        { field: "body", message: error.message, ...(error.line ? { line: error.line } : {}) },
      ]);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendProblem(reply, status, undefined, (error as Error).message, instance);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, 500, undefined, "the server could not complete the request", instance);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      404,
      undefined,
      `no route for ${request.method} ${request.url.split("?")[0]}`,
      request.url.split("?")[0] ?? "/",
    ),
  );

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        // Tally is often served over plain HTTP on a local network; upgrading would break it there.
        upgradeInsecureRequests: null,
      },
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tally API",
        version: "1",
        description:
          "Documented incidents, the claims of named sources, tallies and comparisons. Reads are public; writes need a bearer token.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });

  await app.register(
    async (api) => {
      await api.register(rateLimit, {
        max: options.rateLimit ?? 6000,
        timeWindow: "1 minute",
        // A client that hung up before this hook ran has no address left; it is not a server error.
        keyGenerator: (request) => request.ip ?? "gone",
        // Limits are kept per client in memory of this process; the key is not logged.
        errorResponseBuilder: (_req, ctx) =>
          new ProblemError(429, "Too many requests", `limit of ${ctx.max} requests per ${ctx.after}`),
      });
      api.addHook("onRequest", async (request, reply) => {
        if (options.synthetic) reply.header("x-tally-data", "synthetic");
        const auth = request.headers.authorization;
        if (auth) {
          const m = /^Bearer\s+(\S+)$/i.exec(auth);
          const principal = m ? await authenticateToken(ledger, m[1] as string) : null;
          if (!principal)
            throw new ProblemError(401, "Authentication required", "the bearer token is not valid");
          request.principal = principal;
        }
      });
      // Session cookies, CSRF on session requests, accounts and the forms' helpers (routes/auth.ts).
      await registerAuth(api, { ledger });
      await registerApi(api, {
        ledger,
        synthetic: options.synthetic ?? false,
        maxImportBytes: limits.maxImportBytes,
      });
      await registerReviewRoutes(api, { ledger });
      await registerEstimateRoutes(api, { ledger });
      await registerAttachmentRoutes(api, { ledger });
    },
    { prefix: "/api/v1" },
  );

  app.get("/api/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(registerPublic, { ledger, synthetic: options.synthetic ?? false });
  // The built web app (web/dist), with the single-page app's routes falling back to index.html.
  await app.register(registerWeb);
  return app;
}
