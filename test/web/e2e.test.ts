/**
 * The six scenarios of issue 5 in Debian's Chromium, with axe checks and non-blank screenshots of each screen.
 * All data here is synthetic.
 */
import type { BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importArticle } from "../../src/services/articles.js";
import { createToken } from "../../src/services/tokens.js";
import { createUser } from "../../src/services/users.js";
import { checkA11y, type E2E, hasChromium, screenshot, signIn, startE2E } from "./harness.js";

const ADMIN_PASSWORD = "admin password (synthetic)";
const REVIEWER = { username: "rev-ana", password: "reviewer password 1" };
const REPORTER = { username: "field-kestrel", password: "reporter password 1" };
const PHONE = { width: 390, height: 844 };
/** A synthetic article: every name and figure in it is invented. */
const ARTICLE = `Protests in Isfahan and Shiraz (synthetic)

ISFAHAN, January 6, 2026 — Security forces killed at least 4 people in Isfahan on Monday, a local rights group said. The interior ministry said 2 people had died. About 30 people were arrested in Shiraz on the same day, according to the Synthetic Human Rights Network.`;

describe.skipIf(!hasChromium)("web app end to end (Chromium)", () => {
  let e: E2E;
  let reviewerToken = "";
  const contexts: BrowserContext[] = [];

  async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await e.browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }

  async function importCsv(csv: string): Promise<void> {
    const res = await e.app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${reviewerToken}`, "content-type": "text/csv" },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  // Unreviewed field reports are not public: the test reads the ledger as a reviewer does.
  const asReviewer = () => ({ authorization: `Bearer ${reviewerToken}` });

  async function incident(id: number) {
    return (
      await e.app.inject({ method: "GET", url: `/api/v1/incidents/${id}`, headers: asReviewer() })
    ).json();
  }

  async function incidentIds(query: string): Promise<number[]> {
    const r = await e.app.inject({ method: "GET", url: `/api/v1/incidents?${query}`, headers: asReviewer() });
    return (r.json().items as { id: number }[]).map((i) => i.id);
  }

  beforeAll(async () => {
    e = await startE2E();
    await createUser(e.t.ledger, { username: "admin", role: "admin", password: ADMIN_PASSWORD }, "setup");
    reviewerToken = (await createToken(e.t.ledger, "e2e-import", "reviewer")).token;
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await e?.close();
  });

  it("1. an admin creates a reviewer and a reporter", async () => {
    const page = await newPage();
    await signIn(page, e.base, "admin", ADMIN_PASSWORD);
    await page.waitForURL(/\/admin\/users$/);
    await expect.poll(() => page.getByRole("heading", { name: "Users", level: 1 }).count()).toBe(1);
    for (const [u, role] of [
      [REVIEWER, "reviewer"],
      [REPORTER, "reporter"],
    ] as const) {
      await page.getByLabel("Username").fill(u.username);
      await page.getByLabel("Role", { exact: true }).selectOption(role);
      await page.getByLabel(/^Password/).fill(u.password);
      await page.getByRole("button", { name: "Create user" }).click();
      await page.getByText(`User ${u.username} created as ${role}`).waitFor();
    }
    await page.getByRole("cell", { name: REPORTER.username, exact: true }).waitFor();
    // An API token for a script, with a role, shown once.
    await page.getByLabel("What the token is for").fill("nightly import");
    await page.getByLabel("Token role").selectOption("reviewer");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.locator("code.secret").textContent()) as string;
    expect(token).toMatch(/^tly_/);
    const me = await e.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ kind: "token", role: "reviewer" });
    await checkA11y(page, "admin users");
    await screenshot(page, "1-admin-users");
    // The new accounts work.
    const check = await newPage();
    await signIn(check, e.base, REVIEWER.username, REVIEWER.password);
    await check.waitForURL(/\/review$/);
  });

  it("2. the reporter submits an incident with a photo, on a phone screen", async () => {
    const page = await newPage(PHONE);
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    await page.waitForURL(/\/report$/);
    await checkA11y(page, "report form");
    await page.getByLabel("Date").fill("2026-01-08");
    await page.getByRole("combobox", { name: "Place" }).fill("Isfah");
    await page
      .getByRole("option", { name: /^Isfahan/ })
      .first()
      .click();
    await page.getByLabel("Type").selectOption("protest");
    await page.getByLabel("Arrested").fill("12");
    await page.getByLabel("Participants").fill("300-400");
    await page.getByLabel("Description").fill("Synthetic: a gathering near the bazaar, dispersed at dusk.");
    await page.getByLabel("Link (URL)").fill("https://example.org/synthetic/1");
    // A photo with camera metadata (synthetic): it travels with the report and is stored without it.
    const photo = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 40, g: 90, b: 160 } },
    })
      .jpeg()
      .withExif({ IFD0: { Artist: "Synthetic Camera Owner", Copyright: "synthetic" } })
      .toBuffer();
    await page
      .getByLabel("Photos, video or documents")
      .setInputFiles({ name: "gathering.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.getByText(/gathering\.jpg \(\d+ KB\)/).waitFor();
    await page.getByRole("button", { name: "Send report" }).click();
    const sent = page.locator('.outbox li[data-state="sent"]').first();
    await sent.waitFor();
    // Sent, and the ledger's own state beside it.
    await sent.getByText("in review").waitFor();
    await screenshot(page, "2-report-sent");
    // The phone keeps no more of the report than its list shows, once the ledger has it.
    const kept = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          type Req<T> = {
            result: T;
            error: unknown;
            onsuccess: (() => void) | null;
            onerror: (() => void) | null;
          };
          type Db = {
            transaction(s: string): { objectStore(s: string): { getAll(): Req<unknown[]> } };
            close(): void;
          };
          const idb = (globalThis as unknown as { indexedDB: { open(n: string): Req<Db> } }).indexedDB;
          const req = idb.open("tally");
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const get = req.result.transaction("outbox").objectStore("outbox").getAll();
            get.onsuccess = () => {
              resolve(JSON.stringify(get.result));
              req.result.close();
            };
          };
        }),
    );
    expect(kept).toContain("Isfahan");
    expect(kept).not.toContain("bazaar");
    expect(kept).not.toContain("gathering.jpg");
    // The reviewer finds the photo with the incident, stored without the camera's metadata.
    const mine = (
      await e.app.inject({ method: "GET", url: "/api/v1/incidents?limit=5", headers: asReviewer() })
    ).json().items as {
      id: number;
      description: string | null;
      attributes: Record<string, string>;
    }[];
    const reported = mine.find((i) => i.description?.includes("bazaar"));
    const attachmentId = Number(reported?.attributes.attachments);
    expect(attachmentId).toBeGreaterThan(0);
    const stored = await e.app.inject({
      method: "GET",
      url: `/api/v1/attachments/${attachmentId}`,
      headers: { authorization: `Bearer ${reviewerToken}` },
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.headers["content-type"]).toBe("image/jpeg");
    expect(stored.rawPayload.includes("Synthetic Camera Owner")).toBe(false);
    expect(photo.includes("Synthetic Camera Owner")).toBe(true);
    await page.goto(`${e.base}/submissions`);
    const card = page.locator(".card").filter({ hasText: "Isfahan" });
    await card.getByText("in review").waitFor();
    await checkA11y(page, "my submissions");
    await screenshot(page, "2-submissions");
  });

  it("3. a report made offline waits in the browser and is sent once back online, exactly once", async () => {
    const page = await newPage(PHONE);
    const context = page.context();
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    await page.waitForURL(/\/report$/);
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }
      ).navigator.serviceWorker.ready.then(() => true),
    );
    await context.setOffline(true);
    // The service worker serves the app without a connection.
    await page.reload();
    await page.getByRole("heading", { name: "Report an incident" }).waitFor();
    await page.getByLabel("Date").fill("2026-01-09");
    await page.getByRole("combobox", { name: "Place" }).fill("Mashhad (Razavi Khorasan)");
    await page.getByLabel(/^Country code/).fill("IR");
    await page.getByLabel("Type").selectOption("arrests");
    await page.getByLabel("Arrested").fill("7");
    await page.getByRole("button", { name: "Send report" }).click();
    const item = page.locator(".outbox li").filter({ hasText: "Mashhad" });
    await item.and(page.locator('[data-state="waiting"]')).waitFor();
    const externalId = (await item.getAttribute("data-external-id")) as string;
    expect(externalId).toMatch(/^web-[0-9a-f-]{36}$/);
    await screenshot(page, "3-offline-waiting");
    const before = await incidentIds("limit=1000");

    await context.setOffline(false);
    await item.and(page.locator('[data-state="sent"]')).waitFor({ timeout: 30_000 });
    await item.getByText("in review").waitFor();
    const after = await incidentIds("limit=1000");
    expect(after.length).toBe(before.length + 1);
    const sentId = after.find((id) => !before.includes(id)) as number;
    expect((await incident(sentId)).externalId).toBe(externalId);

    // A resend of the same report (say, after a lost answer) records nothing new.
    const resend = await page.evaluate(async (id) => {
      const { token } = (await (await fetch("/api/v1/auth/csrf")).json()) as { token: string };
      const r = await fetch("/api/v1/incidents", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": token },
        body: JSON.stringify({
          external_id: id,
          date: "2026-01-09",
          place: "Mashhad (Razavi Khorasan)",
          country: "IR",
          type: "arrests",
          arrested: "7",
        }),
      });
      return r.status;
    }, externalId);
    expect(resend).toBe(200);
    expect((await incidentIds("limit=1000")).length).toBe(after.length);
    await page.goto(`${e.base}/submissions`);
    await page.locator(".card").filter({ hasText: "Mashhad" }).getByText("in review").waitFor();
  });

  it("3b. the reporter's screens work in Persian, right to left, with Persian digits", async () => {
    const page = await newPage(PHONE);
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    await page.goto(`${e.base}/report?lang=fa`);
    await page.getByRole("heading", { name: "گزارش یک رویداد" }).waitFor();
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { dir: string; lang: string } } }).document
            .documentElement.dir,
      ),
    ).toBe("rtl");
    await checkA11y(page, "report form in Persian");
    await page.getByLabel("تاریخ").fill("2026-01-10");
    await page.getByRole("combobox", { name: "مکان" }).fill("Tabriz (East Azerbaijan)");
    await page.getByLabel(/^کد کشور/).fill("IR");
    await page.getByLabel("نوع", { exact: true }).selectOption("strike");
    await page.getByLabel("شرکت‌کنندگان").fill("۱٬۲۰۰-۱٬۵۰۰");
    await page.getByRole("button", { name: "ارسال گزارش" }).click();
    const item = page.locator(".outbox li").filter({ hasText: "Tabriz" });
    await item.and(page.locator('[data-state="sent"]')).waitFor();
    await item.getByText("در حال بازبینی").waitFor();
    await screenshot(page, "3b-persian");
    const externalId = (await item.getAttribute("data-external-id")) as string;
    const stored = await e.t.ledger.store.db
      .selectFrom("incidents")
      .select(["participants_low", "participants_high"])
      .where("external_id", "=", externalId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ participants_low: 1200, participants_high: 1500 });
    // The choice stays for the next visit (cookie), as on the dashboard.
    await page.goto(`${e.base}/submissions`);
    await page.getByRole("heading", { name: "گزارش‌های من" }).waitFor();
    await checkA11y(page, "my submissions in Persian");
  });

  it("3c. on a shared phone, a waiting report is listed and sent only in its author's session", async () => {
    await createUser(
      e.t.ledger,
      { username: "field-heron", role: "reporter", password: "reporter password 2" },
      "setup",
    );
    const page = await newPage(PHONE);
    const context = page.context();
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    await page.waitForURL(/\/report$/);
    await context.setOffline(true);
    await page.getByRole("combobox", { name: "Place" }).fill("Ahvaz");
    await page.getByLabel(/^Country code/).fill("IR");
    await page.getByLabel("Type").selectOption("strike");
    await page.getByRole("button", { name: "Send report" }).click();
    const item = page.locator(".outbox li").filter({ hasText: "Ahvaz" });
    await item.and(page.locator('[data-state="waiting"]')).waitFor();
    const externalId = (await item.getAttribute("data-external-id")) as string;
    // The session ends (cookie gone) before the connection returns; another reporter signs in on this phone.
    await context.clearCookies();
    await context.setOffline(false);
    await signIn(page, e.base, "field-heron", "reporter password 2");
    await page.waitForURL(/\/report$/);
    await page.reload();
    await page.getByRole("heading", { name: "Report an incident" }).waitFor();
    await expect.poll(() => page.locator(".outbox li").count()).toBe(0);
    await page.waitForTimeout(1500);
    const sentAs = () =>
      e.t.ledger.store.db
        .selectFrom("incidents")
        .select("id")
        .where("external_id", "=", externalId)
        .execute();
    expect(await sentAs()).toHaveLength(0);
    // Its author signs in again: it is sent, in the author's name.
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    await page.reload();
    await item.and(page.locator('[data-state="sent"]')).waitFor({ timeout: 30_000 });
    const [row] = await e.t.ledger.store.db
      .selectFrom("incidents")
      .select("submitted_by")
      .where("external_id", "=", externalId)
      .execute();
    const author = await e.t.ledger.store.db
      .withTables<{ users: { id: number; username: string } }>()
      .selectFrom("users")
      .select("id")
      .where("username", "=", REPORTER.username)
      .executeTakeFirstOrThrow();
    expect(row?.submitted_by).toBe(author.id);
  });

  it("4. the reviewer accepts the candidates of an imported article", async () => {
    const report = await importArticle(e.t.ledger, ARTICLE, {
      origin: "https://example.org/synthetic/article-1",
      contentType: "text/plain",
      country: "IR",
      source: "Synthetic Daily",
      sourceKind: "media",
      actor: "e2e",
    });
    const expected = report.claims + report.events;
    expect(expected).toBeGreaterThanOrEqual(3);
    const page = await newPage();
    await signIn(page, e.base, REVIEWER.username, REVIEWER.password);
    await page.goto(`${e.base}/review?origin=candidate`);
    const rows = page.locator("table.queue tbody tr");
    await expect.poll(() => rows.count()).toBe(expected);
    await checkA11y(page, "review queue");
    await screenshot(page, "4-queue");
    // Keyboard only: open the first, then accept each candidate, which moves on to the next.
    await page.keyboard.press("Enter");
    for (let n = 0; n < expected; n++) {
      await page.waitForURL(/\/review\/candidate\/(claim|incident)-\d+$/);
      const here = page.url();
      const marked = page.locator(".document mark");
      await marked.waitFor();
      // The highlighted words are the stored text at the candidate's span.
      expect(ARTICLE).toContain((await marked.textContent()) as string);
      if (n === 0) {
        await checkA11y(page, "candidate");
        await screenshot(page, "4-candidate");
      }
      await page.keyboard.press("a");
      await page.waitForURL((u) => u.href !== here);
    }
    await page.waitForURL(/\/review$/);
    const db = e.t.ledger.store.db;
    const claims = await db
      .selectFrom("claims")
      .select("status")
      .where("document_id", "=", report.documentId)
      .execute();
    const events = await db
      .selectFrom("incidents")
      .innerJoin("incident_documents", "incident_documents.incident_id", "incidents.id")
      .select("incidents.status")
      .where("incident_documents.document_id", "=", report.documentId)
      .execute();
    expect(claims.length + events.length).toBe(expected);
    expect([...claims, ...events].every((r) => r.status === "verified")).toBe(true);
  });

  it("5. the reviewer merges two duplicates side by side, and can undo it", async () => {
    await importCsv(
      [
        "external_id,date,place,country,type,participants,source,source_kind,status",
        "dup-a,2026-01-05,Shiraz,IR,protest,100,Synthetic Network,network,submitted",
        "dup-b,2026-01-05,Shiraz,IR,protest,120,Synthetic Daily,media,submitted",
      ].join("\n"),
    );
    const [b, a] = (await incidentIds("status=submitted&limit=2")) as [number, number];
    const page = await newPage();
    await signIn(page, e.base, REVIEWER.username, REVIEWER.password);
    await page.goto(`${e.base}/review/incident/${a}`);
    await page.getByRole("link", { name: new RegExp(`Incident ${b}: score`) }).waitFor();
    await checkA11y(page, "incident review");
    await screenshot(page, "5-incident");
    await page.keyboard.press("m");
    await page.waitForURL(new RegExp(`/review/duplicates/${a}\\?with=${b}$`));
    await page.getByRole("button", { name: new RegExp(`Merge ${b} into ${a}`) }).waitFor();
    await checkA11y(page, "duplicates");
    await screenshot(page, "5-duplicates");
    await page.getByLabel("Note").fill("same gathering, two reports");
    // Shortcuts are ignored while typing in a field: leave it first.
    await page.getByRole("heading", { level: 1 }).click();
    await page.keyboard.press("m");
    await page.getByText(`Incident ${b} merged into ${a}.`).waitFor();
    expect((await incident(b)).mergedInto).toBe(a);
    await page.getByRole("button", { name: /Unmerge/ }).click();
    await page.getByText(`Incident ${b} is separate again.`).waitFor();
    expect((await incident(b)).mergedInto).toBeNull();

    // Status and grade with a note, then the history shows who did what.
    await page.goto(`${e.base}/review/incident/${a}`);
    await page.getByLabel("Status").selectOption("verified");
    await page.getByLabel("Grade").selectOption("fair");
    await page.getByLabel(/^Note/).fill("two independent sources");
    await page.getByRole("button", { name: "Save decision" }).click();
    await page.locator(".history li").filter({ hasText: "two independent sources" }).waitFor();
    expect(await incident(a)).toMatchObject({ status: "verified", grade: "fair" });
  });

  it("6. a reporter is refused the reviewer's pages and API", async () => {
    const page = await newPage(PHONE);
    await signIn(page, e.base, REPORTER.username, REPORTER.password);
    for (const path of ["/review", "/admin/users", "/claims/new"]) {
      await page.goto(`${e.base}${path}`);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    }
    await checkA11y(page, "not allowed");
    await screenshot(page, "6-refused");
    const statuses = await page.evaluate(async () => {
      const { token } = (await (await fetch("/api/v1/auth/csrf")).json()) as { token: string };
      const call = (method: string, url: string, body?: unknown) =>
        fetch(url, {
          method,
          headers: { "content-type": "application/json", "x-csrf-token": token },
          ...(body ? { body: JSON.stringify(body) } : {}),
        }).then((r) => r.status);
      return [
        await call("POST", "/api/v1/incidents/1/review", { status: "verified" }),
        await call("POST", "/api/v1/incidents/merge", { into: 1, ids: [2] }),
        await call("GET", "/api/v1/incidents/1/duplicates"),
        await call("GET", "/api/v1/users"),
        await call("PATCH", "/api/v1/users/1", { role: "admin" }),
        await call("POST", "/api/v1/claims", { source: "x", metric: "killed", low: 1 }),
      ];
    });
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403]);
  });

  it("checks the remaining screens with axe", async () => {
    const page = await newPage();
    // The start page is the public dashboard's (issue 6), checked by its own tests.
    await page.goto(`${e.base}/sign-in`);
    await checkA11y(page, "sign-in");
    await screenshot(page, "sign-in");
    await signIn(page, e.base, REVIEWER.username, REVIEWER.password);
    await page.goto(
      `${e.base}/claims/new?quote=${encodeURIComponent("about 1,500 people were killed")}&source=Synthetic%20Wire`,
    );
    await page.getByRole("heading", { name: "Record a claim" }).waitFor();
    await checkA11y(page, "claim form");
  });

  it("keeps reporters' names and client addresses out of the server log", () => {
    const text = e.logs.join("");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(REPORTER.username);
    const requestLines = e.logs.filter((l) => /"req"|"res"/.test(l));
    expect(requestLines.length).toBeGreaterThan(10);
    for (const l of requestLines) {
      expect(l).not.toMatch(/127\.0\.0\.1|remoteAddress|"ip"/);
    }
  });
});
