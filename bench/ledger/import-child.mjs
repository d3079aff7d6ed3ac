/**
 * One measured import, in its own process so that its peak memory is its own: prints
 * {"rows","inserted","ms","rowsPerSecond","maxRssMB","cpuMs","loadMs"} as JSON. It runs what `tally import`
 * runs: the compiled build (dist/) under the node flags of bin/tally.js (bench/ledger.ts starts it so). The
 * store comes from DATABASE_URL/TALLY_PG_SCHEMA or TALLY_DB, exactly as for the CLI.
 */
import { createReadStream } from "node:fs";
import { importIncidents } from "../../dist/services/import/incidents.js";
import { readRecords } from "../../dist/services/import/read-records.js";
import { closeLedger, openLedger } from "../../dist/services/ledger.js";
import { resolveStoreConfig } from "../../dist/store/db.js";

const file = process.argv[2];
const t0 = performance.now();
const ledger = await openLedger(resolveStoreConfig(process.env));
const loadMs = performance.now() - t0;
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const report = await importIncidents(ledger, readRecords(createReadStream(file), "csv"), {
  file,
  actor: "bench",
});
const ms = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);
await closeLedger(ledger);
console.log(
  JSON.stringify({
    rows: report.rows,
    inserted: report.inserted,
    ms: Math.round(ms),
    rowsPerSecond: Math.round(report.rows / (ms / 1000)),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    // CPU time of this process (user + system): steadier than wall time on a busy machine.
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    loadMs: Math.round(loadMs),
  }),
);
