/**
 * `tally places …`: resolve place mentions against the gazetteer. `places add` and `places alias` (local
 * places kept in the ledger's database) join this group once the store exists.
 */
import type { Command } from "commander";
import type { PlaceMatch, Resolution } from "../../core/place.js";
import { loadGazetteer } from "../../gazetteer/index.js";

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
    .action(async (mentionArgs: string[], flags: ResolveFlags) => {
      const country = flags.country?.trim().toUpperCase();
      if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
        throw new Error(`--country: expected a two-letter ISO code, got "${flags.country}"`);
      }
      const mentions = mentionArgs.length > 0 ? mentionArgs : await readStdinLines();
      const gazetteer = loadGazetteer();
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
}
