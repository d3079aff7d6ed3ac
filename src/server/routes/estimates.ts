/** Estimates over HTTP: the published estimate, and the linkage pairs that wait for a reviewer. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { strataToJson, toJson } from "../../core/estimation/index.js";
import type { Ledger } from "../../services/ledger.js";
import { estimateFromLedger, LinkageNeeded, latestReviewPairs } from "../../services/lists.js";
import { ProblemError } from "../problem.js";
import { route } from "../route.js";

const EstimateQuery = z.object({
  stratify: z
    .string()
    .regex(/^[\w.-]{1,60}$/, "a column name")
    .optional(),
  models: z.enum(["all", "selected"]).default("selected"),
});

export async function registerEstimateRoutes(app: FastifyInstance, ctx: { ledger: Ledger }) {
  const { ledger } = ctx;
  route(
    app,
    {
      method: "GET",
      url: "/estimates",
      summary: "Documented people on the victim lists, and the estimated total with its interval",
      tags: ["estimates"],
      query: EstimateQuery,
    },
    async ({ query }) => {
      try {
        const r = await estimateFromLedger(ledger, { models: query.models, stratify: query.stratify });
        return {
          records: r.records,
          documented: r.documented,
          linkedAt: r.linkedAt,
          notes: [...r.notes, ...(r.result?.notes ?? [])],
          ...(r.result ? { estimate: toJson(r.result) } : {}),
          ...(r.strata ? { strata: strataToJson(r.strata) } : {}),
        };
      } catch (e) {
        if (e instanceof LinkageNeeded) throw new ProblemError(409, "Conflict", e.message);
        throw e;
      }
    },
  );
  route(
    app,
    {
      method: "GET",
      url: "/lists/review",
      summary: "Uncertain record pairs from the latest linkage",
      tags: ["estimates"],
      role: "reviewer",
    },
    async () => latestReviewPairs(ledger),
  );
}
