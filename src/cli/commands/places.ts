/**
 * `tally places …`: resolve place mentions against the gazetteer, and add the places and spellings GeoNames
 * lacks (kept in the ledger's database, and checked before GeoNames).
 */
import { existsSync } from "node:fs";
import { type Command, Option } from "commander";
import { ZodError } from "zod";
import type { PlaceMatch, Resolution } from "../../core/place.js";
import { PLACE_LEVELS } from "../../core/vocabulary.js";
import { loadGazetteer } from "../../gazetteer/index.js";
import { addAlias, addLocalPlace, PlaceNotFound } from "../../services/places.js";
import { resolveStoreConfig } from "../../store/db.js";
import { CliError, globalDb, withLedger } from "../context.js";

interface ResolveFlags {
  country?: string;
  json?: boolean;
  list?: boolean;
}

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString("utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function jsonMatch(m: PlaceMatch | null) {
  if (!m) return null;
  const out: Record<string, unknown> = {
    id: m.id,
    name: m.name,
    level: m.level,
    province: m.province,
    country: m.country,
    lat: m.lat,
    lon: m.lon,
    population: m.population,
    precision: m.precision,
    score: m.score,
  };
  if (m.flagged) out.flagged = true;
  return out;
}

function table(results: readonly Resolution[]): string {
  const header = ["mention", "place", "level", "province", "country", "lat,lon", "precision", "score"];
  const rows = results.map((r) => {
    const m = r.match;
    if (!m) {
      const nearest = r.candidates
        .slice(0, 3)
        .map((c) => `${c.name} (${c.province ?? c.country})`)
        .join(", ");
      return [r.mention, nearest ? `? ${nearest}` : "?", "", "", "", "", "", ""];
    }
    return [
      r.mention,
      m.flagged ? `${m.name} (near, to review)` : m.name,
      m.level,
      m.province ?? "",
      m.country,
      `${m.lat.toFixed(4)},${m.lon.toFixed(4)}`,
      m.precision,
      m.score.toFixed(3),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - [...c].length)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function registerPlacesCommands(program: Command): void {
  const places = program.command("places").description("Resolve and manage places in the gazetteer");

  places
    .command("resolve")
    .description("Resolve place mentions (or one mention per line of standard input) to gazetteer places")
    .argument("[mention...]", 'place mentions as written, e.g. "Izeh (Khuzestan)"')
    .option("--country <cc>", "ISO 3166-1 alpha-2 code of the country the mentions are expected in")
    .option("--list", "treat the mentions as one list: each is resolved in the context of the others")
    .option("--json", "print a JSON array in input order")
    .action(async (mentionArgs: string[], flags: ResolveFlags, cmd: Command) => {
      const country = flags.country?.trim().toUpperCase();
      if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
        throw new Error(`--country: expected a two-letter ISO code, got "${flags.country}"`);
      }
      const mentions = mentionArgs.length > 0 ? mentionArgs : await readStdinLines();
      // The ledger's own places and spellings count too, when there is a ledger; resolving never creates one.
      const gazetteer = ledgerExists(cmd) ? await withLedger(cmd, async (l) => l.gazetteer) : loadGazetteer();
      const results = mentions.map((mention) =>
        gazetteer.resolve(mention, { country, context: flags.list ? mentions : undefined }),
      );
      if (flags.json) {
        const out = results.map((r) => ({
          mention: r.mention,
          match: jsonMatch(r.match),
          candidates: r.candidates.map(jsonMatch),
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        process.stdout.write(`${table(results)}\n`);
      }
    });

  places
    .command("add")
    .description(
      "add a place GeoNames lacks (a village, a neighbourhood), placed in a known county, city or province",
    )
    .argument("<name>", "the place's name as it is usually written")
    .requiredOption("--in <qualifier>", 'where it is: "Karaj", "Gilan", "Mahshahr (Khuzestan)"')
    .option("--country <cc>", "ISO code of the country, to resolve --in")
    .option("--lat <lat>", "latitude (default: the qualifier's)", Number)
    .option("--lon <lon>", "longitude", Number)
    .addOption(new Option("--level <level>", "place level").choices([...PLACE_LEVELS]).default("locality"))
    .option("--alias <name...>", "other spellings")
    .action(async (name: string, opts, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        try {
          const p = await addLocalPlace(ledger, {
            name,
            in: opts.in,
            country: opts.country,
            lat: opts.lat,
            lon: opts.lon,
            level: opts.level,
            alternateNames: opts.alias ?? [],
          });
          process.stdout.write(
            `added ${p.id}: ${p.name} (${p.level}) in ${p.province ?? p.country}, ${p.lat},${p.lon}\n`,
          );
        } catch (e) {
          if (e instanceof PlaceNotFound) throw new CliError(`--${e.field}: ${e.message}`, 1);
          if (e instanceof ZodError)
            throw new CliError(e.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("; "), 2);
          throw e;
        }
      });
    });

  places
    .command("alias")
    .description("add a spelling for a known place")
    .argument("<alias>", 'the spelling, e.g. "Khoramshahr"')
    .argument("<place>", "the place: a gazetteer id or a name the resolver knows")
    .option("--country <cc>", "ISO code of the country, to resolve the place")
    .action(async (alias: string, place: string, opts, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        try {
          const p = await addAlias(ledger, alias, place, opts.country?.toUpperCase());
          process.stdout.write(
            `"${alias}" now resolves to ${p.name} (${p.id}, ${p.province ?? p.country})\n`,
          );
        } catch (e) {
          if (e instanceof PlaceNotFound) throw new CliError(`${e.field}: ${e.message}`, 1);
          throw e;
        }
      });
    });
}

function ledgerExists(cmd: Command): boolean {
  const config = resolveStoreConfig(process.env, { db: globalDb(cmd) });
  return Boolean(config.databaseUrl) || existsSync(config.dbPath ?? "tally.db");
}
