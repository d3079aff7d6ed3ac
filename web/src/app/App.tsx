/** The shell: skip link, header with the navigation a role needs, the current screen, and a footer. */
import { type ComponentType, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { post } from "../lib/api.js";
import { hasRole, type Me, useSession } from "../lib/session.js";
import { Link, match, navigate, useLocation } from "./router.js";
import { SCREENS, type Screen, type ScreenProps } from "./routes.js";

/**
 * Screens are loaded by hand rather than with React.lazy and Suspense: React holds a suspended screen back for
 * up to 300 ms to avoid flicker, which would cost every first visit to a screen that much. Loading also
 * starts at once, while /api/v1/me is still on its way.
 */
const loaded = new Map<Screen, ComponentType<ScreenProps>>();

function useScreenComponent(screen: Screen | undefined): ComponentType<ScreenProps> | null | "failed" {
  const [, setVersion] = useState(0);
  const [failed, setFailed] = useState<Screen | null>(null);
  useEffect(() => {
    if (!screen || loaded.has(screen)) return;
    let live = true;
    screen.load().then(
      (m) => {
        loaded.set(screen, m.default);
        if (live) setVersion((v) => v + 1);
      },
      () => live && setFailed(screen),
    );
    return () => {
      live = false;
    };
  }, [screen]);
  if (!screen) return null;
  if (failed === screen) return "failed";
  return loaded.get(screen) ?? null;
}

function Nav({ me }: { me: Me | null }) {
  const { path } = useLocation();
  const items: [string, string][] = [];
  if (hasRole(me, "reporter")) items.push(["/report", "Report"], ["/submissions", "My submissions"]);
  if (hasRole(me, "reviewer")) items.push(["/review", "Review"], ["/claims/new", "Record a claim"]);
  if (hasRole(me, "admin")) items.push(["/admin/users", "Users"]);
  return (
    <nav aria-label="Main">
      <ul>
        {items.map(([href, label]) => (
          <li key={href}>
            <Link href={href} aria-current={path === href ? "page" : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Account({ me }: { me: Me | null }) {
  const { refresh } = useSession();
  if (!me) return null;
  if (!me.signedIn) return <Link href="/sign-in">Sign in</Link>;
  const signOut = async () => {
    await post("/api/v1/auth/sign-out").catch(() => undefined);
    await refresh();
    navigate("/sign-in");
  };
  return (
    <div className="account">
      <span>
        {me.pseudonym} <span className="role">({me.role})</span>
      </span>
      <button type="button" className="link" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}

export function App() {
  const { me } = useSession();
  const { path } = useLocation();
  const found = useMemo(() => {
    for (const s of SCREENS) {
      const params = match(s.pattern, path);
      if (params) return { screen: s, params };
    }
    return null;
  }, [path]);
  const Screen = useScreenComponent(found?.screen);
  const mainRef = useRef<HTMLElement>(null);
  useEffect(() => {
    document.title = found ? `${found.screen.title} · Tally` : "Not found · Tally";
    // Moving focus to the new screen tells screen-reader users the page changed.
    mainRef.current?.focus({ preventScroll: true });
  }, [found]);

  let body: ReactNode;
  if (!found) {
    body = (
      <>
        <h1>Not found</h1>
        <p>
          There is no page at {path}. <Link href="/">Go to the start</Link>.
        </p>
      </>
    );
  } else if (found.screen.access !== "public" && me === null) {
    body = <p aria-busy="true">Loading…</p>;
  } else if (found.screen.access !== "public" && !me?.signedIn) {
    body = (
      <>
        <h1>Sign in needed</h1>
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(path)}`}>Sign in</Link> to open this page.
        </p>
      </>
    );
  } else if (found.screen.access !== "public" && !hasRole(me, found.screen.access)) {
    body = (
      <>
        <h1>Not allowed</h1>
        <p>
          This page is for the {found.screen.access} role; you are signed in as a {me?.role}.
        </p>
      </>
    );
  } else if (Screen === "failed") {
    body = (
      <>
        <h1>Not loaded</h1>
        <p>This page could not be loaded. Check the connection and reload.</p>
      </>
    );
  } else if (Screen === null) {
    body = <p aria-busy="true">Loading…</p>;
  } else {
    body = <Screen params={found.params} />;
  }

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Tally
        </Link>
        <Nav me={me} />
        <Account me={me} />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {body}
      </main>
      <footer className="foot">
        <p>Tally records what was reported, who said it, and how sure one can be.</p>
      </footer>
    </>
  );
}
