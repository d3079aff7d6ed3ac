/** The shell: skip link, header with the navigation a role needs, the current screen, and a footer. */
import { type ComponentType, lazy, Suspense, useEffect, useMemo, useRef } from "react";
import { post } from "../lib/api.js";
import { hasRole, type Me, useSession } from "../lib/session.js";
import { Link, match, navigate, useLocation } from "./router.js";
import { SCREENS, type Screen, type ScreenProps } from "./routes.js";

const lazyScreens = new Map<Screen, ComponentType<ScreenProps>>();
function component(screen: Screen) {
  let c = lazyScreens.get(screen);
  if (!c) {
    c = lazy(screen.load);
    lazyScreens.set(screen, c);
  }
  return c;
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
  const mainRef = useRef<HTMLElement>(null);
  useEffect(() => {
    document.title = found ? `${found.screen.title} · Tally` : "Not found · Tally";
    // Moving focus to the new screen tells screen-reader users the page changed.
    mainRef.current?.focus({ preventScroll: true });
  }, [found]);

  let body: React.ReactNode;
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
  } else {
    const Screen = component(found.screen);
    body = (
      <Suspense fallback={<p aria-busy="true">Loading…</p>}>
        <Screen params={found.params} />
      </Suspense>
    );
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
