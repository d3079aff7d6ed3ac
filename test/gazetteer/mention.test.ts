import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanName, parseMention } from "../../src/gazetteer/mention.js";

describe("parseMention", () => {
  it("separates bracketed qualifiers from the name", () => {
    expect(parseMention("Izeh (Khuzestan)")).toEqual({
      name: "Izeh",
      written: "Izeh",
      hint: null,
      qualifiers: [{ name: "Khuzestan", hint: null }],
    });
    expect(parseMention("Bandar-e Genaveh (Bushehr province)").qualifiers).toEqual([
      { name: "Bushehr", hint: "province" },
    ]);
    expect(parseMention("Shahrak-e Sanati (Abbas Abad) [Mazandaran]").qualifiers.map((q) => q.name)).toEqual([
      "Abbas Abad",
      "Mazandaran",
    ]);
  });

  it("reads comma-separated parts as soft qualifiers, the last the broadest", () => {
    expect(parseMention("Sanandaj, Kurdistan, Iran")).toEqual({
      name: "Sanandaj",
      written: "Sanandaj",
      hint: null,
      qualifiers: [
        { name: "Kurdistan", hint: null, soft: true },
        { name: "Iran", hint: null, soft: true },
      ],
    });
  });

  it("drops the facility or feature a town names", () => {
    expect(cleanName("Zahedan prison").name).toBe("Zahedan");
    expect(cleanName("Kish Island").name).toBe("Kish");
  });

  it("uses a lone bracketed name as the name", () => {
    expect(parseMention("(Karaj)")).toEqual({ name: "Karaj", written: "Karaj", hint: null, qualifiers: [] });
  });

  it("keeps the text of an unclosed bracket as a qualifier", () => {
    expect(parseMention("Fardis (Karaj")).toMatchObject({ name: "Fardis", qualifiers: [{ name: "Karaj" }] });
  });

  it("reads the level that noise words imply", () => {
    expect(cleanName("the city of Mashhad")).toEqual({ name: "Mashhad", hint: "city" });
    expect(cleanName("Kermanshah Province")).toEqual({ name: "Kermanshah", hint: "province" });
    expect(cleanName("Izeh County")).toEqual({ name: "Izeh", hint: "county" });
    expect(cleanName("Ostan-e Fars")).toEqual({ name: "Fars", hint: "province" });
    expect(cleanName("Shahrestan-e Izeh")).toEqual({ name: "Izeh", hint: "county" });
    expect(cleanName("the province of Khuzestan")).toEqual({ name: "Khuzestan", hint: "province" });
  });

  it("keeps the name as written beside the cleaned one", () => {
    expect(parseMention("Sadr City (Baghdad)")).toMatchObject({ name: "Sadr", written: "Sadr City" });
  });

  it("keeps a name that is only a noise word", () => {
    expect(cleanName("Province").name).toBe("Province");
    expect(cleanName("City").name).toBe("City");
  });

  it("never throws and never invents text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const p = parseMention(s);
        const letters = (x: string) => x.replace(/[^\p{L}\p{N}]/gu, "");
        for (const part of [p.name, ...p.qualifiers.map((q) => q.name)]) {
          expect(letters(s)).toContain(letters(part).slice(0, 1));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
