/** `tally bulletin`: the day's bulletin from the ledger alone, as Markdown, HTML or PDF, in English or Persian. */
import { existsSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { isLang, type Lang } from "../../core/locale.js";
import {
  bulletinFor,
  isCalendarDay,
  renderBulletinHtml,
  renderBulletinMarkdown,
} from "../../services/bulletins.js";
import { cachedHeadline } from "../../services/dashboard.js";
import { getMeta } from "../../store/repositories/meta.js";
import { CliError, withLedger } from "../context.js";

export const CHROMIUM = "/usr/bin/chromium";

/** Prints HTML to PDF with the installed Chromium (playwright-core drives it; nothing is downloaded). */
export async function htmlToPdf(html: string, chromiumPath = CHROMIUM): Promise<Buffer> {
  if (!existsSync(chromiumPath)) {
    throw new CliError(
      `--format pdf needs Chromium at ${chromiumPath} (apt-get install chromium); use --format html and print it instead`,
      2,
    );
  }
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    throw new CliError("--format pdf needs the playwright-core package (npm install playwright-core)", 2);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  try {
    const page = await browser.newPage();
    // The bulletin is self-contained (inline style and SVG): nothing to fetch, so no network is needed.
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" },
    });
  } finally {
    await browser.close();
  }
}

export function registerBulletinCommand(program: Command): void {
  program
    .command("bulletin")
    .description(
      "write the day's bulletin: headline figures, changes, the day's claims, a chart and the method",
    )
    .option("--date <day>", "the day (YYYY-MM-DD); default: the last day with data")
    .addOption(new Option("--format <format>", "output format").choices(["md", "html", "pdf"]).default("md"))
    .addOption(new Option("--lang <lang>", "language").choices(["en", "fa"]).default("en"))
    .option("--out <file>", "write to a file (required for pdf unless standard output is redirected)")
    .action(
      async (
        opts: { date?: string; format: "md" | "html" | "pdf"; lang: string; out?: string },
        cmd: Command,
      ) => {
        if (opts.date !== undefined && !isCalendarDay(opts.date)) {
          throw new CliError(`--date: ${JSON.stringify(opts.date)} is not a date YYYY-MM-DD`, 2);
        }
        const lang: Lang = isLang(opts.lang) ? opts.lang : "en";
        await withLedger(cmd, async (ledger) => {
          const date = opts.date ?? (await cachedHeadline(ledger)).lastDate;
          if (!date)
            throw new CliError(
              "the ledger has no incidents yet: there is nothing to write a bulletin about",
              1,
            );
          const synthetic = (await getMeta(ledger.store.db, "synthetic")) === "true";
          const b = await bulletinFor(ledger, date, { synthetic });
          if (!b) throw new CliError(`no bulletin for ${date}: the ledger has no data up to that day`, 1);
          if (opts.format === "md") return write(renderBulletinMarkdown(b, lang), opts.out);
          const html = renderBulletinHtml(b, lang);
          if (opts.format === "html") return write(html, opts.out);
          if (!opts.out && process.stdout.isTTY)
            throw new CliError("--format pdf: give --out FILE (a PDF is not for the terminal)", 2);
          return write(await htmlToPdf(html), opts.out);
        });
      },
    );
}

function write(data: string | Buffer, out: string | undefined): void {
  if (out) writeFileSync(out, data);
  else process.stdout.write(data);
}
