/**
 * Evidence over HTTP. Uploads are multipart with the file in a field named `file`; what is stored is decided
 * by the content (services/attachments.ts). Downloads are served as attachments that a browser will neither
 * sniff nor run: `Content-Disposition: attachment`, `nosniff`, and a CSP that allows nothing.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  ATTACHMENT_TYPES,
  AttachmentConfigError,
  AttachmentRejected,
  maxUploadBytes,
  readAttachment,
  setSealedOriginals,
  storeAttachment,
} from "../../services/attachments.js";
import type { Ledger } from "../../services/ledger.js";
import { ProblemError } from "../problem.js";
import { IdParams, route } from "../route.js";

const AttachmentInfo = z.object({
  id: z.number().int(),
  sha256: z.string(),
  originalSha256: z.string(),
  type: z.enum(Object.keys(ATTACHMENT_TYPES) as [string, ...string[]]),
  bytes: z.number().int(),
});

const ONE_FILE = "send exactly one file, in a field named file";

function asProblem(e: unknown): never {
  if (e instanceof AttachmentRejected) throw new ProblemError(e.statusCode, "Attachment refused", e.message);
  if (e instanceof AttachmentConfigError) throw new ProblemError(503, "Attachments unavailable", e.message);
  throw e;
}

export async function registerAttachmentRoutes(app: FastifyInstance, ctx: { ledger: Ledger }) {
  const { ledger } = ctx;
  // Its own scope, so that the multipart parser serves these routes only. Its log level stays at info or
  // above: @fastify/multipart traces every request's headers (cookies, session ids) at trace level.
  await app.register(
    async (scope: FastifyInstance) => {
      const limit = maxUploadBytes();
      await scope.register(multipart, {
        limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 100 },
        throwFileSizeLimit: true,
      });

      route(
        scope,
        {
          method: "POST",
          url: "/attachments",
          summary: "Upload evidence (multipart, field `file`): JPEG, PNG, WebP, HEIC, MP4 or PDF",
          tags: ["attachments"],
          role: "reporter",
          response: AttachmentInfo,
          bodyLimit: limit + 64 * 1024,
        },
        async ({ request, principal, reply }) => {
          if (!request.isMultipart())
            throw new ProblemError(
              415,
              "Unsupported media type",
              "send multipart/form-data with a field named file",
            );
          let bytes: Buffer | null = null;
          // A client that goes away mid-body is an everyday event (a dropped mobile connection), not a fault of
          // the server: it is logged at info, and nothing is stored, since what arrived is not the whole file.
          const aborted = () => {
            request.log.info({ aborted: true }, "upload aborted by the client before the body was complete");
            return new ProblemError(400, "Invalid request", "the upload was aborted before it was complete");
          };
          // Gone while the headers were being checked: the parser would wait for events already past.
          if (request.raw.readableAborted) throw aborted();
          try {
            for await (const part of request.parts()) {
              if (part.type !== "file") continue;
              if (part.fieldname !== "file" || bytes !== null) {
                part.file.resume();
                throw new ProblemError(400, "Invalid request", ONE_FILE);
              }
              bytes = await part.toBuffer();
            }
          } catch (e) {
            if (e instanceof ProblemError) throw e;
            const { code, statusCode: status } = e as { code?: string; statusCode?: number };
            if (request.raw.readableAborted || code === "ECONNRESET" || code === "FST_MP_PREMATURE_CLOSE")
              throw aborted();
            // The multipart parser stops at a second file itself (limits.files), before the route sees it.
            if (code === "FST_FILES_LIMIT") throw new ProblemError(400, "Invalid request", ONE_FILE);
            if (code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT")
              throw new ProblemError(
                400,
                "Invalid request",
                `the multipart body has too many parts: ${ONE_FILE}`,
              );
            if (code === "FST_REQ_FILE_TOO_LARGE" || status === 413)
              throw new ProblemError(413, "Payload too large", `file: larger than ${limit} bytes`);
            if (status && status >= 400 && status < 500)
              throw new ProblemError(
                400,
                "Invalid request",
                `the multipart body is malformed: ${(e as Error).message}`,
              );
            throw e;
          }
          if (request.raw.readableAborted) throw aborted();
          if (bytes === null)
            throw new ProblemError(400, "Invalid request", "file: missing (use a field named file)");
          const info = await storeAttachment(ledger, bytes, principal?.name ?? "unknown").catch(asProblem);
          reply.code(201);
          return info;
        },
      );

      route(
        scope,
        {
          method: "GET",
          url: "/attachments/:id",
          summary: "The stored copy of an attachment (metadata removed)",
          tags: ["attachments"],
          params: IdParams,
          role: "reviewer",
        },
        async ({ params, reply }) => {
          const found = await readAttachment(ledger, params.id);
          if (!found) throw new ProblemError(404, "Not found", `attachment ${params.id} not found`);
          const ext = ATTACHMENT_TYPES[found.info.type].ext;
          reply
            .header("content-type", found.info.type)
            .header("content-disposition", `attachment; filename="attachment-${found.info.id}.${ext}"`)
            .header("x-content-type-options", "nosniff")
            .header("content-security-policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
            .header("cross-origin-resource-policy", "same-origin")
            .header("cache-control", "private, no-store")
            .header("x-tally-sha256", found.info.sha256);
          return reply.send(found.bytes);
        },
      );

      route(
        scope,
        {
          method: "PUT",
          url: "/attachments/settings",
          summary: "Sealed originals: keep each original, encrypted with TALLY_SEAL_KEY (admins)",
          tags: ["attachments"],
          role: "admin",
          body: z.object({ sealedOriginals: z.boolean() }).strict(),
        },
        async ({ body, principal }) => {
          await setSealedOriginals(ledger, body.sealedOriginals, principal?.name ?? "unknown").catch(
            asProblem,
          );
          return { sealedOriginals: body.sealedOriginals };
        },
      );
    },
    { logLevel: (app.log.level === "trace" ? "debug" : app.log.level) as "debug" },
  );
}
