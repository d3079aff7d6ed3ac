/** Ledger commands: init, import, tally, compare. They parse and print; services do the work. */
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform } from "node:stream";
import { Presets, SingleBar } from "cli-progress";
import { type Command, Option } from "commander";
import type { z } from "zod";
import { formatRange } from "../../core/quantity.js";
import { TallyQuery } from "../../core/tally.js";
import type { SourceKind } from "../../core/vocabulary.js";
import { METRICS, SOURCE_KINDS } from "../../core/vocabulary.js";
import { articleFiles, countArticleFiles, importArticleFile } from "../../services/articles.js";
import { ComparisonQuery, compareClaims } from "../../services/comparisons.js";
import { tallyCsv } from "../../services/exports/tally-csv.js";
import { importClaims } from "../../services/import/claims.js";
import { importIncidents } from "../../services/import/incidents.js";
import { FileFormatError, formatFromName, readRecords } from "../../services/import/read-records.js";
import { type ImportOptions, ImportRejected } from "../../services/import/run.js";
import { computeTally } from "../../services/tallies.js";
import { migrate } from "../../store/db.js";
import { CliError, formatTable, printJson, withLedger } from "../context.js";

export function registerLedgerCommands(program: Command): void {
  program
    .command("init")
    .description("create the ledger, or bring its schema up to date")
    .action(async (_opts, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        const applied = await migrate(ledger.store);
        process.stdout.write(
          `ledger ready at ${ledger.store.location}${applied.length ? "" : " (up to date)"}\n`,
        );
      });
    });

  program
    .command("import")
    .description(
      "import incidents or claims (CSV, JSON, NDJSON), or articles (text/HTML files or folders); idempotent",
    )
    .argument("<kind>", "incidents, claims or articles")
    .argument("<file>", "the file to import (articles: a file or a folder)")
    .option("--country <cc>", "articles: the country they are about, for place resolution")
    .option("--published <date>", "articles: publication date when the text has no dateline")
    .option("--format <format>", "csv, json or ndjson (default: from the file name)")
    .option("--source <name>", "source of rows that name none")
    .addOption(new Option("--source-kind <kind>", "kind of that source").choices([...SOURCE_KINDS]))
    .option("--allow-unresolved", "keep rows whose place cannot be resolved, counted at country level")
    .option("--skip-invalid", "import the valid rows and write the rejected ones to a file")
    .option(
      "--rejected <file>",
      "where --skip-invalid writes the rejected rows (default: FILE.rejected.ndjson)",
    )
    .option("--no-progress", "no progress bar")
    .action(async (kind: string, file: string, opts, cmd: Command) => {
      if (kind === "articles") return importArticles(file, opts, cmd);
      if (kind !== "incidents" && kind !== "claims") {
        throw new CliError(`cannot import ${JSON.stringify(kind)}: use incidents, claims or articles`, 2);
      }
      await withLedger(cmd, async (ledger) => {
        const size = statSync(file).size;
        const bar =
          opts.progress && process.stderr.isTTY && size > 1_000_000
            ? new SingleBar(
                { format: "import [{bar}] {percentage}% {value}/{total} bytes" },
                Presets.shades_classic,
              )
            : null;
        let read = 0;
        const counter = new Transform({
          transform(chunk, _enc, done) {
            read += chunk.length;
            bar?.update(read);
            done(null, chunk);
          },
        });
        bar?.start(size, 0);
        const rejectedFile = opts.rejected ?? `${file}.rejected.ndjson`;
        const rejectedOut = opts.skipInvalid ? createWriteStream(rejectedFile) : null;
        const options: ImportOptions = {
          file: basename(file),
          actor: "cli",
          source: opts.source,
          sourceKind: opts.sourceKind,
          allowUnresolved: opts.allowUnresolved,
          skipInvalid: opts.skipInvalid,
          onRejected: (line, record, errors) =>
            rejectedOut?.write(`${JSON.stringify({ line, errors, record })}\n`),
        };
        const records = readRecords(
          createReadStream(file).pipe(counter),
          opts.format ?? formatFromName(file),
        );
        try {
          const report =
            kind === "incidents"
              ? await importIncidents(ledger, records, options)
              : await importClaims(ledger, records, options);
          bar?.stop();
          process.stdout.write(
            `${report.file}: ${report.rows} rows, ${report.inserted} new, ${report.updated} updated, ` +
              `${report.unchanged} unchanged, ${report.rejected} rejected` +
              (report.unresolved ? `, ${report.unresolved} unresolved` : "") +
              "\n",
          );
          if (rejectedOut && report.rejected)
            process.stdout.write(`rejected rows written to ${rejectedFile}\n`);
        } catch (e) {
          bar?.stop();
          if (e instanceof ImportRejected) throw new CliError(e.message, 1, e.lines());
          if (e instanceof FileFormatError) {
            throw new CliError(`${basename(file)}:${e.line ?? "?"}: ${e.message}; nothing was imported`);
          }
          throw e;
        } finally {
          rejectedOut?.end();
        }
      });
    });

  program
    .command("tally")
    .description("sum documented counts by place and period")
    .addOption(new Option("--metric <metric>", "what to count").choices([...METRICS]).makeOptionMandatory())
    .addOption(
      new Option("--by <level>", "place level").choices(["country", "province", "city"]).default("province"),
    )
    .addOption(
      new Option("--period <period>", "period").choices(["total", "day", "week", "month"]).default("total"),
    )
    .option("--from <date>", "first day, YYYY-MM-DD")
    .option("--to <date>", "last day, YYYY-MM-DD")
    .option("--cumulative", "running totals over periods")
    .addOption(
      new Option("--status <status>", "verified, or all (every published incident)").choices([
        "all",
        "verified",
      ]),
    )
    .option(
      "--grade <grade>",
      "a grade, or headline: the documented count (verified, graded confirmed or fair)",
    )
    .option("--type <type>", "incident type")
    .option("--country <cc>", "ISO country code")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action(async (opts, cmd: Command) => {
      const query = parseOptions(TallyQuery, {
        metric: opts.metric,
        by: opts.by,
        period: opts.period,
        from: opts.from,
        to: opts.to,
        cumulative: Boolean(opts.cumulative),
        status: opts.status,
        grade: opts.grade,
        type: opts.type,
        country: opts.country,
      });
      await withLedger(cmd, async (ledger) => {
        const tally = await computeTally(ledger, query);
        if (opts.json) return printJson(tally);
        if (opts.csv) return void process.stdout.write(tallyCsv(tally));
        process.stdout.write(
          formatTable(
            ["place", "province", "country", "period", "low", "high", "incidents"],
            tally.rows.map((r) => [
              r.place.name,
              r.place.province,
              r.place.country,
              r.period,
              r.low,
              r.high,
              r.incidents,
            ]),
          ),
        );
        const t = tally.total;
        process.stdout.write(
          `total ${formatRange(t)} ${query.metric} in ${t.incidents} incidents, ${t.cities} cities, ${t.provinces} provinces\n`,
        );
      });
    });

  program
    .command("compare")
    .description("set claimed figures beside the documented tally")
    .addOption(new Option("--metric <metric>", "metric").choices([...METRICS]).makeOptionMandatory())
    .option("--country <cc>", "ISO country code")
    .option("--context <context>", "e.g. COVID-19")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const query = parseOptions(ComparisonQuery, {
        metric: opts.metric,
        country: opts.country,
        context: opts.context,
      });
      await withLedger(cmd, async (ledger) => {
        const result = await compareClaims(ledger, query);
        if (opts.json) return printJson(result);
        for (const s of result.sources) {
          const agree = s.corroboratedBy.length
            ? ` (agrees with ${s.corroboratedBy.map((c) => c.name).join(", ")})`
            : "";
          process.stdout.write(`\n${s.source.name} [${s.source.kind}]${agree}\n`);
          process.stdout.write(
            formatTable(
              ["as of", "claimed", "qualifier", "documented", "ratio"],
              s.claims.map((c) => [
                c.asOf,
                formatRange(c),
                c.qualifier,
                formatRange(c.documented),
                c.ratio.words,
              ]),
            ),
          );
        }
      });
    });
}

