/** When the page sends the outbox: at start, when the connection returns, and on a slow timer as a fallback. */
import { flushOutbox } from "./send.js";

export function startOutboxSync(): void {
  const kick = () => {
    if (navigator.onLine) void flushOutbox().catch(() => undefined);
  };
  addEventListener("online", kick);
  setInterval(kick, 30_000);
  kick();
}

/** Asks the service worker to send when the connection returns, even if this page is closed by then. */
export async function requestBackgroundSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.ready) as
      | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
      | undefined;
    await reg?.sync?.register("tally-outbox");
  } catch {
    // Background Sync is not everywhere; the page's own "online" listener covers the open-page case.
  }
}
