/**
 * Accuracy on the hand-written fixture of Iranian mentions (test/fixtures/places/iran-mentions.tsv):
 * variants, parenthetical forms, province names, shared names with context and unknown names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadGazetteer } from "../../src/gazetteer/index.js";

interface Row {
  line: number;
  mention: string;
  province: string;
  precision: string;
  context: string[];
  note: string;
}

function readFixture(): Row[] {
  const file = join(import.meta.dirname, "../fixtures/places/iran-mentions.tsv");
  const lines = readFileSync(file, "utf8").split("\n");
  const rows: Row[] = [];
  let header = true;
  lines.forEach((text, i) => {
    if (!text.trim() || text.startsWith("#")) return;
    if (header) {
      header = false;
      return;
    }
    const f = text.split("\t");
    if (f.length !== 5)
      throw new Error(`iran-mentions.tsv line ${i + 1}: expected 5 fields, got ${f.length}`);
    const [mention, province, precision, context, note] = f as [string, string, string, string, string];
    if (!["", "exact", "near", "province", "none"].includes(precision)) {
      throw new Error(`iran-mentions.tsv line ${i + 1}: unknown precision "${precision}"`);
    }
    const ctx = context
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    rows.push({ line: i + 1, mention, province, precision, context: ctx, note });
  });
  return rows;
}

describe("resolver on the Iranian fixture", () => {
  const rows = readFixture();
  const gazetteer = loadGazetteer();

  it("has at least 250 mentions covering every kind", () => {
    expect(rows.length).toBeGreaterThanOrEqual(250);
    for (const kind of ["name", "variant", "noise", "province", "parenthetical", "shared", "unknown"]) {
      expect(rows.filter((r) => r.note === kind).length, kind).toBeGreaterThanOrEqual(9);
    }
  });

  it("resolves at least 97 % correctly", () => {
    const failures: string[] = [];
    for (const r of rows) {
      const res = gazetteer.resolve(r.mention, { country: "IR", context: r.context });
      const m = res.match;
      let ok: boolean;
      if (r.precision === "none") ok = m === null;
      else ok = m !== null && m.province === r.province && (!r.precision || m.precision === r.precision);
      if (!ok) {
        const got = m ? `${m.name} (${m.level}, ${m.province}, ${m.precision})` : "no match";
        failures.push(
          `line ${r.line} ${r.note} "${r.mention}": expected ${r.province || "no match"}, got ${got}`,
        );
      }
    }
    const accuracy = 1 - failures.length / rows.length;
    if (accuracy < 0.97 || failures.length > 0) {
      process.stdout.write(
        `fixture accuracy ${(accuracy * 100).toFixed(1)} %; failures:\n  ${failures.join("\n  ")}\n`,
      );
    }
    expect(accuracy, failures.join("\n")).toBeGreaterThanOrEqual(0.97);
  });

  it("matches carry coordinates inside Iran", () => {
    for (const r of rows.filter((x) => x.precision !== "none")) {
      const m = gazetteer.resolve(r.mention, { country: "IR", context: r.context }).match;
      if (!m) continue;
      expect(m.country).toBe("IR");
      expect(m.lat, r.mention).toBeGreaterThan(25);
      expect(m.lat, r.mention).toBeLessThan(40);
      expect(m.lon, r.mention).toBeGreaterThan(44);
      expect(m.lon, r.mention).toBeLessThan(63.5);
    }
  });
});