/** Validates command options with the shared schema and reports the first bad option by name. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`--${String(issue?.path[0] ?? "option")}: ${issue?.message ?? "invalid"}`, 2);
  }
  return parsed.data;
}

async function importArticles(path: string, opts: Record<string, unknown>, cmd: Command): Promise<void> {
  await withLedger(cmd, async (ledger) => {
    const total = await countArticleFiles(path);
    const bar =
      opts.progress && process.stderr.isTTY && total > 20
        ? new SingleBar({ format: "articles [{bar}] {value}/{total}" }, Presets.shades_classic)
        : null;
    bar?.start(total, 0);
    let stored = 0;
    let skipped = 0;
    let claims = 0;
    let events = 0;
    let failed = 0;
    for await (const file of articleFiles(path)) {
      try {
        const r = await importArticleFile(ledger, file, {
          source: opts.source as string | undefined,
          sourceKind: opts.sourceKind as SourceKind | undefined,
          country: (opts.country as string | undefined)?.toUpperCase(),
          published: opts.published as string | undefined,
          actor: "cli",
        });
        if (r.skipped) skipped++;
        else {
          stored++;
          claims += r.claims;
          events += r.events;
        }
      } catch (e) {
        // One unreadable article does not stop a folder; it is named, and the exit status says so.
        failed++;
        bar?.stop();
        process.stderr.write(`${file}: ${(e as Error).message}\n`);
      }
      bar?.increment();
    }
    bar?.stop();
    process.stdout.write(
      `${stored} articles stored, ${skipped} already known; ${claims} claims and ${events} events queued for review` +
        (failed ? `; ${failed} failed` : "") +
        "\n",
    );
    if (failed) process.exitCode = 1;
  });
}
