/** `tally bulletin` and `tally export-site` through commander, on a small SYNTHETIC SQLite ledger. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, htmlToPdf, registerBulletinCommand } from "../../src/cli/commands/bulletin.js";
import { registerExportSiteCommand } from "../../src/cli/commands/export-site.js";
import { CliError } from "../../src/cli/context.js";
import { buildDemo } from "../../src/services/demo.js";
import { closeLedger, openLedger } from "../../src/services/ledger.js";

describe("bulletin and export-site commands", () => {
  const dir = mkdtempSync(join(tmpdir(), "tally-bulletin-"));
  const db = join(dir, "demo.db");

  async function run(...args: string[]): Promise<void> {
    const program = new Command().option("--db <path>").exitOverride();
    registerBulletinCommand(program);
    registerExportSiteCommand(program);
    await program.parseAsync(["node", "tally", "--db", db, ...args]);
  }

  beforeAll(async () => {
    const ledger = await openLedger({ dbPath: db });
    await buildDemo(ledger, { incidents: 400, days: 20 });
    await closeLedger(ledger);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes Markdown and HTML bulletins to a file, for the last day by default", async () => {
    const md = join(dir, "b.md");
    await run("bulletin", "--out", md);
    const text = readFileSync(md, "utf8");
    expect(text).toMatch(/^# Daily bulletin — /);
    expect(text).toContain("## Method");
    const html = join(dir, "b.html");
    await run("bulletin", "--format", "html", "--lang", "fa", "--date", "2025-09-20", "--out", html);
    expect(readFileSync(html, "utf8")).toContain('<html lang="fa" dir="rtl">');
  });

  it("refuses a day that is not a calendar day, naming the option", async () => {
    await expect(run("bulletin", "--date", "2025-02-30")).rejects.toThrow(CliError);
    await expect(run("bulletin", "--date", "2025-02-30")).rejects.toThrow(/--date/);
  });

  it.skipIf(!existsSync(CHROMIUM))("prints a PDF with Chromium", async () => {
    const out = join(dir, "b.pdf");
    await run("bulletin", "--format", "pdf", "--out", out);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(5000);
  });

  it("says clearly when there is no Chromium for a PDF", async () => {
    await expect(htmlToPdf("<p>x</p>", join(dir, "no-chromium"))).rejects.toThrow(
      /needs Chromium at .*no-chromium/,
    );
  });

  it("exports the site into an empty folder only, unless forced", async () => {
    const site = join(dir, "site");
    await run("export-site", site, "--days", "2");
    expect(existsSync(join(site, "index.html"))).toBe(true);
    expect(existsSync(join(site, "index.fa.html"))).toBe(true);
    expect(existsSync(join(site, "data", "headline.json"))).toBe(true);
    await expect(run("export-site", site)).rejects.toThrow(/not empty/);
    writeFileSync(join(site, "extra.txt"), "x");
    await run("export-site", site, "--days", "0", "--force");
    await expect(run("export-site", join(dir, "s2"), "--base-url", "ftp://x")).rejects.toThrow(/--base-url/);
  });
});
