import type { Command } from "commander";
import { buildServer } from "../../server/app.js";
import { closeLedger, openLedger } from "../../services/ledger.js";
import { resolveStoreConfig } from "../../store/db.js";
import { getMeta } from "../../store/repositories/meta.js";
import { globalDb } from "../context.js";

export interface ServeOptions {
  port: number;
  host: string;
  dbPath?: string | undefined;
}

/** Starts the server and keeps it up until SIGINT/SIGTERM; shared by `serve` and `demo`. */
export async function serve(options: ServeOptions): Promise<void> {
  const ledger = await openLedger(resolveStoreConfig(process.env, { db: options.dbPath }));
  // A ledger made by `tally demo` says so in its data, and the API says so in every answer.
  const synthetic = (await getMeta(ledger.store.db, "synthetic")) === "true";
  const app = await buildServer({
    ledger,
    logger: { level: process.env.TALLY_LOG_LEVEL ?? "info" },
    synthetic,
  });
  const stop = async () => {
    await app.close();
    await closeLedger(ledger);
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await app.listen({ port: options.port, host: options.host });
  process.stdout.write(
    `Tally is serving ${ledger.store.location} at http://${options.host}:${options.port}/\n`,
  );
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the API and the web app")
    .option("--port <port>", "port", (v) => Number(v), 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action(async (opts: { port: number; host: string }, cmd: Command) => {
      await serve({ port: opts.port, host: opts.host, dbPath: globalDb(cmd) });
    });
}
