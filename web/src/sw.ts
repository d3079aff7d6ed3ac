/**
 * The service worker: keeps the app (page and every built asset) so the reporter's form opens without a
 * connection, and sends the outbox on a background sync. API requests always go to the network: nothing
 * the server says about data is served from a cache.
 */
import { flushOutbox } from "./offline/send.js";

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface SyncEvent extends ExtendableEvent {
  tag: string;
}
declare const self: {
  addEventListener(type: "install" | "activate", fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", fn: (e: FetchEvent) => void): void;
  addEventListener(type: "sync", fn: (e: SyncEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};

// Replaced after the build by a hash of the asset list (web/vite.config.ts), so every release changes this file:
// the browser then installs the new worker, which keeps the new assets and drops the old cache.
const BUILD = "__TALLY_BUILD__";
const CACHE = `tally-app-${BUILD}`;

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.add(new Request("/index.html", { cache: "reload" }));
  const res = await fetch("/asset-manifest.json", { cache: "no-store" });
  if (res.ok) {
    const { assets } = (await res.json()) as { assets: string[] };
    await cache.addAll(assets);
  }
}

self.addEventListener("install", (e) => {
  e.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    // The network first, so a new release shows at once; the kept page when offline.
    e.respondWith(fetch(req).catch(async () => (await caches.match("/index.html")) ?? Response.error()));
    return;
  }
  e.respondWith(
    (async () => {
      const hit = await caches.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && url.pathname.startsWith("/assets/")) {
        const cache = await caches.open(CACHE);
        await cache.put(req, res.clone());
      }
      return res;
    })(),
  );
});

self.addEventListener("sync", (e) => {
  if (e.tag === "tally-outbox") e.waitUntil(flushOutbox());
});
