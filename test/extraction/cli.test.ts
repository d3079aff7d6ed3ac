import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerExtractCommands } from "../../src/cli/commands/extract.js";

const ARTICLE = `Police detain 40 in Dezful

Iran, May 6, 2021—Security forces detained at least 40 people in Dezful on Tuesday night, the Nightwatch network said.
`;

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const program = new Command().exitOverride();
  registerExtractCommands(program);
  try {
    await program.parseAsync(["node", "tally", "extract", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join("");
}

function articleFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tally-extract-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("tally extract", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints the issue's JSON shape with --json", async () => {
    const json = JSON.parse(await run([articleFile("a.txt", ARTICLE), "--country", "ir", "--json"]));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["published", "title", "claims", "events", "places"]),
    );
    expect(json.published).toBe("2021-05-06");
    expect(json.title).toBe("Police detain 40 in Dezful");
    const claim = json.claims.find(
      (c: { low: number; qualifier: string }) => c.low === 40 && c.qualifier === "at_least",
    );
    expect(claim).toMatchObject({
      metric: "detained",
      high: null,
      source: { name: "Nightwatch", kind: "network" },
    });
    expect(ARTICLE.slice(claim.span[0], claim.span[1])).toBe(claim.text);
    expect(json.events[0]).toMatchObject({ type: "arrests", date: "2021-05-04" });
  });

  it("prints a readable summary without --json", async () => {
    const text = await run([articleFile("a.txt", ARTICLE), "--country", "IR"]);
    expect(text).toContain("published: 2021-05-06 (from the dateline)");
    expect(text).toMatch(/detained\s+40\+\s+at_least\s+"at least 40"/);
    expect(text).toContain("Nightwatch (network)");
  });

  it("names the option in error when a flag is malformed", async () => {
    const file = articleFile("a.txt", ARTICLE);
    await expect(run([file, "--published", "2021-13-01"])).rejects.toThrow(/--published/);
    await expect(run([file, "--country", "Iran"])).rejects.toThrow(/--country/);
  });

  it("rejects a file that is not UTF-8, naming it", async () => {
    const file = articleFile("bad.txt", "");
    writeFileSync(file, Buffer.from([0x66, 0xff, 0xfe, 0x41]));
    await expect(run([file])).rejects.toThrow(/bad\.txt: not valid UTF-8/);
  });
});
