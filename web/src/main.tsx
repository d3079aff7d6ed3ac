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
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" }).catch(() => {
    // Without a worker the app still works online; the outbox still sends from the page.
  });
}
startOutboxSync();
