/**
 * The trust commands as `tally` will run them once main.ts registers them (the registration is the
 * maintainer's); the CLI tests here run this entry point.
 */
import { Command } from "commander";
import { registerAuditCommands } from "../../src/cli/commands/audit.js";
import { registerBackupCommands } from "../../src/cli/commands/backup.js";
import { registerLedgerCommands } from "../../src/cli/commands/ledger.js";
import { registerServeCommand } from "../../src/cli/commands/serve.js";
import { CliError } from "../../src/cli/context.js";

const program = new Command().name("tally").option("--db <path>", "SQLite ledger file");
registerLedgerCommands(program);
registerAuditCommands(program);
registerBackupCommands(program);
registerServeCommand(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CliError) {
    process.stderr.write(`tally: ${err.message}\n`);
    for (const d of err.details) process.stderr.write(`${d}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  process.stderr.write(`tally: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
