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
      const manifest = JSON.stringify({ assets: urls.sort() });
      writeFileSync(join(outDir, "asset-manifest.json"), manifest);
      const build = createHash("sha256").update(manifest).digest("hex").slice(0, 12);
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
