/**
 * `tally extract FILE [--country CC] [--published YYYY-MM-DD] [--json]`: runs the extraction on one article and
 * prints what it found. Stateless: nothing is stored (`tally import articles` stores and queues).
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Command } from "commander";
import { formatRange } from "../../core/quantity.js";
import { extractArticle } from "../../extraction/index.js";
import type { Extraction, PlaceResolver } from "../../extraction/types.js";
import { loadGazetteer } from "../../gazetteer/index.js";

interface ExtractFlags {
  country?: string;
  published?: string;
  json?: boolean;
}

export function registerExtractCommands(program: Command): void {
  program
    .command("extract")
    .description("extract claims, events, places and the article's date from an article (HTML or plain text)")
    .argument("<file>", "the article, UTF-8 text or HTML")
    .option("--country <cc>", "ISO 3166-1 alpha-2 code of the article's country, used to resolve places")
    .option("--published <date>", "publication date (YYYY-MM-DD), used when the article has no dateline")
    .option("--json", "print the result as JSON")
    .action(async (file: string, flags: ExtractFlags) => {
      const options = parseFlags(flags);
      const bytes = await readFile(file);
      const input = decodeUtf8(bytes, file);
      const contentType = /^\.html?$/i.test(extname(file)) ? "text/html" : undefined;
      const gazetteer = loadResolver();
      const result = extractArticle(input, {
        ...options,
        ...(contentType ? { contentType } : {}),
        ...(gazetteer ? { gazetteer } : {}),
      });
      if (flags.json) {
        const { text: _text, ...rest } = result;
        process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
      } else process.stdout.write(formatExtraction(result));
    });
}

function parseFlags(flags: ExtractFlags): { country?: string; published?: string } {
  const out: { country?: string; published?: string } = {};
  if (flags.country !== undefined) {
    if (!/^[A-Za-z]{2}$/.test(flags.country))
      throw new Error(
        `--country: expected an ISO 3166-1 alpha-2 code such as IR, got ${JSON.stringify(flags.country)}`,
      );
    out.country = flags.country.toUpperCase();
  }
  if (flags.published !== undefined) {
    const d = new Date(`${flags.published}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(flags.published) ||
      Number.isNaN(d.getTime()) ||
      d.toISOString().slice(0, 10) !== flags.published
    )
      throw new Error(`--published: expected a date YYYY-MM-DD, got ${JSON.stringify(flags.published)}`);
    out.published = flags.published;
  }
  return out;
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file}: not valid UTF-8`);
  }
}

/** The gazetteer, when it has been built; without it places are listed unresolved (countries excepted). */
function loadResolver(): PlaceResolver | null {
  try {
    return loadGazetteer();
  } catch (err) {
    process.stderr.write(
      `tally extract: places will not be resolved: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return null;
  }
}

export function formatExtraction(x: Extraction): string {
  const lines: string[] = [];
  lines.push(`title:     ${x.title ?? "-"}`);
  lines.push(
    `published: ${x.published ?? "unknown"}${x.publishedFrom ? ` (from the ${x.publishedFrom})` : ""}`,
  );
  lines.push("");
  lines.push(`claims (${x.claims.length})`);
  for (const c of x.claims) {
    const figure = x.text.slice(c.figureSpan[0], c.figureSpan[1]);
    const range = formatRange({ low: c.low, high: c.high });
    const when = [
      c.asOf ? `as of ${c.asOf}` : null,
      c.period ? `period ${c.period.from}..${c.period.to}` : null,
    ]
      .filter(Boolean)
      .join(", ");
    const source = c.source ? `${c.source.name} (${c.source.kind})` : "no source";
    lines.push(`  ${c.metric.padEnd(12)} ${range.padEnd(14)} ${c.qualifier.padEnd(9)} "${figure}"`);
    lines.push(
      `      ${source}${when ? `; ${when}` : ""}${c.places.length ? `; in ${c.places.join(", ")}` : ""}`,
    );
    const scope = [
      c.scope.cities ? `${c.scope.cities} cities` : null,
      c.scope.provinces ? `${c.scope.provinces} provinces` : null,
    ]
      .filter(Boolean)
      .join(", ");
    if (scope) lines.push(`      scope: ${scope}`);
    lines.push(`      [${c.span[0]}, ${c.span[1]}] ${oneLine(c.text, 100)}`);
  }
  lines.push("");
  lines.push(`events (${x.events.length})`);
  for (const e of x.events) {
    const date = e.dateEnd ? `${e.date}..${e.dateEnd}` : (e.date ?? "undated");
    lines.push(
      `  ${e.type.padEnd(26)} ${date}${e.count !== null ? `, ${e.count} incidents` : ""}${e.places.length ? `; in ${e.places.join(", ")}` : ""}`,
    );
    lines.push(`      [${e.span[0]}, ${e.span[1]}] ${oneLine(e.text, 100)}`);
  }
  lines.push("");
  lines.push(`places (${x.places.length})`);
  for (const p of x.places) {
    const where = p.id
      ? `${p.name} (${p.level}${p.province ? `, ${p.province}` : ""}, ${p.country})`
      : "unresolved";
    lines.push(`  ${p.mention.padEnd(24)} ${where}`);
  }
  return `${lines.join("\n")}\n`;
}

function oneLine(s: string, max: number): string {
  const t = s
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
