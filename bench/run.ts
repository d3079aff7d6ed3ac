/**
 * `npm run bench`: runs every benchmark in its own process (so that one's memory and JIT state do not colour
 * another's), in sequence, and prints what each reports. `npm run bench -- ledger` runs only the ones named.
 * Each benchmark prints its figures as ratios to a baseline measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ALL = ["gazetteer", "ledger", "extract", "estimation", "web", "dashboard", "load"];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : ALL;
let failed = 0;
for (const name of names) {
  const file = join("bench", `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark ${file}`);
    if (wanted.length) failed++;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", file], { stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`bench: ${name} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
