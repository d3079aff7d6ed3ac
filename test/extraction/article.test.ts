/**
 * The pipeline on short synthetic articles written for these tests (invented figures), one rule per test.
 */
import { describe, expect, it } from "vitest";
import { extractArticle } from "../../src/extraction/index.js";
import type { ExtractedClaim, Extraction } from "../../src/extraction/types.js";
import { fakeGazetteer } from "./helpers.js";

function run(text: string, published: string | null = "2021-05-06"): Extraction {
  return extractArticle(text, {
    country: "IR",
    published,
    gazetteer: fakeGazetteer,
    contentType: "text/plain",
  });
}

function figure(x: Extraction, c: ExtractedClaim): string {
  return x.text.slice(c.figureSpan[0], c.figureSpan[1]);
}

function claimsOf(text: string, published: string | null = "2021-05-06") {
  const x = run(text, published);
  return x.claims.map((c) => ({
    figure: figure(x, c),
    metric: c.metric,
    low: c.low,
    high: c.high,
    source: c.source?.name ?? null,
    kind: c.source?.kind ?? null,
    asOf: c.asOf,
    period: c.period,
  }));
}

describe("metrics", () => {
  it.each([
    ["About 1,500 people were killed in the unrest, Reuters reported.", "killed"],
    [
      "More than 200 people have died of the coronavirus in the province, the health ministry said.",
      "deaths",
    ],
    ["Police detained 14 people in Dezful.", "detained"],
    ["Security forces arrested 30 students in Tehran.", "arrested"],
    ["Two men were hanged in Shiraz.", "executed"],
    ["At least 60 people were wounded by birdshot.", "injured"],
    ["Three activists have disappeared since their arrest.", "disappeared"],
    ["About 300 people took part in the rally.", "participants"],
    ["Thousands of people marched through the city.", "participants"],
  ] as const)("%s", (text, metric) => {
    expect(claimsOf(text)[0]?.metric).toBe(metric);
  });

  it("reads the toll of a death toll from the noun before the figure", () => {
    const [c] = claimsOf(
      "The official death toll of the epidemic, announced by the health ministry, stands at 8,209.",
    );
    expect(c).toMatchObject({ figure: "8,209", metric: "deaths", low: 8209, high: 8209 });
  });

  it("continues a list of figures with the metric of the first", () => {
    const cs = claimsOf(
      "The group said 64 people were executed in Karaj, 21 in Shiraz and at least 15 in Zahedan.",
    );
    expect(cs.map((c) => [c.figure, c.metric])).toEqual([
      ["64", "executed"],
      ["21", "executed"],
      ["at least 15", "executed"],
    ]);
  });
});

describe("not claims", () => {
  it.each([
    ["years", "In 2017 the protests spread, and in 1988 the prisons were emptied."],
    [
      "durations",
      "The strike lasted three weeks, after 30 years of low pay, and the curfew held for 48 hours.",
    ],
    ["counts of places", "Protests were held in 112 cities across 19 provinces."],
    ["counts of objects", "Activists hung 25 banners and disabled 11 surveillance cameras."],
    ["ages", "Sara, 23, was a student; her brother was 17 years old."],
    ["percentages and money", "Prices rose 40 percent and fines of $500 were imposed."],
  ])("%s", (_label, text) => {
    expect(claimsOf(text)).toEqual([]);
  });

  it.each([
    ["ages given as a bound", "The dead included teenagers under 18 and people over 60."],
    ["days of a month without a known year", "Protests broke out on September 20 and 21."],
    ["people released", "Police arrested 1,200 people, of whom 860 were later released."],
    ["death sentences", "The court sentenced 12 protesters to death."],
  ])("%s", (_label, text) => {
    const cs = claimsOf(text, null).filter((c) => c.low !== 1200);
    expect(cs).toEqual([]);
  });

  it("keeps the figure that stands and drops the one denied", () => {
    expect(claimsOf("The ministry said the toll was 12, not 50.").map((c) => c.figure)).toEqual(["12"]);
  });

  it("reads parts of a figure from the sentence after it", () => {
    const cs = claimsOf(
      "Rights groups say at least 300 people were killed in March. Of these, 40 were children.",
    );
    expect(cs.map((c) => [c.figure, c.metric, c.source])).toEqual([
      ["at least 300", "killed", "Rights groups"],
      ["40", "killed", "Rights groups"],
    ]);
    expect(cs[1]?.period).toEqual({ from: "2021-03-01", to: "2021-03-31" });
  });

  it("keeps counts of cities and provinces as the scope of the figure they go with", () => {
    const x = run(
      "More than 229,700 people have died of the coronavirus in 540 cities across all 31 provinces.",
    );
    expect(x.claims).toHaveLength(1);
    expect(x.claims[0]?.scope).toEqual({ cities: 540, provinces: 31 });
  });
});

