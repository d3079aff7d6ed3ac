import { existsSync } from "node:fs";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { buildDemo } from "../../services/demo.js";
import { closeLedger, openLedger } from "../../services/ledger.js";
import { resolveStoreConfig } from "../../store/db.js";
import { getMeta } from "../../store/repositories/meta.js";
import { globalDb } from "../context.js";
import { serve } from "./serve.js";

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("create a SYNTHETIC demo ledger (if absent) and serve it")
    .option("--port <port>", "port", (v) => Number(v), 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--no-serve", "only create the demo ledger")
    .action(async (opts: { port: number; host: string; serve: boolean }, cmd: Command) => {
      const dbPath = globalDb(cmd) ?? (process.env.DATABASE_URL ? undefined : "tally-demo.db");
      const config = resolveStoreConfig(process.env, { db: dbPath });
      const fresh = !config.databaseUrl && dbPath !== undefined && !existsSync(dbPath);
      const ledger = await openLedger(config);
      try {
        if (fresh || (await getMeta(ledger.store.db, "synthetic")) !== "true") {
          const bar = process.stderr.isTTY
            ? new SingleBar({ format: "demo [{bar}] {value}/{total} incidents" }, Presets.shades_classic)
            : null;
          bar?.start(6000, 0);
          const report = await buildDemo(ledger, { onProgress: (n) => bar?.update(n) });
          bar?.stop();
          process.stdout.write(
            `SYNTHETIC demo ledger: ${report.incidents.inserted} incidents in ${report.cities} cities of ${report.provinces} provinces, ` +
              `${report.claims.inserted} claims (${ledger.store.location})\n`,
          );
        }
      } finally {
        await closeLedger(ledger);
      }
      if (opts.serve) await serve({ port: opts.port, host: opts.host, dbPath });
    });
}
