/** A small ledger with every kind of change the audit chain records. All data is synthetic. */
import { importArticle } from "../../src/services/articles.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import type { Ledger } from "../../src/services/ledger.js";
import { mergeIncidents, reviewClaim, reviewIncident, unmergeIncident } from "../../src/services/review.js";
import { createToken, revokeToken } from "../../src/services/tokens.js";
import { createUser, setUserRole } from "../../src/services/users.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

export const CLAIMS_CSV =
  "source,source_kind,metric,low,high,qualifier,as_of,country,context\n" +
  "Ministry (synthetic),official,killed,200,250,range,2021-03-01,IR,synthetic context\n" +
  "Wire (synthetic),wire,killed,1500,,about,2021-03-02,IR,synthetic context\n";

export const ARTICLE =
  "Synthetic report. On 3 March 2021, protesters gathered in Isfahan. At least 12 people were killed in Isfahan, " +
  "a field network (synthetic) said.";

export async function populate(ledger: Ledger, n = 40): Promise<void> {
  await importIncidents(ledger, records(incidentsCsv(syntheticIncidents(n))), {
    file: "a.csv",
    actor: "alice",
  });
  await importClaims(ledger, records(CLAIMS_CSV), { file: "claims.csv", actor: "alice" });
  await reviewIncident(ledger, 1, { status: "verified", grade: "fair", note: "checked" }, "rev-1");
  await reviewClaim(ledger, 1, { status: "verified" }, "rev-1");
  await mergeIncidents(ledger, { into: 2, ids: [3, 4] }, "rev-1");
  await mergeIncidents(ledger, { into: 5, ids: [2] }, "rev-1");
  await unmergeIncident(ledger, 3, "rev-1");
  // A changed row on re-import: an update with history.
  const changed = syntheticIncidents(n).map((r, i) => (i === 7 ? { ...r, arrested: "99" } : r));
  await importIncidents(ledger, records(incidentsCsv(changed)), { file: "a2.csv", actor: "alice" });
  const { id } = await createToken(ledger, "script", "reviewer", "admin-1");
  await revokeToken(ledger, id, "admin-1");
  await importArticle(ledger, ARTICLE, {
    actor: "alice",
    origin: "article.txt",
    contentType: "text/plain",
    source: "Daily (synthetic)",
    country: "IR",
  });
  const admin = await createUser(
    ledger,
    { username: "root", role: "admin", password: "correct horse 1" },
    "cli",
  );
  const user = await createUser(
    ledger,
    { username: "rita", role: "reporter", password: "correct horse 2" },
    "cli",
  );
  await setUserRole(ledger, user.id, "reviewer", admin.pseudonym);
}
