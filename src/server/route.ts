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
    handler: async (request, reply) => {
      const principal = request.principal;
      if (spec.role) {
        if (!principal)
          throw new ProblemError(401, "Authentication required", "send a bearer token or sign in");
        if (!hasRole(principal, spec.role)) {
          throw new ProblemError(403, "Forbidden", `this needs the ${spec.role} role`);
        }
      }
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

export const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
