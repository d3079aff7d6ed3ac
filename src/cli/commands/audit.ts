import type { Command } from "commander";
import { mediaDir } from "../../services/attachments.js";
import { auditHead, parseHead, verifyAudit } from "../../services/audit.js";
import { CliError, printJson, withLedger } from "../context.js";

export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the tamper-evident audit log");
  audit
    .command("head")
    .description("print the chain head (SEQ:HASH) for publication, e.g. in a bulletin")
    .option("--json", "print seq, hash and time as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        const head = await auditHead(ledger);
        if (opts.json) printJson(head);
        else process.stdout.write(`${head.seq}:${head.hash}\n`);
      });
    });
  audit
    .command("verify")
    .description(
      "check the chain, every row's seal and the tally cells; exits 1 naming what was tampered with",
    )
    .option("--expect <head>", "a head published earlier (SEQ:HASH) that must still be in the chain")
    .option("--json", "print the report as JSON")
    .action(async (opts: { expect?: string; json?: boolean }, cmd: Command) => {
      const expect = opts.expect === undefined ? undefined : parseHead(opts.expect);
      if (expect === null) throw new CliError("--expect: give the head as SEQ:HASH (64 hex digits)", 2);
      await withLedger(cmd, async (ledger) => {
        const report = await verifyAudit(ledger, { expect, mediaDir: mediaDir(ledger) });
        if (opts.json) printJson(report);
        else if (report.ok)
          process.stdout.write(
            `audit chain verified: ${report.entries} entries, ${report.rows} rows, head ${report.head.seq}:${report.head.hash}\n`,
          );
        if (!report.ok) {
          throw new CliError(
            `audit verification failed: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`,
            1,
            report.problems.map((p) => (p.seq !== undefined ? `entry ${p.seq}: ${p.message}` : p.message)),
          );
        }
      });
    });
}
