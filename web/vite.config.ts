/**
 * Builds the web app into web/dist: the page, hashed assets, the service worker at /sw.js (its scope is the
 * whole app, so it must sit at the root), a list of the assets for the worker to keep offline, and gzip and
 * brotli copies that the server prefers, because reporters are often on slow connections.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const root = resolve(import.meta.dirname);
const defaultOutDir = resolve(root, "dist");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * What the service worker keeps for offline use: the shell and the reporter's screens (sign-in, the form, own
 * submissions), with their styles, and the small files at the root. Other screens (the review desk, the
 * dashboard and its map data) are kept only once visited: a reporter's phone should not download them on
 * install, over a slow and costly connection.
 */
const OFFLINE_SCREENS = [
  "index.html",
  "src/pages/SignIn.tsx",
  "src/reporter/ReportPage.tsx",
  "src/reporter/SubmissionsPage.tsx",
];

function offlineAssets(outDir: string, urls: string[]): string[] {
  const manifest = JSON.parse(readFileSync(join(outDir, "build-manifest.json"), "utf8")) as Record<
    string,
    { file: string; imports?: string[]; css?: string[] }
  >;
  const keep = new Set(urls.filter((u) => !u.startsWith("/assets/")));
  const seen = new Set<string>();
  const walk = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    keep.add(`/${chunk.file}`);
    for (const c of chunk.css ?? []) keep.add(`/${c}`);
    for (const i of chunk.imports ?? []) walk(i);
  };
  for (const k of OFFLINE_SCREENS) walk(k);
  return [...keep].sort();
}

/** After the bundle is written: the offline asset list, then compressed copies of every text file. */
function offlineAndCompressed(): Plugin {
  // The build's folder as resolved (web/dist, or a folder given with --outDir).
  let outDir = defaultOutDir;
  return {
    name: "tally-offline-and-compressed",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = walk(outDir).filter((f) => !/\.(br|gz)$/.test(f));
      const urls = files
        .map((f) => `/${relative(outDir, f).replaceAll("\\", "/")}`)
        .filter(
          (u) => !["/sw.js", "/asset-manifest.json", "/build-manifest.json", "/index.html"].includes(u),
        );
      const manifest = JSON.stringify({ assets: offlineAssets(outDir, urls) });
      writeFileSync(join(outDir, "asset-manifest.json"), manifest);
      // Named after every file of the release, so any change installs a new worker that drops the old cache.
      const build = createHash("sha256").update(urls.sort().join("\n")).digest("hex").slice(0, 12);
      const sw = join(outDir, "sw.js");
      writeFileSync(sw, readFileSync(sw, "utf8").replace("__TALLY_BUILD__", build));
      for (const f of [...files, join(outDir, "asset-manifest.json")]) {
        if (!/\.(js|css|html|svg|json|webmanifest)$/.test(f)) continue;
        const data = readFileSync(f);
        if (data.length < 1024) continue;
        writeFileSync(`${f}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${f}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  root,
  base: "/",
  publicDir: resolve(root, "public"),
  plugins: [react(), offlineAndCompressed()],
  build: {
    outDir: defaultOutDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Which chunks each screen loads: the bench sums them to measure what a reporter's phone downloads.
    manifest: "build-manifest.json",
    // No inline polyfill script: the CSP allows scripts from this origin only.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { index: resolve(root, "index.html"), sw: resolve(root, "src/sw.ts") },
      output: {
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
