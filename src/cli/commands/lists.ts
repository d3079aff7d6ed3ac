/** `tally lists …` and `tally estimate`: named-victim lists, their linkage, and estimates of the total. */
import { createReadStream, readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { csvLine } from "../../core/csv.js";
import {
  type EstimateJson,
  type EstimateResult,
  estimate,
  estimateStrata,
  HistoriesCsvError,
  type ModelJson,
  parseHistoriesCsv,
  type StrataResult,
  strataToJson,
  toJson,
} from "../../core/estimation/index.js";
import { ImportRejected } from "../../services/import/run.js";
import { estimateFromLedger, importVictimList, LinkageNeeded, linkLists } from "../../services/lists.js";
import { CliError, formatTable, printJson, withLedger } from "../context.js";

export function registerListCommands(program: Command): void {
  const lists = program.command("lists").description("named-victim lists: import and link them");
  lists
    .command("import")
    .description("import a list (CSV: list_id,name,name_fa,age,sex,date,place,notes; extra columns are kept)")
    .argument("<file>", "the CSV file")
    .requiredOption("--list <name>", "the list's name, e.g. the organisation that keeps it")
    .action(async (file: string, opts: { list: string }, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        try {
          const r = await importVictimList(ledger, createReadStream(file), {
            list: opts.list,
            file: basename(file),
          });
          process.stdout.write(
            `${r.list}: ${r.rows} records, ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged\n`,
          );
        } catch (e) {
          if (e instanceof ImportRejected) throw new CliError(e.message, 1, e.lines());
          throw e;
        }
      });
    });
  lists
    .command("link")
    .description("link records across and within the lists (Fellegi–Sunter, fitted by EM)")
    .option("--json", 'print {"entities":[{"id","records":[{"list","list_id"}]}],"pairs_reviewed":N}')
    .option("--threshold <p>", "match probability at which records are linked", Number)
    .action(async (opts: { json?: boolean; threshold?: number }, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        const r = await linkLists(
          ledger,
          "cli",
          opts.threshold === undefined ? {} : { threshold: opts.threshold },
        );
        if (opts.json) return printJson({ entities: r.entities, pairs_reviewed: r.pairs_reviewed });
        const records = r.entities.reduce((a, e) => a + e.records.length, 0);
        process.stdout.write(
          `${records} records are ${r.entities.length} people; ${r.pairs_reviewed} candidate pairs compared; ` +
            `${r.review.length} uncertain pairs wait for review\n`,
        );
      });
    });

  program
    .command("estimate")
    .description("estimate the total, documented and undocumented, from the overlap of the lists")
    .option("--histories <file>", "capture histories: one 0/1 column per list and a count column")
    .option("--stratify <column>", "estimate per stratum (a column) and add up")
    .option("--models <which>", "all: print every model fitted", "selected")
    .option("--lcmcr", "also fit the Bayesian latent-class model (LCMCR)")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action(async (opts, cmd: Command) => {
      const options = {
        models: opts.models === "all" ? ("all" as const) : ("selected" as const),
        lcmcr: Boolean(opts.lcmcr),
      };
      let single: EstimateResult | null = null;
      let strata: StrataResult | null = null;
      let note = "";
      if (opts.histories) {
        try {
          const text = readFileSync(opts.histories, "utf8");
          if (opts.stratify)
            strata = estimateStrata(parseHistoriesCsv(text, { stratify: opts.stratify }), options);
          else single = estimate(parseHistoriesCsv(text), options);
        } catch (e) {
          if (e instanceof HistoriesCsvError)
            throw new CliError(`${basename(opts.histories)}:${e.message}`, 1);
          throw e;
        }
      } else {
        await withLedger(cmd, async (ledger) => {
          try {
            const r = await estimateFromLedger(ledger, { ...options, stratify: opts.stratify });
            single = r.result;
            strata = r.strata;
            note = `${r.records} records on the lists are ${r.documented} documented people (linkage of ${r.linkedAt ?? "never"})`;
          } catch (e) {
            if (e instanceof LinkageNeeded) throw new CliError(e.message, 1);
            throw e;
          }
        });
      }
      printEstimate(single, strata, opts, note);
    });
}

function printEstimate(
  single: EstimateResult | null,
  strata: StrataResult | null,
  opts: { json?: boolean; csv?: boolean },
  note: string,
): void {
  if (opts.json) {
    printJson(single ? toJson(single) : strataToJson(strata as StrataResult));
    return;
  }
  const groups: { stratum: string | null; json: EstimateJson }[] = single
    ? [{ stratum: null, json: toJson(single) }]
    : (strata as StrataResult).strata.map((s) => ({ stratum: s.stratum, json: toJson(s.result) }));
  if (opts.csv) {
    let out = csvLine([
      "stratum",
      "model",
      "terms",
      "estimate",
      "se",
      "ci_low",
      "ci_high",
      "deviance",
      "df",
      "aic",
      "bic",
      "selected",
    ]);
    for (const g of groups) {
      for (const m of g.json.models) {
        out += csvLine([
          g.stratum,
          m.name,
          m.terms.join(" "),
          m.estimate,
          m.se,
          m.ci95[0],
          m.ci95[1],
          m.deviance,
          m.df,
          m.aic,
          m.bic,
          m.name === g.json.selected?.name,
        ]);
      }
    }
    return void process.stdout.write(out);
  }
  if (note) process.stdout.write(`${note}\n`);
  const round = (x: number | null) => (x === null ? "—" : Math.round(x).toLocaleString("en"));
  const fixed = (x: number | null) => (x === null ? "—" : x.toFixed(1));
  for (const g of groups) {
    process.stdout.write(
      `\n${g.stratum === null ? "" : `stratum ${g.stratum}: `}${g.json.observed} people observed on ${g.json.lists.join(", ")}\n`,
    );
    process.stdout.write(
      formatTable(
        ["model", "estimate", "SE", "95% interval", "deviance", "df", "AIC", "BIC", ""],
        g.json.models.map((m: ModelJson) => [
          m.name,
          round(m.estimate),
          round(m.se),
          `${round(m.ci95[0])} to ${m.ci95[1] === null ? "unbounded" : round(m.ci95[1])}`,
          fixed(m.deviance),
          m.df,
          fixed(m.aic),
          fixed(m.bic),
          m.name === g.json.selected?.name ? "selected (AIC)" : "",
        ]),
      ),
    );
  }
  if (strata) {
    const t = (strata as StrataResult).total;
    process.stdout.write(
      `\ntotal over strata: ${round(t.estimate)} (SE ${round(t.se)}, 95% ${round(t.ci95[0])} to ${round(t.ci95[1])})` +
        (t.missing.length ? `; no estimate for ${t.missing.join(", ")}` : "") +
        "\n",
    );
  }
}
