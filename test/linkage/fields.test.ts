import { describe, expect, it } from "vitest";
import {
  compareAges,
  compareDates,
  comparePlaces,
  compareSex,
  prepareDate,
  preparePlace,
} from "../../src/core/linkage/index.js";

describe("field comparators", () => {
  it("dates: same day, within the tolerance, within a month, apart; partial dates overlap", () => {
    const d = prepareDate;
    expect(compareDates(d("2019-11-16"), d("2019-11-16"))).toBe(3);
    expect(compareDates(d("2019-11-16"), d("2019-11-18"))).toBe(2);
    expect(compareDates(d("2019-11-16"), d("2019-11-20"), 3)).toBe(1);
    expect(compareDates(d("2019-11-16"), d("2020-02-01"))).toBe(0);
    expect(compareDates(d("2019-11"), d("2019-11-30"))).toBe(2);
    expect(compareDates(d("2019"), d("2019-06-01"))).toBe(2);
    expect(compareDates(d("2019-11"), d("2020-03-01"))).toBe(0);
  });

  it("missing or unreadable values are neither agreement nor disagreement", () => {
    expect(compareDates(prepareDate(null), prepareDate("2019-11-16"))).toBeNull();
    expect(compareDates(prepareDate("16 Nov"), prepareDate("2019-11-16"))).toBeNull();
    expect(compareAges(null, 30)).toBeNull();
    expect(compareSex(undefined, "m")).toBeNull();
    expect(comparePlaces(preparePlace(""), preparePlace("Tehran"))).toBeNull();
  });

  it("ages agree within two years", () => {
    expect(compareAges(30, 30)).toBe(2);
    expect(compareAges(30, 32)).toBe(1);
    expect(compareAges(30, 33)).toBe(0);
  });

  it("places: romanisation variants, generic words, Persian script, different places", () => {
    const p = preparePlace;
    expect(comparePlaces(p("Esfahan"), p("Isfahan"))).toBe(2);
    expect(comparePlaces(p("Bandar-e Mahshahr"), p("Mahshahr, Khuzestan"))).toBe(2);
    expect(comparePlaces(p("Tehran"), p("تهران"))).toBe(2);
    expect(comparePlaces(p("Bandar Abbas"), p("بندرعباس"))).toBe(2);
    expect(comparePlaces(p("Mashhad"), p("Mashad"))).toBe(1);
    expect(comparePlaces(p("Tehran"), p("Tabriz"))).toBe(0);
  });

  it("are symmetric", () => {
    const dates = ["2019-11-16", "2019-11", "2019", null, "2019-12-30"].map(prepareDate);
    for (const a of dates) for (const b of dates) expect(compareDates(a, b)).toBe(compareDates(b, a));
    const places = ["Tehran", "تهران", "Karaj", null, "Bandar Abbas"].map(preparePlace);
    for (const a of places) for (const b of places) expect(comparePlaces(a, b)).toBe(comparePlaces(b, a));
  });
});
