/**
 * The web app: the files Vite built into web/dist, and index.html for the single-page app's own routes
 * (/report, /review/..., /admin/..., and later the public dashboard's), so a deep link or a reload works.
 * Hashed assets are cached for a year; index.html and the service worker are revalidated on every load, so a
 * new release reaches phones at their next visit. Compressed copies made at build time are preferred.
 * Helmet's headers (CSP, nosniff, frame-ancestors) are set on the root instance and apply here too.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { sendProblem } from "./problem.js";

/**
 * web/dist from both src/server (tsx) and dist/server (built): two levels up is the package root. TALLY_WEB_ROOT
 * names another build (tests and benchmarks build into folders of their own, so parallel runs never share one).
 */
export function defaultWebRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.TALLY_WEB_ROOT || resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "web", "dist");
}

export interface WebOptions {
  root?: string;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tally</title></head>
<body><main><h1>Tally</h1><p>The web app is not built. Run <code>npm run build:web</code>, then restart
<code>tally serve</code>. The API is at <a href="/api/v1/meta">/api/v1/meta</a>.</p></main></body></html>`;

export async function registerWeb(app: FastifyInstance, options: WebOptions = {}): Promise<void> {
  const root = options.root ?? defaultWebRoot();
  const built = existsSync(join(root, "index.html"));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: "/",
      // One route per built file, so that everything else reaches the fallback below.
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, path) {
        const file = path.slice(root.length).replaceAll("\\", "/");
        if (file.startsWith("/assets/")) res.header("cache-control", "public, max-age=31536000, immutable");
        else res.header("cache-control", "no-cache");
        if (file === "/sw.js") res.header("service-worker-allowed", "/");
      },
    });
  }
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    // API paths and missing files get the API's problem answer, never the app's page.
    const isAppRoute = !path.startsWith("/api/") && !/\.[A-Za-z0-9]{1,8}$/.test(path);
    if (!isAppRoute) {
      return sendProblem(reply, 404, undefined, `no route for ${request.method} ${path}`, path);
    }
    reply.header("cache-control", "no-cache");
    if (!built) return reply.code(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    return reply.type("text/html; charset=utf-8").sendFile("index.html", root);
  });
}
