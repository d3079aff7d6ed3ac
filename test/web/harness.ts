/**
 * End-to-end harness: builds the web app, serves it with the API on a random local port over a fresh test
 * ledger, and drives Debian's Chromium through playwright-core. Tests skip with a message when
 * /usr/bin/chromium is absent (CI installs it; see .ci/run).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import sharp from "sharp";
import { expect } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { openTestLedger, type TestLedger } from "../helpers/backends.js";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `${CHROMIUM} not found: the end-to-end tests are skipped (install it with apt-get install chromium)`,
  );
}

const ROOT = resolve(import.meta.dirname, "..", "..");
export const SHOTS = join(tmpdir(), "tally-e2e-screenshots");

/**
 * Builds the app into a folder of its own and returns it: other test files and helpers build too, and a shared
 * web/dist emptied by one build under another's server would fail both.
 */
export function buildWeb(): string {
  const out = mkdtempSync(join(tmpdir(), "tally-web-build-"));
  const r = spawnSync(
    "npx",
    [
      "vite",
      "build",
      "--config",
      "web/vite.config.ts",
      "--logLevel",
      "error",
      "--outDir",
      out,
      "--emptyOutDir",
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

export interface E2E {
  t: TestLedger;
  app: FastifyInstance;
  base: string;
  browser: Browser;
  logs: string[];
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const webRoot = buildWeb();
  process.env.TALLY_WEB_ROOT = webRoot;
  // Every browser here comes from 127.0.0.1 and the scenarios sign in a dozen times a minute.
  process.env.TALLY_SIGNIN_PER_MINUTE = "200";
  const t = await openTestLedger("sqlite");
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer({ ledger: t.ledger, logger: { level: "info", stream } as never });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, temporary user-data-dir.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    t,
    app,
    base: `http://127.0.0.1:${port}`,
    browser,
    logs,
    async close() {
      await browser.close();
      await app.close();
      await t.cleanup();
      delete process.env.TALLY_WEB_ROOT;
      delete process.env.TALLY_SIGNIN_PER_MINUTE;
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}

const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Runs axe on the page as it is; fails on serious or critical violations, naming them. */
export async function checkA11y(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (scripts from self only) stays as served.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: { run(ctx: unknown): Promise<{ violations: unknown[] }> };
      document: unknown;
    };
    const r = await g.axe.run(g.document);
    return r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[];
  });
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** Takes a screenshot and checks it shows something: more than one colour, with some spread. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  const png = await page.screenshot({ path, fullPage: true });
  const stats = await sharp(png).stats();
  const spread = Math.max(...stats.channels.slice(0, 3).map((c) => c.stdev));
  expect(spread, `screenshot ${name} looks blank`).toBeGreaterThan(8);
  expect(stats.entropy, `screenshot ${name} looks blank`).toBeGreaterThan(0.3);
  return path;
}

export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}
