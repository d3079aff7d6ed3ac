/** The review queue over HTTP: list candidates and submissions, then accept, reject or edit them. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ledger } from "../../services/ledger.js";
import { NotFound } from "../../services/review.js";
import {
  decide,
  editCandidate,
  listReviewQueue,
  ReviewNote,
  ReviewQueueQuery,
  ReviewRef,
} from "../../services/review-queue.js";
import { getDocument } from "../../store/repositories/documents.js";
import { IdParams, route } from "../route.js";

const RefParams = z.object({ ref: ReviewRef });

export async function registerReviewRoutes(app: FastifyInstance, ctx: { ledger: Ledger }) {
  const { ledger } = ctx;
  route(
    app,
    {
      method: "GET",
      url: "/review",
      summary: "The review queue",
      tags: ["review"],
      query: ReviewQueueQuery,
      role: "reviewer",
    },
    async ({ query }) => listReviewQueue(ledger, query),
  );
  for (const decision of ["accept", "reject"] as const) {
    route(
      app,
      {
        method: "POST",
        url: `/review/:ref/${decision}`,
        summary:
          decision === "accept"
            ? "Accept a candidate into the ledger"
            : "Reject a candidate (kept on record)",
        tags: ["review"],
        params: RefParams,
        body: ReviewNote,
        role: "reviewer",
      },
      async ({ params, body, principal }) =>
        decide(ledger, params.ref, decision, principal?.name ?? "unknown", body?.note),
    );
  }
  route(
    app,
    {
      method: "POST",
      url: "/review/:ref/edit",
      summary: "Correct a candidate's fields before deciding",
      tags: ["review"],
      params: RefParams,
      body: z.record(z.string(), z.unknown()),
      role: "reviewer",
    },
    async ({ params, body, principal }) =>
      editCandidate(ledger, params.ref, body, principal?.name ?? "unknown"),
  );
  route(
    app,
    {
      method: "GET",
      url: "/documents/:id",
      summary: "A stored document, exactly as received",
      tags: ["review"],
      params: IdParams,
      role: "reviewer",
    },
    async ({ params }) => {
      const doc = await getDocument(ledger.store.db, params.id);
      if (!doc) throw new NotFound(`document ${params.id}`);
      return {
        id: doc.id,
        title: doc.title,
        origin: doc.origin,
        published: doc.published,
        sha256: doc.sha256,
        contentType: doc.content_type,
        content: doc.content,
      };
    },
  );
}
