/**
 * Properties of the pipeline on generated input: it never throws, every span indexes the stored text and quotes
 * it exactly, the view of a page maps back onto the page, and noise alone yields nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlView, toStored } from "../../src/extraction/clean.js";
import { extractArticle } from "../../src/extraction/index.js";
import { removeNoise } from "../../src/extraction/noise.js";
import type { Extraction } from "../../src/extraction/types.js";
import { fakeGazetteer } from "./helpers.js";

/** Words and pieces from this genre, so that generated text exercises the rules rather than only the scanner. */
const PIECES = [
  "About 1,500 people were killed",
  "in Tehran, Shiraz and Sarbandar (Mahshahr)",
  ", Reuters reported on Saturday.",
  "At least 304",
  "protesters were detained",
  "between 40 and 100",
  "on Monday May 3 and Tuesday May 4,",
  "three police posts were set on fire in Dezful and Izeh.",
  '"1,500 killed"',
  "mourners chanted",
  "according to the health ministry",
  "since January",
  "Iran, March 8, 2021—",
  "300 x 250",
  "Tags: , , ,",
  "© 2021 Free Voices. XML Sitemap",
  "clip.mp4_snapshot_00.03.120",
  "Share on Facebook Twitter WhatsApp",
  "tens of thousands",
  "<p>",
  "</p>",
  "<b>",
  "</b>",
  "&amp;",
  "&#8212;",
  "\n",
  "\n\n",
  " ",
  ".",
  ",",
  "“",
  "”",
];

const genreText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((xs) => xs.join(" "));
const anyText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  genreText,
);

function checkSpans(input: string, x: Extraction): void {
  expect(x.text).toBe(input);
  const inside = (s: number, e: number) => {
    expect(Number.isInteger(s) && Number.isInteger(e)).toBe(true);
    expect(0 <= s && s <= e && e <= input.length).toBe(true);
  };
  for (const c of x.claims) {
    inside(c.span[0], c.span[1]);
    inside(c.figureSpan[0], c.figureSpan[1]);
    expect(c.text).toBe(input.slice(c.span[0], c.span[1]));
    expect(c.figureSpan[0] >= c.span[0] && c.figureSpan[1] <= c.span[1]).toBe(true);
    expect(c.high === null || c.high >= c.low).toBe(true);
  }
  for (const e of x.events) {
    inside(e.span[0], e.span[1]);
    expect(e.text).toBe(input.slice(e.span[0], e.span[1]));
  }
  for (const p of x.places) inside(p.span[0], p.span[1]);
}

describe("extraction on generated input", () => {
  it("never throws, and every span indexes the stored plain text", () => {
    fc.assert(
      fc.property(
        anyText,
        fc.option(fc.constantFrom("2021-05-06", "2019-12-24"), { nil: null }),
        (text, published) => {
          const x = extractArticle(text, {
            country: "IR",
            published,
            gazetteer: fakeGazetteer,
            contentType: "text/plain",
          });
          checkSpans(text, x);
          // In plain text a place's span quotes its mention exactly.
          for (const p of x.places) expect(text.slice(p.span[0], p.span[1])).toBe(p.mention);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws on HTML, and spans index the page as received", () => {
    fc.assert(
      fc.property(anyText, (body) => {
        const page = `<html><head><title>T</title></head><body><article>${body}</article></body></html>`;
        const x = extractArticle(page, { country: "IR", published: "2021-05-06", gazetteer: fakeGazetteer });
        checkSpans(page, x);
      }),
      { numRuns: 200 },
    );
  });

  it("maps every character of a page's view back to the same character of the page", () => {
    fc.assert(
      fc.property(genreText, (body) => {
        const page = `<div>${body}</div>`;
        const view = htmlView(page);
        const map = view.map;
        expect(map).not.toBeNull();
        if (!map) return;
        expect(map.length).toBe(view.text.length);
        for (let i = 0; i < view.text.length; i++) {
          const ch = view.text[i] ?? "";
          const at = map[i] ?? -1;
          expect(at >= 0 && at < page.length).toBe(true);
          if (i > 0) expect(at >= (map[i - 1] ?? 0)).toBe(true);
          // Letters and digits are copied; spaces, line breaks and entities may stand for other characters.
          if (/[\p{L}\p{N}]/u.test(ch) && page[at] !== "&") expect(page[at]).toBe(ch);
        }
        const [s, e] = toStored(view, 0, view.text.length);
        expect(0 <= s && s <= e && e <= page.length).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps offsets when blanking noise", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(removeNoise(text).length).toBe(text.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("noise", () => {
  const NOISE = [
    "300 x 250",
    "Advertisement 728 x 90",
    "Tags: , , ,",
    "© 2021 Free Voices. All rights reserved. | XML Sitemap",
    "Copyright 2019 Mesopotamia Monitor",
    "Share on Facebook Twitter WhatsApp Telegram",
    "Share this article: Facebook | Twitter | Telegram",
    "Video: clip.mp4_snapshot_00.03.120",
    "Home | News | Iran | Reports | Contact",
    "Mourners at a funeral in Mahshahr, November 2019.\nMourners at a funeral in Mahshahr, November 2019.",
    "Image: Mourners at a cemetery in Qom.\nImage: Mourners at a cemetery in Qom.",
    "Home\nIran\nIraq\nSyria\nReports",
  ];

  it("yields no claims, places or events from noise alone, in any order", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(NOISE, { minLength: 1 }), (lines) => {
        const x = extractArticle(lines.join("\n"), {
          country: "IR",
          published: "2021-05-06",
          gazetteer: fakeGazetteer,
          contentType: "text/plain",
        });
        expect(x.claims).toEqual([]);
        expect(x.places).toEqual([]);
        expect(x.events).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("does not take a copyright year for the article's date", () => {
    const x = extractArticle("Protests continued in Tehran.\n\n© 2021 Free Voices. All rights reserved.", {
      contentType: "text/plain",
    });
    expect(x.published).toBeNull();
  });
});
