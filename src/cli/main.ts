/**
 * The `tally` command. Each command lives in its own module under commands/ and only parses
 * arguments and formats results: the work is done by services.
 */
import { Command } from "commander";
import { registerAuditCommands } from "./commands/audit.js";
import { registerBackupCommands } from "./commands/backup.js";
import { registerBulletinCommand } from "./commands/bulletin.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerExportCommands } from "./commands/export.js";
import { registerExportSiteCommand } from "./commands/export-site.js";
import { registerExtractCommands } from "./commands/extract.js";
import { registerLedgerCommands } from "./commands/ledger.js";
import { registerListCommands } from "./commands/lists.js";
import { registerPlacesCommands } from "./commands/places.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerTokenCommands } from "./commands/tokens.js";
import { registerUserCommands } from "./commands/users.js";
import { CliError } from "./context.js";

const program = new Command()
  .name("tally")
  .description(
    "Document incidents, count them by place and time, and compare the counts with claimed figures.",
  )
  .option(
    "--db <path>",
    "SQLite ledger file (default: $TALLY_DB or ./tally.db; DATABASE_URL selects PostgreSQL)",
  )
  .showHelpAfterError();

registerLedgerCommands(program);
registerPlacesCommands(program);
registerExportCommands(program);
registerTokenCommands(program);
registerUserCommands(program);
registerExtractCommands(program);
registerListCommands(program);
registerBulletinCommand(program);
registerExportSiteCommand(program);
registerAuditCommands(program);
registerBackupCommands(program);
registerServeCommand(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CliError) {
    process.stderr.write(`tally: ${err.message}\n`);
    for (const d of err.details) process.stderr.write(`${d}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT" && e.path) {
    process.stderr.write(`tally: no such file: ${e.path}\n`);
  } else {
    process.stderr.write(`tally: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
});
