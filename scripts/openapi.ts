/**
 * Writes docs/openapi.json from the running API's own description, which is generated from the zod schemas
 * that validate each route: `npm run docs:openapi`. A test checks that the committed file is current.
 */
import { writeFileSync } from "node:fs";
import { buildServer } from "../src/server/app.js";
import { closeLedger, openLedger } from "../src/services/ledger.js";

export async function openApiDocument(): Promise<string> {
  const ledger = await openLedger({ dbPath: ":memory:" });
  try {
    const app = await buildServer({ ledger });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return `${JSON.stringify(doc, null, 2)}\n`;
  } finally {
    await closeLedger(ledger);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync("docs/openapi.json", await openApiDocument());
  console.log("wrote docs/openapi.json");
}
