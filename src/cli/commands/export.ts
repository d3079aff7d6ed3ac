import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Command, Option } from "commander";
import { TallyQuery } from "../../core/tally.js";
import { METRICS } from "../../core/vocabulary.js";
import { EXPORT_FORMATS, type ExportFormat, exportLedger } from "../../services/exports/ledger-export.js";
import { tallyCsv } from "../../services/exports/tally-csv.js";
import { computeTally } from "../../services/tallies.js";
import { CliError, withLedger } from "../context.js";
import { parseOptions } from "./ledger.js";

export function registerExportCommands(program: Command): void {
  program
    .command("export")
    .description("write open data: incidents, claims or tallies")
    .argument("<what>", "incidents, claims or tallies")
    .addOption(new Option("--format <format>", "output format").choices([...EXPORT_FORMATS]).default("csv"))
    .option("--out <file>", "write to a file instead of standard output")
    .addOption(new Option("--metric <metric>", "for tallies").choices([...METRICS]))
    .option("--by <level>", "for tallies: country, province or city", "province")
    .option("--period <period>", "for tallies: total, day, week or month", "total")
    .action(async (what: string, opts, cmd: Command) => {
      if (!["incidents", "claims", "tallies"].includes(what)) {
        throw new CliError(`cannot export ${JSON.stringify(what)}: use incidents, claims or tallies`, 2);
      }
      const format = opts.format as ExportFormat;
      await withLedger(cmd, async (ledger) => {
        let chunks: AsyncIterable<string>;
        if (what === "tallies") {
          const query = parseOptions(TallyQuery, { metric: opts.metric, by: opts.by, period: opts.period });
          const tally = await computeTally(ledger, query);
          if (format === "json") chunks = Readable.from([`${JSON.stringify(tally, null, 2)}\n`]);
          else if (format === "csv" || format === "hxl")
            chunks = Readable.from([tallyCsv(tally, format === "hxl")]);
          else throw new CliError("--format: tallies export as csv, hxl or json", 2);
        } else {
          chunks = exportLedger(ledger, what as "incidents" | "claims", format);
        }
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        await pipeline(Readable.from(chunks), out, { end: Boolean(opts.out) });
      });
    });
}
