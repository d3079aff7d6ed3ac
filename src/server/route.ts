/**
 * Routes declared with zod: the same schema validates the request and, turned into JSON Schema, documents it
 * in the OpenAPI description. Fastify's own validator is switched off so that one set of schemas rules.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import { z } from "zod";
import type { Role } from "../core/vocabulary.js";
import { hasRole, type Principal } from "../services/tokens.js";
import { invalid, ProblemError } from "./problem.js";

export interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType> {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags: string[];
  query?: Q;
  body?: B;
  params?: P;
  /** The least role that may call it; absent for public reads. */
  role?: Role;
  /** Documented response body (not enforced). */
  response?: z.ZodType;
  bodyLimit?: number;
}

export interface RouteInput<Q, B, P> {
  query: Q;
  body: B;
  params: P;
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export function jsonSchema(schema: z.ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

export function route<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(
  app: FastifyInstance,
  spec: RouteSpec<Q, B, P>,
  handler: (input: RouteInput<z.output<Q>, z.output<B>, z.output<P>>) => Promise<unknown>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.query ? { querystring: jsonSchema(spec.query) } : {}),
      ...(spec.body ? { body: jsonSchema(spec.body) } : {}),
      ...(spec.params ? { params: jsonSchema(spec.params) } : {}),
      ...(spec.role ? { security: [{ bearer: [] }] } : {}),
      ...(spec.response
        ? {
            response: {
              200: {
                description: "OK",
                content: { "application/json": { schema: jsonSchema(spec.response) } },
              },
            },
          }
        : {}),
    },
    // Who may call it is settled as soon as the headers are in (the scope's onRequest hooks have read the token
    // or the session by then), before a byte of the body is read: an anonymous client can make the server
    // neither parse nor wait for a body it will refuse.
    ...(spec.role ? { onRequest: authorize(spec.role) } : {}),
    handler: async (request, reply) => {
      const principal = request.principal;
      const parse = <S extends z.ZodType | undefined>(schema: S, value: unknown, where: string) => {
        if (!schema) return undefined;
        const r = schema.safeParse(value ?? {});
        if (!r.success) throw invalid(where, r.error);
        return r.data;
      };
      const input = {
        query: parse(spec.query, request.query, "query"),
        body: parse(spec.body, request.body, "body"),
        params: parse(spec.params, request.params, "path"),
        principal,
        request,
        reply,
      } as RouteInput<z.output<Q>, z.output<B>, z.output<P>>;
      return handler(input);
    },
  });
}

/** Refuses a request whose principal lacks `role`: 401 without one, 403 with too weak a one. */
export function authorize(role: Role) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = request.principal;
    if (!principal) throw new ProblemError(401, "Authentication required", "send a bearer token or sign in");
    if (!hasRole(principal, role)) throw new ProblemError(403, "Forbidden", `this needs the ${role} role`);
  };
}

/** A row id in a path: decimal digits only (`0x1`, `1e3` and ` 1` name no row), within int4. */
export const IdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "must be a positive whole number in decimal digits")
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, "is too large"),
});
