import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameSimilarity, normalisePlaceName, placeNameKeys } from "../../src/core/placeName.js";

/** Latin letters with the diacritics romanised Persian uses, Persian letters, and separators. */
const nameChar = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZāīūĀĪŪḩḨẕẔţŢşŞḑz̧éèöüçñ’'‘-  ()".split(""),
  ..."ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةآ".split(""),
);
const nameLike = fc.array(nameChar, { maxLength: 30 }).map((cs) => cs.join(""));

/** Strips diacritics the way a reporter without a Persian keyboard would. */
const plain = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "");

describe("normalisePlaceName", () => {
  it("is idempotent on any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        const once = normalisePlaceName(s);
        expect(normalisePlaceName(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(nameLike, (s) => {
        const once = normalisePlaceName(s);
        expect(normalisePlaceName(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("ignores case", () => {
    fc.assert(
      fc.property(nameLike, (s) => {
        expect(normalisePlaceName(s.toUpperCase())).toBe(normalisePlaceName(s.toLowerCase()));
        expect(placeNameKeys(s.toUpperCase())).toEqual(placeNameKeys(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("ignores diacritics", () => {
    fc.assert(
      fc.property(nameLike, (s) => {
        expect(normalisePlaceName(plain(s))).toBe(normalisePlaceName(s));
        expect(placeNameKeys(plain(s))).toEqual(placeNameKeys(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("keys are idempotent too", () => {
    fc.assert(
      fc.property(nameLike, (s) => {
        const k = placeNameKeys(s);
        expect(placeNameKeys(k.fold).fold).toBe(k.fold);
      }),
      { numRuns: 1000 },
    );
  });

  it("folds punctuation, apostrophes and Arabic letter forms", () => {
    expect(normalisePlaceName("  Qā’em-Shahr ")).toBe("qaem shahr");
    expect(normalisePlaceName("Īz̄eh")).toBe("izeh");
    expect(normalisePlaceName("كرمانشاه")).toBe(normalisePlaceName("کرمانشاه"));
    expect(normalisePlaceName("شهر\u200cکرد")).toBe("شهرکرد");
  });
});

describe("placeNameKeys", () => {
  // The examples: each pair must share a key the resolver matches on.
  const variants: [string, string][] = [
    ["Khorramshahr", "Khoramshahr"],
    ["Dezful", "Dezfoul"],
    ["Qaemshahr", "Ghaemshahr"],
    ["Gonbad-e Kavus", "Gonbad Kavoos"],
    ["Torbat-e Heydarieh", "Torbat Heydariyeh"],
    ["Kazerun", "Kazeroon"],
    ["Eslamshahr", "Islamshahr"],
    ["Khvoy", "Khoy"],
    ["Nowshahr", "Noshahr"],
    ["Ahvaz", "Ahwaz"],
    ["Saveh", "Save"],
  ];
  it.each(variants)("%s and %s share the phonetic key", (a, b) => {
    expect(placeNameKeys(a).phonetic).toBe(placeNameKeys(b).phonetic);
  });

  it("joins glued and separate ezafe forms", () => {
    expect(placeNameKeys("Shahr-e Kord").fold).toBe(placeNameKeys("Shahr Kord").fold);
    expect(placeNameKeys("Shahr-e Kord").skeleton).toBe(placeNameKeys("Shahrekord").skeleton);
  });

  it("offers the name without a generic prefix", () => {
    expect(placeNameKeys("Bandar-e Mahshahr").stripped).toBe(placeNameKeys("Mahshahr").phonetic);
    expect(placeNameKeys("Mahshahr").stripped).toBeNull();
  });

  it("keeps different names apart", () => {
    expect(placeNameKeys("Sari").phonetic).not.toBe(placeNameKeys("Sar").phonetic);
    expect(placeNameKeys("Kerman").phonetic).not.toBe(placeNameKeys("Kermanshah").phonetic);
    expect(placeNameKeys("Khoy").phonetic).not.toBe(placeNameKeys("Qom").phonetic);
  });
});

describe("nameSimilarity", () => {
  it("is 1 for equal strings, symmetric and within 0..1", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 }), (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBeCloseTo(s, 10);
        expect(nameSimilarity(a, a)).toBe(1);
      }),
    );
  });
});
