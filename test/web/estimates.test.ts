/**
 * The estimates page and the linkage review page in Chromium: the figures shown equal the API's, the state
 * without an estimate is said plainly, Persian is right to left with Persian digits; axe and a non-blank
 * screenshot. Both victim lists are SYNTHETIC: every name, date and place pairing is invented.
 */
import { Readable } from "node:stream";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatNumber, type Lang } from "../../src/core/locale.js";
import { importVictimList, linkLists } from "../../src/services/lists.js";
import { createUser } from "../../src/services/users.js";
import { checkA11y, type E2E, hasChromium, screenshot, signIn, startE2E } from "./harness.js";

const HEADER = "list_id,name,name_fa,age,sex,date,place,notes\n";
// SYNTHETIC list A: eight invented people.
const LIST_A = [
  "s-a1,Kourosh Farahani,,23,m,2019-11-16,Shiraz,synthetic",
  "s-a2,Nasrin Ebrahimi,,34,f,2019-11-17,Tehran,synthetic",
  "s-a3,Behnam Tavakoli,,20,m,2019-11-16,Mashhad,synthetic",
  "s-a4,Parisa Golzari,,29,f,2019-11-18,Tabriz,synthetic",
  "s-a5,Dariush Kamrani,,41,m,2019-11-19,Isfahan,synthetic",
  "s-a6,Shirin Abbasian,,26,f,2019-11-16,Karaj,synthetic",
  "s-a7,Arash Yazdanpanah,,18,m,2019-11-20,Ahvaz,synthetic",
  "s-a8,Leila Shafiei,,37,f,2019-11-21,Rasht,synthetic",
];
// SYNTHETIC list B: the first four people of A again (one spelled differently), three others, and one with
// the name, day and place of s-a5 but an age 21 years apart, which the linkage leaves to a reviewer.
const LIST_B = [
  "s-b1,Kourosh Farahani,,23,m,2019-11-16,Shiraz,synthetic",
  "s-b2,Nasrin Ebrahimi,,34,f,2019-11-17,Tehran,synthetic",
  "s-b3,Behnam Tavakkoli,,20,m,2019-11-16,Mashhad,synthetic",
  "s-b4,Parisa Golzari,,29,f,2019-11-18,Tabriz,synthetic",
  "s-b5,Omid Sarvestani,,31,m,2019-11-22,Zahedan,synthetic",
  "s-b6,Mahsa Niknam,,24,f,2019-11-23,Sanandaj,synthetic",
  "s-b7,Siavash Rahnavard,,45,m,2019-11-17,Kerman,synthetic",
  "s-b8,Dariush Kamrani,,62,m,2019-11-19,Isfahan,synthetic",
];

interface Estimates {
  records: number;
  documented: number;
  notes: string[];
  estimate?: {
    lists: string[];
    selected: { name: string; estimate: number | null; ci95: [number | null, number | null] } | null;
  };
}

const csv = (rows: string[]) => Readable.from([`${HEADER}${rows.join("\n")}\n`]);
const n = (x: number, lang: Lang) => formatNumber(Math.round(x), lang);

