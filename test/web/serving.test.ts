/**
 * Serving the built web app: files with the right caching, precompressed copies, the single-page app's routes
 * falling back to index.html, API paths and missing files answered as problems, and the security headers.
 * Uses a small stand-in build in a temporary folder (no Vite, no browser).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { registerWeb } from "../../src/server/web.js";
import { openTestLedger, type TestLedger } from "../helpers/backends.js";

const INDEX = "<!doctype html><html lang=en><title>Tally test build</title><div id=root></div></html>";
const SCRIPT = `console.log(${JSON.stringify("x".repeat(4000))});`;

describe("serving the web app", () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "tally-web-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), INDEX);
    writeFileSync(join(root, "assets", "app-Ab12.js"), SCRIPT);
    writeFileSync(join(root, "assets", "app-Ab12.js.br"), brotliCompressSync(SCRIPT));
    writeFileSync(join(root, "sw.js"), "self.addEventListener('fetch', () => {});");
    app = Fastify();
    await app.register(registerWeb, { root });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers the app's routes with index.html, revalidated on every visit", async () => {
    for (const url of ["/", "/report", "/review/incident/12", "/review?origin=candidate&type=protest"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.body).toBe(INDEX);
    }
  });

  it("serves hashed assets for a year, compressed when the browser takes it", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/assets/app-Ab12.js",
      headers: { "accept-encoding": "br, gzip" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.rawPayload.length).toBeLessThan(SCRIPT.length / 10);
    const plain = await app.inject({ method: "GET", url: "/assets/app-Ab12.js" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it("serves the service worker uncached, allowed the whole app as its scope", async () => {
    const res = await app.inject({ method: "GET", url: "/sw.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["service-worker-allowed"]).toBe("/");
  });

  it("answers missing files and API paths with a problem, never the app's page", async () => {
    for (const url of ["/assets/gone-Zz99.js", "/api/v1/nothing-here", "/favicon.ico"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body).not.toContain("Tally test build");
    }
  });

  it("never serves a file outside the build", async () => {
    for (const url of [
      "/../../etc/passwd",
      "/assets/../../../etc/passwd",
      "/assets/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2fetc%2fpasswd",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.body, url).not.toMatch(/root:.*:0:0:/);
      expect([200, 403, 404], url).toContain(res.statusCode);
    }
  });

  it("says how to build the app when it is not built", async () => {
    const bare = Fastify();
    await bare.register(registerWeb, { root: join(root, "missing") });
    const res = await bare.inject({ method: "GET", url: "/report" });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain("npm run build:web");
    await bare.close();
  });
});

describe("the web app inside the server", () => {
  let t: TestLedger;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await openTestLedger("sqlite");
    app = await buildServer({ ledger: t.ledger });
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it("sends the security headers with the page: a CSP allowing scripts from this origin only, nosniff, no framing", async () => {
    const res = await app.inject({ method: "GET", url: "/report" });
    expect([200, 503]).toContain(res.statusCode);
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(csp).toContain("frame-ancestors 'self'");
  });

  it("keeps API 404s as problems next to the app's fallback", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/no-such-thing" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});
