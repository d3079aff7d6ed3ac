/**
 * RFC 9457 problem details: every error the API returns has this shape, with `errors` naming the fields.
 */
import type { FastifyReply } from "fastify";
import type { z } from "zod";
import { fieldErrors } from "../core/records.js";

export interface FieldProblem {
  field: string;
  message: string;
  line?: number;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail ?? title);
  }
}

export function invalid(where: string, error: z.ZodError): ProblemError {
  const errors = fieldErrors(error).map((e) => ({ ...e, field: e.field === "(row)" ? where : e.field }));
  const first = errors[0];
  return new ProblemError(
    400,
    "Invalid request",
    first ? `${where}: ${first.field}: ${first.message}` : `invalid ${where}`,
    errors,
  );
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Authentication required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string | undefined,
  detail: string | undefined,
  instance: string,
  errors?: FieldProblem[],
) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: "about:blank",
      title: title ?? TITLES[status] ?? "Error",
      status,
      ...(detail ? { detail } : {}),
      instance,
      ...(errors?.length ? { errors } : {}),
    });
}
