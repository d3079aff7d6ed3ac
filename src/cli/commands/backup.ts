import type { Command } from "commander";
import { mediaDir } from "../../services/attachments.js";
import { verifyAudit } from "../../services/audit.js";
import { BackupError, backup, restore } from "../../services/backup.js";
import { CliError, withLedger } from "../context.js";

export function registerBackupCommands(program: Command): void {
  program
    .command("backup")
    .description("write a consistent, portable backup of the ledger and its attachments (safe while serving)")
    .argument("<file>", "archive to write (gzipped NDJSON, e.g. tally-backup.ndjson.gz)")
    .option("--no-media", "leave attachment files out")
    .action(async (file: string, opts: { media: boolean }, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        const m = await backup(ledger, file, opts.media ? mediaDir(ledger) : undefined);
        const rows = Object.values(m.tables).reduce((n, t) => n + t.rows, 0);
        process.stdout.write(
          `backup written to ${file}: ${rows} rows in ${Object.keys(m.tables).length} tables, ${m.media} media files, audit head ${m.head.seq}:${m.head.hash}\n`,
        );
      });
    });
  program
    .command("restore")
    .description(
      "restore a backup into an empty ledger (either backend), rebuild tallies and verify the audit chain",
    )
    .argument("<file>", "archive written by tally backup")
    .action(async (file: string, _opts, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        try {
          const m = await restore(ledger, file, mediaDir(ledger));
          const report = await verifyAudit(ledger);
          if (!report.ok)
            throw new CliError(
              "restored, but the audit chain does not verify",
              1,
              report.problems.map((p) => p.message),
            );
          const rows = Object.values(m.tables).reduce((n, t) => n + t.rows, 0);
          process.stdout.write(
            `restored ${rows} rows and ${m.media} media files from ${file}; audit chain verified at ${report.head.seq}:${report.head.hash}\n`,
          );
        } catch (e) {
          if (e instanceof BackupError) throw new CliError(e.message);
          throw e;
        }
      });
    });
}
