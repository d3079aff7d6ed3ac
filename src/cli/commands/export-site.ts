/** `tally export-site DIR`: the dashboard as static files (HTML, JSON and CSV) for any web server or CDN. */
import { existsSync, readdirSync } from "node:fs";
import type { Command } from "commander";
import { exportSite } from "../../services/site.js";
import { getMeta } from "../../store/repositories/meta.js";
import { CliError, withLedger } from "../context.js";

export function registerExportSiteCommand(program: Command): void {
  program
    .command("export-site")
    .description("write the public dashboard as static files (HTML, JSON and CSV snapshots) into DIR")
    .argument("<dir>", "output folder (created; must be empty unless --force)")
    .option("--days <n>", "daily bulletins to include, counting back from the last day", (v) => Number(v), 14)
    .option("--base-url <url>", "absolute URL the site will be served from (for the Atom feed's links)")
    .option("--force", "write into a folder that is not empty")
    .action(async (dir: string, opts: { days: number; baseUrl?: string; force?: boolean }, cmd: Command) => {
      if (!Number.isInteger(opts.days) || opts.days < 0 || opts.days > 3660) {
        throw new CliError("--days: give a whole number of days from 0 to 3660", 2);
      }
      if (opts.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(opts.baseUrl)) {
        throw new CliError(`--base-url: ${JSON.stringify(opts.baseUrl)} is not an http(s) URL`, 2);
      }
      if (existsSync(dir) && readdirSync(dir).length > 0 && !opts.force) {
        throw new CliError(`${dir} is not empty: choose an empty folder or pass --force`, 2);
      }
      await withLedger(cmd, async (ledger) => {
        const synthetic = (await getMeta(ledger.store.db, "synthetic")) === "true";
        const report = await exportSite(ledger, dir, {
          synthetic,
          bulletinDays: opts.days,
          baseUrl: opts.baseUrl?.replace(/\/+$/, ""),
          onProgress: (what) => process.stderr.isTTY && process.stderr.write(`\r${what.padEnd(40)}`),
        });
        if (process.stderr.isTTY) process.stderr.write("\r".padEnd(42));
        process.stdout.write(
          `${report.files} files (${(report.bytes / 1e6).toFixed(1)} MB) in ${dir}: ${report.metrics.length} metrics, ${report.bulletins} bulletins; open ${dir}/index.html\n`,
        );
      });
    });
}
