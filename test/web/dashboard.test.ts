/**
 * The public dashboard end to end in Debian's Chromium: figures equal the API's tallies, filters live in the
 * URL and the URL restores the view, the Persian view is right-to-left with Solar Hijri dates, a bulletin
 * renders, and the static site works from files. Every screen is checked with axe and a non-blank screenshot.
 * The ledger is the SYNTHETIC demo, smaller.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatDay, formatNumber, formatRange } from "../../src/core/locale.js";
import { buildDemo } from "../../src/services/demo.js";
import { exportSite } from "../../src/services/site.js";
import { checkA11y, type E2E, hasChromium, screenshot, startE2E } from "./harness.js";

/** The page's <html lang dir>; the test runs in Node, so the page's globals are typed here by hand. */
function langDir(page: Page): Promise<[string, string]> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { lang: string; dir: string } } })
      .document.documentElement;
    return [root.lang, root.dir] as [string, string];
  });
}

function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return g.document.documentElement.scrollWidth > g.innerWidth;
  });
}

interface Total {
  low: number;
  high: number;
  incidents: number;
  cities: number;
  provinces: number;
}

describe.skipIf(!hasChromium)("public dashboard (Chromium)", () => {
  let e: E2E;
  const contexts: BrowserContext[] = [];
  let siteDir = "";
  const pageErrors: string[] = [];

  async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await e.browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    // A step that cannot happen fails with its own name instead of the test's timeout.
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }

  async function api<T>(url: string): Promise<T> {
    const r = await e.app.inject({ method: "GET", url });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json() as T;
  }

  beforeAll(async () => {
    e = await startE2E();
    await buildDemo(e.t.ledger, { incidents: 1500, days: 60 });
    siteDir = mkdtempSync(join(tmpdir(), "tally-site-e2e-"));
  }, 240_000);

  afterEach(() => {
    expect(pageErrors.splice(0), "errors in the page").toEqual([]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await e?.close();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  it("shows headline figures and a table equal to the API's tallies", async () => {
    const page = await newPage();
    await page.goto(`${e.base}/`);
    await page.getByRole("heading", { name: "Headline figures" }).waitFor();
    const headline = await api<{ metrics: { metric: string }[] }>("/api/v1/headline");
    expect(headline.metrics.length).toBeGreaterThan(2);
    for (const { metric } of headline.metrics) {
      const { total } = await api<{ total: Total }>(
        `/api/v1/tallies?metric=${metric}&by=country&grade=headline`,
      );
      await expect
        .poll(() => page.getByTestId(`documented-${metric}`).textContent())
        .toBe(formatRange(total, "en"));
      const places = await page.getByTestId(`places-${metric}`).textContent();
      expect(places).toContain(
        `in ${formatNumber(total.cities, "en")} cities of ${formatNumber(total.provinces, "en")} provinces`,
      );
    }
    // The table beside the map: one row per province of the API's tally, same figures.
    const selected = await page.locator(".headline-card.selected").getAttribute("data-metric");
    const tally = await api<{
      rows: { place: { id: string }; low: number; high: number; incidents: number }[];
    }>(`/api/v1/tallies?metric=${selected}&by=province&grade=headline`);
    const rows = page.locator(".place-table tbody tr");
    await expect.poll(() => rows.count()).toBe(tally.rows.length);
    for (const r of tally.rows.slice(0, 5)) {
      const cells = await page.locator(`.place-table tr[data-place="${r.place.id}"] td`).allTextContents();
      expect(cells.slice(0, 3)).toEqual([r.low, r.high, r.incidents].map((n) => formatNumber(n, "en")));
    }
    // The map draws one symbol per located place, and the outlines arrive.
    await expect.poll(() => page.locator(".map .symbols circle").count()).toBe(tally.rows.length);
    await page.locator(".map .outlines path").first().waitFor({ state: "attached" });
    await page.locator(".plot svg").first().waitFor();
    await checkA11y(page, "dashboard");
    await screenshot(page, "dashboard-en");
  });

  it("keeps filters in the URL, and the URL restores the view", async () => {
    const page = await newPage();
    await page.goto(`${e.base}/`);
    const form = page.getByRole("form", { name: "Filters" });
    await form.waitFor();
    await form.getByLabel("Metric").selectOption("arrested");
    await form.getByLabel("Map and table by").selectOption("city");
    await form.getByLabel("From").fill("2025-10-01");
    await form.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.searchParams.get("metric") === "arrested");
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      metric: "arrested",
      by: "city",
      from: "2025-10-01",
    });
    const cityTally = await api<{ rows: unknown[] }>(
      "/api/v1/tallies?metric=arrested&by=city&from=2025-10-01&grade=headline",
    );
    await expect.poll(() => page.locator(".place-table tbody tr").count()).toBe(cityTally.rows.length);
    // Sorting is part of the view too.
    await page.getByRole("button", { name: /^Place/ }).click();
    await page.waitForURL((u) => u.searchParams.get("sort") === "name");

    // A fresh page at the same URL shows the same view.
    const again = await newPage();
    await again.goto(page.url());
    const form2 = again.getByRole("form", { name: "Filters" });
    await expect.poll(() => form2.getByLabel("Metric").inputValue()).toBe("arrested");
    expect(await form2.getByLabel("Map and table by").inputValue()).toBe("city");
    expect(await form2.getByLabel("From").inputValue()).toBe("2025-10-01");
    await expect.poll(() => again.locator(".place-table tbody tr").count()).toBe(cityTally.rows.length);
    const names = await again.locator(".place-table tbody th").allTextContents();
    expect(names).toEqual([...names].sort((a, b) => new Intl.Collator("en").compare(a, b)));

    // Clicking a symbol opens the incident list filtered to that place.
    const symbol = again.locator(".map .symbols a").first();
    const placeId = await symbol.getAttribute("data-place");
    await symbol.click();
    await again.waitForURL(/\/incidents\?/);
    const params = new URL(again.url()).searchParams;
    expect(params.get("place")).toBe(placeId);
    expect(params.get("metric")).toBe("arrested");
    const listed = await api<{ items: { id: number }[] }>(`/api/v1/incidents?${params.toString()}&limit=50`);
    await expect.poll(() => again.locator("tr[data-incident]").count()).toBe(listed.items.length);

    // Back returns to the dashboard view as it was.
    await again.goBack();
    await expect
      .poll(() => again.getByRole("form", { name: "Filters" }).getByLabel("Metric").inputValue())
      .toBe("arrested");
  });

  it("searches incidents with filters kept in the URL, and opens an incident page", async () => {
    const page = await newPage();
    await page.goto(`${e.base}/incidents`);
    await page.getByLabel("Search descriptions and places").fill("tehran");
    await page.getByLabel("Status").selectOption("verified");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.searchParams.get("q") === "tehran");
    const listed = await api<{ items: { id: number }[] }>(
      "/api/v1/incidents?q=tehran&status=verified&limit=50",
    );
    expect(listed.items.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator("tr[data-incident]").count()).toBe(listed.items.length);
    const ids = await page
      .locator("tr[data-incident]")
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-incident"))));
    expect(ids).toEqual(listed.items.map((i) => i.id));
    await checkA11y(page, "incident list");
    await screenshot(page, "dashboard-incidents");
    await page.locator("tr[data-incident] a").first().click();
    await page.waitForURL(/\/incidents\/\d+$/);
    await page.getByRole("heading", { name: `Incident ${listed.items[0]?.id}` }).waitFor();
    await page.getByRole("heading", { name: "Sources" }).waitFor();
    await checkA11y(page, "incident page");
  });

  it("shows the sources with their claims and corroboration", async () => {
    const page = await newPage();
    await page.goto(`${e.base}/sources?metric=killed`);
    const cmp = await api<{ sources: { source: { name: string }; claims: unknown[] }[] }>(
      "/api/v1/comparisons?metric=killed",
    );
    for (const s of cmp.sources) await page.getByRole("heading", { name: s.source.name }).waitFor();
    await page.locator(".plot svg").first().waitFor();
    await checkA11y(page, "sources");
    await screenshot(page, "dashboard-sources");
  });

  it("lays Persian out right to left with Solar Hijri dates, Persian digits and place names", async () => {
    const page = await newPage();
    await page.goto(`${e.base}/?lang=fa`);
    await page.getByRole("heading", { name: "ارقام اصلی" }).waitFor();
    expect(await langDir(page)).toEqual(["fa", "rtl"]);
    const h = await api<{ lastDate: string; metrics: { metric: string; documented: Total }[] }>(
      "/api/v1/headline",
    );
    // The Solar Hijri date with the Gregorian beside it, e.g. "۲۲ بهمن ۱۴۰۴ (۱۱ فوریه ۲۰۲۶)".
    const asOf = await page.locator(".as-of").textContent();
    expect(asOf).toContain(formatDay(h.lastDate, "fa"));
    expect(asOf).toMatch(/(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)/);
    const first = h.metrics[0];
    const figure = await page.getByTestId(`documented-${first?.metric}`).textContent();
    expect(figure).toBe(formatRange(first?.documented ?? { low: 0, high: 0 }, "fa"));
    expect(figure).not.toMatch(/[0-9]/);
    await page.locator(".place-table tbody th").first().waitFor();
    expect(await page.locator(".place-table tbody th").allTextContents()).toContain("تهران");
    // No horizontal scroll in right-to-left.
    expect(await scrollsSideways(page)).toBe(false);
    await checkA11y(page, "dashboard fa");
    await screenshot(page, "dashboard-fa");

    // The cookie keeps the choice for pages opened without ?lang.
    await page.goto(`${e.base}/incidents`);
    await page.getByRole("heading", { name: "رویدادها", level: 1 }).waitFor();
    expect((await langDir(page))[1]).toBe("rtl");
    // The switch goes back to English, in the URL.
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL((u) => u.searchParams.get("lang") === "en");
    await page.getByRole("heading", { name: "Incidents", level: 1 }).waitFor();
    expect((await langDir(page))[1]).toBe("ltr");
  });

  it("renders a bulletin in both languages", async () => {
    const h = await api<{ lastDate: string }>("/api/v1/headline");
    const page = await newPage();
    await page.goto(`${e.base}/bulletins/${h.lastDate}`);
    await page.getByRole("heading", { name: /Daily bulletin/, level: 1 }).waitFor();
    expect(await page.locator("figure svg rect").count()).toBeGreaterThan(10);
    await checkA11y(page, "bulletin");
    await screenshot(page, "bulletin-en");
    await page.getByRole("link", { name: "فارسی" }).click();
    await page.getByRole("heading", { name: /گزارش روزانه/, level: 1 }).waitFor();
    expect((await langDir(page))[1]).toBe("rtl");
    await checkA11y(page, "bulletin fa");
    await screenshot(page, "bulletin-fa");
  });

  it("writes a static site that works when opened from files", async () => {
    await exportSite(e.t.ledger, siteDir, { bulletinDays: 2 });
    const h = await api<{ lastDate: string; metrics: { metric: string; documented: Total }[] }>(
      "/api/v1/headline",
    );
    const page = await newPage();
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    await page.goto(`file://${siteDir}/index.html`);
    for (const m of h.metrics) {
      expect(await page.getByTestId(`documented-${m.metric}`).textContent()).toBe(
        formatRange(m.documented, "en"),
      );
    }
    expect(await page.locator("svg circle").count()).toBeGreaterThan(10);
    await checkA11y(page, "static site");
    await screenshot(page, "static-en");
    await page.getByRole("link", { name: "فارسی" }).click();
    await page.waitForURL(/index\.fa\.html$/);
    expect((await langDir(page))[1]).toBe("rtl");
    await page.getByRole("link", { name: "گزارش‌های روزانه" }).click();
    await page.waitForURL(/bulletins\/\d{4}-\d{2}-\d{2}\.fa\.html$/);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(failed).toEqual([]);
    await screenshot(page, "static-bulletin-fa");
  });
});