describe.skipIf(!hasChromium)("estimates and linkage review (Chromium)", () => {
  let e: E2E;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await e.browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function estimates(): Promise<Estimates> {
    const r = await e.app.inject({ method: "GET", url: "/api/v1/estimates" });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Estimates;
  }

  const langDir = (page: Page) =>
    page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { lang: string; dir: string } } })
        .document.documentElement;
      return [root.lang, root.dir] as [string, string];
    });

  beforeAll(async () => {
    e = await startE2E();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await e?.close();
  });

  it("says plainly that there is no estimate while fewer than two lists exist", async () => {
    await importVictimList(e.t.ledger, csv(LIST_A), { list: "Synthetic Monitor A", file: "a.csv" });
    const api = await estimates();
    expect(api.estimate).toBeUndefined();
    const page = await newPage();
    await page.goto(`${e.base}/estimates`);
    await page.getByRole("heading", { name: "No estimate yet" }).waitFor();
    expect(await page.getByTestId("documented").textContent()).toBe(n(api.documented, "en"));
    expect(await page.getByTestId("estimate").count()).toBe(0);
    // The server's reason is shown, not swallowed.
    expect(await page.getByTestId("notes").textContent()).toContain(api.notes[0]);
  });

  it("shows the documented count and the labelled estimate as the API gives them, in English and Persian", async () => {
    await importVictimList(e.t.ledger, csv(LIST_B), { list: "Synthetic Monitor B", file: "b.csv" });
    await linkLists(e.t.ledger, "estimates-e2e");
    const api = await estimates();
    const selected = api.estimate?.selected;
    expect(selected?.estimate, "the synthetic lists overlap, so a finite estimate exists").toBeTypeOf(
      "number",
    );
    expect(api.documented).toBeLessThan(api.records); // linkage joined someone across the lists
    const page = await newPage();
    await page.goto(`${e.base}/estimates`);
    await page.getByTestId("estimate").waitFor();
    expect(await page.getByTestId("documented").textContent()).toBe(n(api.documented, "en"));
    expect(await page.getByTestId("estimate").textContent()).toBe(n(selected?.estimate as number, "en"));
    const [low, high] = selected?.ci95 ?? [null, null];
    const interval = (await page.getByTestId("interval").textContent()) ?? "";
    if (low !== null) expect(interval).toContain(n(low, "en"));
    expect(interval).toContain(high === null ? "no upper limit" : n(high, "en"));
    // Labelled as an estimate, with the lists it used and what it assumes.
    await page.getByText("estimate, not a count").waitFor();
    const lists = (await page.getByTestId("lists").getByRole("listitem").allTextContents()).sort();
    expect(lists).toEqual([...(api.estimate?.lists ?? [])].sort());
    expect(await page.getByTestId("assumptions").textContent()).toMatch(/independently/);
    await checkA11y(page, "estimates en");
    await screenshot(page, "estimates-en");

    await page.goto(`${e.base}/estimates?lang=fa`);
    await page.getByTestId("estimate").waitFor();
    expect(await langDir(page)).toEqual(["fa", "rtl"]);
    expect(await page.getByTestId("documented").textContent()).toBe(n(api.documented, "fa"));
    expect(await page.getByTestId("estimate").textContent()).toBe(n(selected?.estimate as number, "fa"));
    expect(await page.getByTestId("estimate").textContent()).toMatch(/^[۰-۹٬]+$/);
    // The dashboard's navigation leads here.
    expect(await page.getByRole("link", { name: "برآوردها" }).getAttribute("aria-current")).toBe("page");
    await checkA11y(page, "estimates fa");
    await screenshot(page, "estimates-fa");
  });

  it("shows a reviewer the uncertain pairs of the latest linkage in the API's order", async () => {
    const reviewer = { username: "rev-synthetic", password: "reviewer password (synthetic)" };
    await createUser(e.t.ledger, { ...reviewer, role: "reviewer" }, "setup");
    const page = await newPage();
    await signIn(page, e.base, reviewer.username, reviewer.password);
    await page.goto(`${e.base}/review/linkage`);
    await page.getByRole("heading", { name: "Linkage review", level: 1 }).waitFor();
    await page.getByText(/^Linked at /).waitFor();
    const review = (await page.evaluate(async () => {
      const r = await fetch("/api/v1/lists/review", { credentials: "same-origin" });
      return r.json();
    })) as { pairs: { a: { list_id: string }; b: { list_id: string }; probability: number }[] };
    expect(review.pairs.length, "s-a5 and s-b8 wait for review").toBeGreaterThan(0);
    const rows = page.getByTestId("pairs").locator("tbody tr");
    expect(await rows.count()).toBe(review.pairs.length);
    for (const [i, p] of review.pairs.entries()) {
      const text = (await rows.nth(i).textContent()) ?? "";
      expect(text).toContain(p.a.list_id);
      expect(text).toContain(p.b.list_id);
      expect(text).toContain(`${(p.probability * 100).toFixed(1)} %`);
    }
    // The first pair side by side, with each field's agreement in words.
    const first = review.pairs[0] as (typeof review.pairs)[number];
    await page.getByRole("heading", { name: /^Pair 1 of / }).waitFor();
    expect(await page.getByRole("heading", { name: "Record A" }).locator("..").textContent()).toContain(
      first.a.list_id,
    );
    expect(await page.getByRole("heading", { name: "Record B" }).locator("..").textContent()).toContain(
      first.b.list_id,
    );
    await page.getByRole("row", { name: /^name\b/ }).waitFor();
    await checkA11y(page, "linkage review");
    await screenshot(page, "linkage-review");
  });
});
