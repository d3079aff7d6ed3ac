/** The built data (npm run build:gazetteer): coverage, Iran's provinces, and keys that match the normaliser. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { placeNameKeys } from "../../src/core/placeName.js";
import { defaultDataFile, lookup, readGazetteerData } from "../../src/gazetteer/data.js";
import { loadGazetteer } from "../../src/gazetteer/index.js";

const data = readGazetteerData(defaultDataFile());
const g = loadGazetteer();

const IRAN_PROVINCES = [
  "Alborz",
  "Ardabil",
  "Bushehr",
  "Chaharmahal and Bakhtiari",
  "East Azerbaijan",
  "Fars",
  "Gilan",
  "Golestan",
  "Hamadan",
  "Hormozgan",
  "Ilam",
  "Isfahan",
  "Kerman",
  "Kermanshah",
  "Khuzestan",
  "Kohgiluyeh and Boyer-Ahmad",
  "Kurdistan",
  "Lorestan",
  "Markazi",
  "Mazandaran",
  "North Khorasan",
  "Qazvin",
  "Qom",
  "Razavi Khorasan",
  "Semnan",
  "Sistan and Baluchestan",
  "South Khorasan",
  "Tehran",
  "West Azerbaijan",
  "Yazd",
  "Zanjan",
];

describe("built gazetteer", () => {
  it("covers every country with places, and Iran's 31 provinces under their usual names", () => {
    expect(data.countryCodes.length).toBeGreaterThan(240);
    for (const cc of ["IR", "IQ", "AF", "FR", "US", "BR"])
      expect(g.get(`country:${cc}`)?.level).toBe("country");
    expect(g.provinces("IR").map((p) => p.name)).toEqual(IRAN_PROVINCES);
  });

  it("gives every Iranian place a province, coordinates in Iran and an id", () => {
    const ir = g.places("IR");
    expect(ir.filter((p) => p.level === "city" || p.level === "locality").length).toBeGreaterThan(2000);
    const ids = new Set<string>();
    for (const p of ir) {
      expect(p.id).toBeTruthy();
      expect(ids.has(p.id), p.id).toBe(false);
      ids.add(p.id);
      if (p.level === "country") continue;
      expect(IRAN_PROVINCES, p.name).toContain(p.province);
      expect(p.lat, p.name).toBeGreaterThan(25);
      expect(p.lat, p.name).toBeLessThan(40);
      expect(p.lon, p.name).toBeGreaterThan(44);
      expect(p.lon, p.name).toBeLessThan(63.5);
    }
  });

  it("keeps Persian names of Iranian places and GeoNames ids where the data has them", () => {
    const shiraz = g.resolve("Shiraz", { country: "IR" }).match;
    expect(shiraz?.id).toMatch(/^\d+$/);
    expect(g.get(shiraz?.id ?? "")?.alternateNames).toContain("شیراز");
    expect(g.get("adm1:IR.15")?.alternateNames).toContain("خوزستان");
  });

  it("applies the curated corrections", () => {
    const corrections = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../src/gazetteer/tables/corrections.json"), "utf8"),
    ) as { corrections: { admin1: string; name: string; set?: { admin1?: string } }[] };
    for (const c of corrections.corrections.filter((x) => x.set?.admin1)) {
      const hits = g.places("IR").filter((p) => p.name === c.name && p.level !== "county");
      expect(hits.length, c.name).toBeGreaterThan(0);
      for (const p of hits) expect(p.provinceId, c.name).toBe(`adm1:IR.${c.set?.admin1}`);
    }
  });

  it("stores keys the current normaliser computes (a stale build would resolve wrongly)", () => {
    const step = Math.floor(data.size / 500);
    for (let i = 0; i < data.size; i += step) {
      const keys = placeNameKeys(data.names.get(i));
      if (!keys.fold) continue;
      const phonetic = lookup(data, "phonetic", keys.phonetic, 100_000).map((ref) => Math.floor(ref / 64));
      expect(phonetic, data.names.get(i)).toContain(i);
    }
  });

  it("rejects a missing data file with the command to build it", () => {
    expect(() => readGazetteerData("/nonexistent/gazetteer.txt")).toThrow(/build:gazetteer/);
  });
});