describe("sources", () => {
  it.each([
    ["At least 304 people were killed, according to Amnesty International.", "Amnesty International", "ngo"],
    ["About 1,500 people were killed, Reuters reported on December 23.", "Reuters", "wire"],
    ["The interior minister said that 200-250 people were killed.", "interior minister", "official"],
    [
      "The official toll, as announced by the health ministry on Sunday, stands at 60,181 deaths from the coronavirus.",
      "health ministry",
      "official",
    ],
    ["More than 100 people were detained, the Nightwatch field network said.", "Nightwatch", "network"],
    [
      "Local residents said security forces killed between 40 and 100 people.",
      "Local residents",
      "individual",
    ],
  ] as const)("%s", (text, name, kind) => {
    const [c] = claimsOf(text);
    expect(c?.source).toBe(name);
    expect(c?.kind).toBe(kind);
  });

  it.each([
    [
      "The death toll has risen to 326, according to a tally by the Oslo-based group Iran Human Rights.",
      "Iran Human Rights",
      "ngo",
    ],
    ["Figures compiled by HRANA show that 481 protesters have been killed.", "HRANA", "ngo"],
    [
      "According to figures from the health ministry, 1,500 people have died of the coronavirus.",
      "health ministry",
      "official",
    ],
    ["At least 12 people were killed in Saqqez, Hengaw said.", "Hengaw", "ngo"],
    ['"We lost 40 patients," said Dr. Karimi, a physician at the hospital.', "Dr. Karimi", "individual"],
    [
      "The Rafidain Observatory, an independent monitoring group, said 113 people had died in the protests.",
      "Rafidain Observatory",
      "ngo",
    ],
    [
      "A lawyers' association that represents the detainees said 169 people were detained.",
      "lawyers' association",
      "ngo",
    ],
  ] as const)("names the source of %j", (text, name, kind) => {
    const [c] = claimsOf(text);
    expect([c?.source, c?.kind]).toEqual([name, kind]);
  });

  it("reads a subject with an acronym in brackets, and one standing behind 'which'", () => {
    const cs = claimsOf(
      "Security forces killed at least 38 people, the Assistance Association for Political Prisoners (AAPP) said. The junta, which says 164 protesters have died, blamed rioters.",
    );
    expect(cs.map((c) => [c.source, c.kind])).toEqual([
      ["Assistance Association for Political Prisoners", "ngo"],
      ["junta", "official"],
    ]);
  });

  it("does not count a threat of execution or a pronoun 'one'", () => {
    expect(
      claimsOf("Amnesty International said at least 26 others face execution. No one was hurt."),
    ).toEqual([]);
  });

  it("gives a chanted slogan's figure to the crowd that chants it", () => {
    const [c] = claimsOf('At the funerals, mourners chanted "1,500 killed, and still they lie".');
    expect(c).toMatchObject({
      figure: "1,500",
      metric: "killed",
      source: "mourners",
      kind: "group",
      period: null,
    });
  });

  it("resolves a pronoun to the source of the sentence before", () => {
    const cs = claimsOf(
      "The Rafidain Observatory said 113 people were killed. It said 1,200 people had been detained.",
    );
    expect(cs.map((c) => c.source)).toEqual(["Rafidain Observatory", "Rafidain Observatory"]);
  });
});

