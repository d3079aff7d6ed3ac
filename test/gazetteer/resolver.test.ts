import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Place } from "../../src/core/place.js";
import { loadGazetteer, resolvePlace } from "../../src/gazetteer/index.js";

const g = loadGazetteer();

describe("resolvePlace", () => {
  it("resolves the issue's example to Khuzestan, Mazandaran and Khuzestan with coordinates", () => {
    const provinces = ["Izeh (Khuzestan)", "Ghaemshahr", "Dezfoul"].map((m) => {
      const r = resolvePlace(m, { country: "IR" });
      expect(r.match, m).not.toBeNull();
      expect(Number.isFinite(r.match?.lat)).toBe(true);
      expect(Number.isFinite(r.match?.lon)).toBe(true);
      return r.match?.province;
    });
    expect(provinces).toEqual(["Khuzestan", "Mazandaran", "Khuzestan"]);
  });

  it("never returns the qualifier as the place", () => {
    const r = g.resolve("Izeh (Khuzestan)", { country: "IR" });
    expect(r.match?.level).toBe("city");
    expect(r.match?.precision).toBe("exact");
    expect(r.match?.name).not.toBe("Khuzestan");
  });

  it("places an unknown name near its known qualifier, flagged for review", () => {
    const qualifier = g.resolve("Mahshahr", { country: "IR" }).match;
    const r = g.resolve("Sarbandar (Mahshahr)", { country: "IR" });
    expect(r.match).toMatchObject({
      name: "Sarbandar",
      level: "locality",
      precision: "near",
      flagged: true,
      province: "Khuzestan",
      lat: qualifier?.lat,
      lon: qualifier?.lon,
    });
    expect(r.match?.id).not.toBe(qualifier?.id);
  });

  it("reads a comma qualifier as a preference, and as a place for an unknown name", () => {
    expect(g.resolve("Sanandaj, Kurdistan, Iran").match).toMatchObject({
      name: "Sanandaj",
      province: "Kurdistan",
    });
    expect(g.resolve("Sarbandar, Khuzestan", { country: "IR" }).match).toMatchObject({
      level: "locality",
      precision: "near",
      province: "Khuzestan",
      flagged: true,
    });
  });

  it("gives no match when neither the name nor the qualifier is known", () => {
    expect(g.resolve("Kharzenqol (Vazhnareh)", { country: "IR" }).match).toBeNull();
  });

  it("resolves province names to the province", () => {
    for (const m of [
      "Khuzestan",
      "Kordestan",
      "Khorasan-e Razavi",
      "Sistan-Baluchestan",
      "Tehran province",
    ]) {
      const r = g.resolve(m, { country: "IR" });
      expect(r.match?.level, m).toBe("province");
      expect(r.match?.precision, m).toBe("province");
    }
    // A town named like its province is the town, unless the wording says province.
    expect(g.resolve("Tehran", { country: "IR" }).match?.level).toBe("city");
  });

  it("breaks ties between namesakes by the places around them", () => {
    const lorestan = g.resolve("Nurabad", {
      country: "IR",
      context: ["Khorramabad", "Aleshtar", "Kuhdasht"],
    });
    const fars = g.resolve("Nurabad", { country: "IR", context: ["Shiraz", "Kazerun", "Sepidan"] });
    expect(lorestan.match?.province).toBe("Lorestan");
    expect(fars.match?.province).toBe("Fars");
    expect(lorestan.candidates.map((c) => c.province)).toContain("Fars");
  });

  it("prefers the country given", () => {
    expect(g.resolve("Herat").match?.country).toBe("AF");
    expect(g.resolve("Herat", { country: "IR" }).match?.province).toBe("Yazd");
  });

  it("returns no match but the nearest names for unknown ones", () => {
    const r = g.resolve("Dezfuliyan", { country: "IR" });
    expect(r.match).toBeNull();
    expect(r.candidates.map((c) => c.name)).toContain("Dezful");
    // A loose consonant match is not enough for a short name.
    expect(g.resolve("Paris", { country: "IR" }).match).toBeNull();
  });

  it("ranks candidates by score, the match first", () => {
    for (const m of ["Aliabad", "Nurabad", "Sarab", "Bahar", "Kerman"]) {
      const r = g.resolve(m, { country: "IR" });
      const scores = r.candidates.map((c) => c.score);
      expect(
        [...scores].sort((a, b) => b - a),
        m,
      ).toEqual(scores);
      expect(r.candidates[0]?.id).toBe(r.match?.id);
    }
  });

  it("strips noise words and reads the level they imply", () => {
    expect(g.resolve("the city of Mashhad").match?.name).toBe("Mashhad");
    expect(g.resolve("Isfahan province", { country: "IR" }).match?.level).toBe("province");
    expect(g.resolve("Izeh County", { country: "IR" }).match?.level).toBe("county");
  });

  it("reads Persian script", () => {
    expect(g.resolve("تهران", { country: "IR" }).match?.name).toBe("Tehran");
    expect(g.resolve("ایران").match?.level).toBe("country");
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.option(fc.constantFrom("IR", "ir", "AF", "ZZ", ""), { nil: undefined }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
        (mention, country, context) => {
          const r = g.resolve(mention, { country, context });
          expect(r.mention).toBe(mention);
          if (r.match) expect(r.candidates[0]?.id).toBe(r.match.id);
          for (const c of r.candidates) expect(c.score).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[()[\] a-zA-Z-]{0,30}$/), (mention) => {
        expect(() => g.resolve(mention, { country: "IR" })).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe("local places", () => {
  const mahshahr = g.resolve("Mahshahr", { country: "IR" }).match;
  const khuzestan = g.resolve("Khuzestan", { country: "IR" }).match;
  const sarbandar: Place = {
    id: "local:sarbandar",
    name: "Sarbandar",
    alternateNames: ["Sar Bandar"],
    level: "city",
    country: "IR",
    province: "Khuzestan",
    provinceId: khuzestan?.id ?? null,
    lat: 30.48,
    lon: 49.1,
    population: null,
  };
  const local = g.withLocal({
    places: [sarbandar],
    aliases: [{ alias: "Bandar Mashoorabad", placeId: mahshahr?.id ?? "" }],
  });

  it("are found before GeoNames and by their aliases", () => {
    expect(local.resolve("Sarbandar (Mahshahr)", { country: "IR" }).match).toMatchObject({
      id: "local:sarbandar",
      precision: "exact",
    });
    expect(local.resolve("Sar-Bandar").match?.id).toBe("local:sarbandar");
    expect(local.resolve("Bandar Mashoorabad").match?.id).toBe(mahshahr?.id);
    expect(local.get("local:sarbandar")?.name).toBe("Sarbandar");
    expect(local.size).toBe(g.size + 1);
    // The shared data is untouched.
    expect(g.resolve("Bandar Mashoorabad", { country: "IR" }).match).toBeNull();
  });

  it("rank above a GeoNames place of the same name", () => {
    const karaj: Place = { ...sarbandar, id: "local:karaj2", name: "Karaj", alternateNames: [] };
    const r = g.withLocal({ places: [karaj], aliases: [] }).resolve("Karaj", { country: "IR" });
    expect(r.match?.id).toBe("local:karaj2");
  });

  it("reject an alias to an unknown place, naming it", () => {
    expect(() => g.withLocal({ places: [], aliases: [{ alias: "X", placeId: "nope:1" }] })).toThrow(/nope:1/);
  });
});

describe("gazetteer lookups", () => {
  it("gets places by id", () => {
    const tehran = g.resolve("Tehran", { country: "IR" }).match;
    expect(g.get(tehran?.id ?? "")?.name).toBe("Tehran");
    expect(g.get("no-such-id")).toBeUndefined();
  });

  it("autocompletes by prefix, larger places first", () => {
    const hits = g.search("Tehr", { country: "IR", limit: 3 });
    expect(hits[0]?.name).toBe("Tehran");
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits.every((p) => p.country === "IR")).toBe(true);
    expect(g.search("")).toEqual([]);
  });

  it("finds the nearest town to a point", () => {
    expect(g.nearest(35.69, 51.42, { country: "IR" })?.name).toBe("Tehran");
  });

  it("lists the places of a country", () => {
    const ir = g.places("IR");
    expect(ir.length).toBeGreaterThan(2000);
    expect(ir.every((p) => p.country === "IR")).toBe(true);
  });
});

describe("autocomplete", () => {
  it("finds a place from a variant spelling of its beginning", () => {
    expect(g.search("Ghaem", { country: "IR" }).map((p) => p.name)).toContain("Qā’em Shahr");
  });
});
