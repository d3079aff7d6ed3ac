import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const tally = (args: string[], input?: string) =>
  execFileSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });

describe("tally places resolve", () => {
  it("prints JSON in input order with the match fields", () => {
    const out = JSON.parse(
      tally([
        "places",
        "resolve",
        "Izeh (Khuzestan)",
        "Ghaemshahr",
        "Dezfoul",
        "Kharzenqol",
        "--country",
        "IR",
        "--json",
      ]),
    ) as { mention: string; match: Record<string, unknown> | null; candidates: unknown[] }[];
    expect(out.map((r) => r.mention)).toEqual(["Izeh (Khuzestan)", "Ghaemshahr", "Dezfoul", "Kharzenqol"]);
    expect(out.map((r) => r.match?.province ?? null)).toEqual(["Khuzestan", "Mazandaran", "Khuzestan", null]);
    expect(Object.keys(out[0]?.match ?? {}).sort()).toEqual(
      ["country", "id", "lat", "level", "lon", "name", "population", "precision", "province", "score"].sort(),
    );
    expect(typeof out[1]?.match?.lat).toBe("number");
  });

  it("reads mentions from standard input and prints a table", () => {
    const out = tally(["places", "resolve", "--country", "IR"], "Sarbandar (Mahshahr)\n\nTabriz\n");
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^mention\s+place\s+level\s+province/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/Sarbandar.*near.*Khuzestan/);
    expect(lines[3]).toMatch(/Tabriz.*East Azerbaijan/);
  });

  it("rejects a malformed country code, naming the option", () => {
    let stderr = "";
    try {
      tally(["places", "resolve", "Tabriz", "--country", "Iran"]);
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/--country: expected a two-letter ISO code/);
  });
});