describe("dates", () => {
  it("takes asOf from the date of the statement, resolved against the article's date", () => {
    // 2021-03-08 is a Monday: "Friday, March 5" is three days before.
    const [c] = claimsOf(
      "The deputy health minister told state television on Friday, March 5, that the toll was 60,100 deaths from the coronavirus.",
      "2021-03-08",
    );
    expect(c?.asOf).toBe("2021-03-05");
  });

  it.each([
    ["In a statement on Monday, the ministry said 50 people had been killed.", "2021-05-03", null],
    [
      "On Friday, security forces killed 20 people, the ministry said.",
      "2021-05-06",
      { from: "2021-04-30", to: "2021-04-30" },
    ],
  ] as const)("tells the date of a statement from the date of what it counts: %j", (text, asOf, period) => {
    const [c] = claimsOf(text);
    expect([c?.asOf, c?.period]).toEqual([asOf, period]);
  });

  it("gives an announcement with its own full date that date", () => {
    const [c] = claimsOf(
      "The ministry announced on Monday, May 10, 2021 that the toll is more than 75,000 deaths from the virus.",
      "2021-06-01",
    );
    expect(c?.asOf).toBe("2021-05-10");
  });

  it.each([
    ["At least 210 prisoners were executed in March 2021.", { from: "2021-03-01", to: "2021-03-31" }],
    ["At least 210 prisoners were executed in 2017.", { from: "2017-01-01", to: "2017-12-31" }],
    ["Thousands of prisoners were executed in the summer of 1983.", { from: "1983-06-01", to: "1983-08-31" }],
    ["At least 210 prisoners have been executed since January.", { from: "2021-01-01", to: "2021-05-06" }],
    ["At least 20 people were killed between May 1 and May 3.", { from: "2021-05-01", to: "2021-05-03" }],
  ] as const)("keeps the period of %j", (text, period) => {
    expect(claimsOf(text)[0]?.period).toEqual(period);
  });

  it.each([
    ["Another 12 people were shot dead over the weekend.", { from: "2021-05-01", to: "2021-05-02" }],
    ["Last week, nearly 700 people died of the virus.", { from: "2021-04-26", to: "2021-05-02" }],
    [
      "Over the past 12 years, more than 15,000 people died under torture.",
      { from: "2009-05-06", to: "2021-05-06" },
    ],
  ] as const)("counts relative periods back from the article's date: %j", (text, period) => {
    // 2021-05-06 is a Thursday.
    expect(claimsOf(text)[0]?.period).toEqual(period);
  });

  it("never gives a historical figure the article's date as its period", () => {
    const [c] = claimsOf(
      "In the summer of 1988, about 30,000 prisoners were executed, survivors say.",
      "2021-08-27",
    );
    expect(c?.period).toEqual({ from: "1988-06-01", to: "1988-08-31" });
  });
});

describe("events", () => {
  it("reads a run of days, its places and its count of incidents", () => {
    const x = run(
      "Iran, May 6, 2021—On Monday May 3 and Tuesday May 4, three police posts were set on fire in Dezful and Izeh.",
    );
    expect(x.events).toHaveLength(1);
    expect(x.events[0]).toMatchObject({
      type: "property_attack",
      date: "2021-05-03",
      dateEnd: "2021-05-04",
      places: ["Dezful", "Izeh"],
      count: 3,
    });
  });

  it("reads 'Sunday through Tuesday' against the article's date", () => {
    const x = run(
      "Sunday through Tuesday, the campaign continued in Tabriz, Zanjan and Kerman.",
      "2021-05-06",
    );
    expect(x.events[0]).toMatchObject({ type: "campaign", date: "2021-05-02", dateEnd: "2021-05-04" });
    expect(x.events[0]?.places).toEqual(["Tabriz", "Zanjan", "Kerman"]);
  });

  it("does not take the date of a statement for an event", () => {
    const x = run("The governor said on Wednesday that the protests were over.");
    expect(x.events).toEqual([]);
  });
});

