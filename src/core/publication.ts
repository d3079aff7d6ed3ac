/**
 * What the public may count, defined once (docs/methodology.md, "Publication"). Every public surface (the
 * dashboard, the sources page, bulletins, feeds, the API, exports and the static site) counts through these
 * definitions, so that one scope has one documented count everywhere.
 *
 * - An incident is **published** when a reviewer or an admin entered, imported or accepted it, and its status
 *   is not `candidate` or `rejected`. A reporter's submission, however it was sent (form, session or API
 *   token), and a machine candidate are unpublished until a reviewer reviews them. The store keeps the answer
 *   in the incident's `published` column, set when the row is written and again by every review.
 * - **The documented count** of a scope sums the published incidents that are `verified` and graded
 *   `confirmed` or `fair`. Every other published incident stays visible in the full range beside it.
 */
import type { Lang } from "./locale.js";
import { type Grade, HEADLINE_GRADES, type IncidentStatus } from "./vocabulary.js";

/**
 * Statuses that never count in public, whoever set them. A claim is published exactly when its status is not
 * one of these (claims are recorded by reviewers; candidates come from the extractor).
 */
export const NEVER_PUBLISHED: readonly IncidentStatus[] = ["candidate", "rejected"];

/**
 * Whether an incident is published as it is written. `unreviewed` is true for a reporter's submission, which
 * waits for a reviewer whatever status it names.
 */
export function publishedOnEntry(status: IncidentStatus | string, unreviewed: boolean): boolean {
  return !unreviewed && !NEVER_PUBLISHED.includes(status as IncidentStatus);
}

/** Whether an incident is published once a reviewer has set its status. */
export function publishedAfterReview(status: IncidentStatus | string): boolean {
  return !NEVER_PUBLISHED.includes(status as IncidentStatus);
}

/** The filter of the documented count: within the published incidents, these statuses and these grades. */
export const DOCUMENTED: { readonly statuses: readonly IncidentStatus[]; readonly grades: readonly Grade[] } =
  {
    statuses: ["verified"],
    grades: HEADLINE_GRADES,
  };

/** What each public figure counts, said in words beside it. */
export const COUNTS_WORDS: Record<"documented" | "published", Record<Lang, string>> = {
  documented: {
    en: "verified incidents graded confirmed or fair",
    fa: "رویدادهای راستی‌آزمایی‌شده با درجهٔ تأییدشده یا قابل‌قبول",
  },
  published: {
    en: "all published incidents, every grade and review status",
    fa: "همهٔ رویدادهای منتشرشده، با هر درجه و وضعیت بررسی",
  },
};
