import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.js";
import { SessionProvider } from "./lib/session.js";
import { startOutboxSync } from "./offline/sync.js";
import "./styles.css";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);

// The service worker keeps the app and its assets for offline use and sends queued reports in the background.
// Registered once the page has loaded, so that its install (which fetches the reporter's screens for offline
// use) does not compete with the first visit for a slow line.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" }).catch(() => {
      // Without a worker the app still works online; the outbox still sends from the page.
    });
  if (document.readyState === "complete") void register();
  else addEventListener("load", () => void register(), { once: true });
}
startOutboxSync();