describe("text forms", () => {
  it("reads hard-wrapped plain text as running sentences", () => {
    const x = run(
      "Security forces killed at least 25 protesters on Thursday in the city of\nShiraz after demonstrators blocked a bridge, medical sources said to\nreporters, and 230 people were wounded.",
    );
    expect(x.claims.map((c) => [figure(x, c), c.metric])).toEqual([
      ["at least 25", "killed"],
      ["230", "injured"],
    ]);
    expect(x.claims[0]?.source?.name).toBe("medical sources");
  });

  it("maps spans of a page back onto the page, through tags and entities", () => {
    const page =
      "<html><body><h1>Toll rises</h1><p>About <b>1,500</b> people were killed &amp; 300 injured, Reuters reported.</p></body></html>";
    const x = extractArticle(page, { published: "2019-12-24", gazetteer: fakeGazetteer });
    expect(x.title).toBe("Toll rises");
    expect(x.claims.map((c) => page.slice(c.figureSpan[0], c.figureSpan[1]))).toEqual([
      "About <b>1,500",
      "300",
    ]);
    expect(page.slice(x.claims[0]?.span[0], x.claims[0]?.span[1])).toBe(
      "About <b>1,500</b> people were killed &amp; 300 injured, Reuters reported.",
    );
  });
});

describe("article date", () => {
  it.each([
    ["TEHRAN, Iran, March 8, 2021 (Reuters) - Protests spread.", "2021-03-08"],
    ["Kabul, 12 March 2021 – Protests spread.", "2021-03-12"],
    ["Iran, Monday, March 8, 2021—Protests spread.", "2021-03-08"],
  ])("reads the dateline %j", (text, iso) => {
    expect(run(text, "2021-06-01").published).toBe(iso);
  });

  const body = "Protesters gathered in Tehran. Officials said 20 people were detained.";
  it("prefers the dateline to --published", () => {
    const x = run(`Iran, March 8, 2021—${body}`, "2021-03-09");
    expect([x.published, x.publishedFrom]).toEqual(["2021-03-08", "dateline"]);
  });
  it("uses --published without a dateline", () => {
    expect(run(body, "2021-03-09").published).toBe("2021-03-09");
  });
  it("falls back to the latest full date in the body", () => {
    const x = run(`On January 3, 2022 and again on February 9, 2022 ${body}`, null);
    expect([x.published, x.publishedFrom]).toEqual(["2022-02-09", "body"]);
  });
  it("is null when nothing dates the article, and a copyright year is no date", () => {
    expect(run(`${body}\n\n© 2021 Free Voices. All rights reserved.`, null).published).toBeNull();
  });
});

describe("places", () => {
  it("reads long lists, parenthetical qualifiers and province names", () => {
    const x = run(
      "Shooting was heard in Tehran, Isfahan, Shiraz, Sarbandar (Mahshahr), Khuzestan province and Gilan.",
    );
    expect(x.places.map((p) => [p.mention, p.province])).toEqual([
      ["Tehran", "Tehran"],
      ["Isfahan", "Isfahan"],
      ["Shiraz", "Fars"],
      ["Sarbandar (Mahshahr)", "Khuzestan"],
      ["Khuzestan", "Khuzestan"],
      ["Gilan", "Gilan"],
    ]);
    expect(x.places.find((p) => p.mention === "Khuzestan")?.level).toBe("province");
  });

  it("does not take people or organisations named after places for places", () => {
    const x = run(
      "Ahmad Kermani was hanged. Kermani had been arrested in 2019. The Tehran Times and Isfahan University reported it.",
    );
    expect(x.places.map((p) => p.mention)).toEqual([]);
  });

  it("resolves each distinct mention once", () => {
    fakeGazetteer.calls.length = 0;
    run("Tehran was calm. Protests in Tehran, Shiraz and Tehran again; Shiraz too.");
    expect(fakeGazetteer.calls.filter((m) => m === "Tehran")).toHaveLength(1);
    expect(fakeGazetteer.calls.filter((m) => m === "Shiraz")).toHaveLength(1);
  });
});
