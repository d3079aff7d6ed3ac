/** Words, digits and calendars of the dashboard in English and Persian (src/core/locale.ts, web/src/i18n). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratioWords } from "../../src/core/compare.js";
import {
  dirOf,
  formatClaim,
  formatDay,
  formatNumber,
  formatRange,
  gregorianFa,
  persianDigits,
  ratioInWords,
  solarHijri,
} from "../../src/core/locale.js";
import { MESSAGES } from "../../web/src/i18n/messages.js";

const ARABIC = /[\u0600-\u06FF]/;
const ASCII_DIGIT = /[0-9]/;

describe("Solar Hijri dates", () => {
  it("puts Nowruz on 1 Farvardin", () => {
    // The vernal equinox of 2025 fell on 20 March (UTC), so 1 Farvardin 1404 is 21 March 2025.
    expect(solarHijri("2025-03-21")).toBe("۱ فروردین ۱۴۰۴");
    expect(solarHijri("2025-03-20")).toBe("۳۰ اسفند ۱۴۰۳");
    expect(solarHijri("2026-11-22")).toBe("۱ آذر ۱۴۰۵");
  });

  it("writes the Gregorian date beside the Solar Hijri one in Persian, and only the Gregorian in English", () => {
    expect(formatDay("2025-09-15", "fa")).toBe("۲۴ شهریور ۱۴۰۴ (۱۵ سپتامبر ۲۰۲۵)");
    expect(gregorianFa("2025-09-15")).toBe("۱۵ سپتامبر ۲۰۲۵");
    expect(formatDay("2025-09-15", "en")).toMatch(/^15 Sept? 2025$/);
    expect(formatDay(null, "fa")).toBe("");
  });

  it("moves one day forward with every Gregorian day, and has no ASCII digit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 60 }), (n) => {
        const day = new Date(Date.UTC(1990, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const text = formatDay(day, "fa");
        expect(text).not.toMatch(ASCII_DIGIT);
        const next = new Date(Date.UTC(1990, 0, 1) + (n + 1) * 86_400_000).toISOString().slice(0, 10);
        expect(solarHijri(next)).not.toBe(solarHijri(day));
      }),
      { numRuns: 200 },
    );
  });
});

describe("digits and ranges", () => {
  it("writes Persian digits with Persian grouping", () => {
    expect(formatNumber(1234567, "fa")).toBe("۱٬۲۳۴٬۵۶۷");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
  });

  it("maps every ASCII digit and leaves everything else alone", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = persianDigits(s);
        expect(out).not.toMatch(ASCII_DIGIT);
        expect([...out].length).toBe([...s].length);
        expect(out.replace(/[\u06F0-\u06F9]/g, "#")).toBe(s.replace(/[0-9]/g, "#"));
      }),
    );
  });

  it("shows a range as low–high, an exact count once, and an open range with a plus", () => {
    expect(formatRange({ low: 11800, high: 12400 }, "en")).toBe("11,800–12,400");
    expect(formatRange({ low: 5, high: 5 }, "en")).toBe("5");
    expect(formatRange({ low: 304, high: null }, "en")).toBe("304+");
    expect(formatRange({ low: 11800, high: 12400 }, "fa")).toBe("۱۱٬۸۰۰–۱۲٬۴۰۰");
  });

  it("keeps a claim's qualifier", () => {
    expect(formatClaim({ low: 49800, high: null, qualifier: "over" }, "en")).toBe("over 49,800");
    expect(formatClaim({ low: 200, high: 250, qualifier: "range" }, "en")).toBe("200–250");
    expect(formatClaim({ low: 1500, high: 1500, qualifier: "about" }, "fa")).toBe("حدود ۱٬۵۰۰");
  });
});

describe("ratios in words", () => {
  it("match the comparison's English words for any ratio", () => {
    const ratio = fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(ratio, ratio, (a, b) => {
        const [low, high] = a !== null && b !== null && a > b ? [b, a] : [a, b];
        expect(ratioInWords(low, high, "en")).toBe(ratioWords(low, high));
      }),
    );
  });

  it("say the issue's example in both languages", () => {
    // Official 2,140 against a documented 11,800 to 12,400.
    expect(ratioInWords(2140 / 12400, 2140 / 11800, "en")).toBe("less than a fifth");
    expect(ratioInWords(2140 / 12400, 2140 / 11800, "fa")).toBe("کمتر از یک‌پنجم");
  });

  it("always have a Persian wording in Persian script", () => {
    const ratio = fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(ratio, ratio, (low, high) => {
        const fa = ratioInWords(low, high, "fa");
        expect(fa).toMatch(ARABIC);
        expect(fa).not.toMatch(/[A-Za-z]/);
      }),
    );
  });
});

describe("messages", () => {
  it("have the same keys in both languages, none empty", () => {
    expect(Object.keys(MESSAGES.fa).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const lang of ["en", "fa"] as const) {
      for (const [k, v] of Object.entries(MESSAGES[lang])) expect(v.trim(), `${lang}.${k}`).not.toBe("");
    }
  });

  it("are written in Persian in Persian, with the same placeholders as in English", () => {
    for (const [k, en] of Object.entries(MESSAGES.en)) {
      const fa = MESSAGES.fa[k as keyof typeof MESSAGES.fa];
      // The language switch names the other language in its own script.
      if (k !== "otherLanguage") expect(fa, k).toMatch(ARABIC);
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(holes(fa), k).toEqual(holes(en));
    }
  });

  it("lay Persian out right to left", () => {
    expect(dirOf("fa")).toBe("rtl");
    expect(dirOf("en")).toBe("ltr");
  });
});

describe("the language of a view", () => {
  it("comes from the URL first, then the cookie, then English", async () => {
    const { resolveLang, cookieLang } = await import("../../web/src/i18n/lang.js");
    const q = (s: string) => new URLSearchParams(s);
    expect(resolveLang(q("lang=fa"), "tally_lang=en")).toBe("fa");
    expect(resolveLang(q("lang=en"), "tally_lang=fa")).toBe("en");
    expect(resolveLang(q(""), "a=1; tally_lang=fa; b=2")).toBe("fa");
    expect(resolveLang(q("lang=de"), "")).toBe("en");
    expect(resolveLang(q(""), "xtally_lang=fa")).toBe("en");
    expect(cookieLang("tally_lang=fr")).toBeNull();
  });
});

describe("the dashboard's codes", () => {
  it("are the vocabulary's, every one with words in both languages", async () => {
    const v = await import("../../src/core/vocabulary.js");
    const codes = await import("../../web/src/dashboard/codes.js");
    expect(codes.METRIC_CODES).toEqual([...v.METRICS]);
    expect(codes.TYPE_CODES).toEqual([...v.INCIDENT_TYPES]);
    expect(codes.STATUS_CODES).toEqual([...v.INCIDENT_STATUSES]);
    expect(codes.GRADE_CODES).toEqual([...v.GRADES]);
    const { SOURCE_KIND_WORDS } = await import("../../src/core/locale.js");
    expect(Object.keys(SOURCE_KIND_WORDS)).toEqual([...v.SOURCE_KINDS]);
  });
});
