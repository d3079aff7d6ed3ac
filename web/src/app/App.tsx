/** The shell: skip link, header with the navigation a role needs, the current screen, and a footer. */
import { type ComponentType, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { post } from "../lib/api.js";
import { type Lang, useT } from "../lib/lang.js";
import type { Translate } from "../lib/messages.js";
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

function Nav({ me, t }: { me: Me | null; t: Translate }) {
  const { path } = useLocation();
  const items: [string, string][] = [];
  if (hasRole(me, "reporter")) items.push(["/report", t("navReport")], ["/submissions", t("navSubmissions")]);
  if (hasRole(me, "reviewer")) items.push(["/review", t("navReview")], ["/claims/new", t("navClaim")]);
  if (hasRole(me, "admin")) items.push(["/admin/users", t("navUsers")]);
  return (
    <nav aria-label={t("navLabel")}>
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

/** Switches the language in the URL (and so the cookie): the same switch as the dashboard's. */
function LanguageSwitch({ lang, t }: { lang: Lang; t: Translate }) {
  const { path, search } = useLocation();
  const q = new URLSearchParams(search);
  q.set("lang", lang === "fa" ? "en" : "fa");
  return (
    // The link names the other language in that language (its lang attribute lets screen readers say it right).
    <Link href={`${path}?${q}`} lang={lang === "fa" ? "en" : "fa"} hrefLang={lang === "fa" ? "en" : "fa"}>
      {t("otherLanguage")}
    </Link>
  );
}

function Account({ me, t }: { me: Me | null; t: Translate }) {
  const { refresh } = useSession();
  if (!me) return null;
  if (!me.signedIn) return <Link href="/sign-in">{t("signIn")}</Link>;
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
        {t("signOut")}
      </button>
    </div>
  );
}

export function App() {
  const { me } = useSession();
  const { lang, t } = useT();
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
        <h1>{t("notFound")}</h1>
        <p>
          {t("notFoundText", { path })} <Link href="/">{t("goStart")}</Link>
        </p>
      </>
    );
  } else if (found.screen.access !== "public" && me === null) {
    body = <p aria-busy="true">{t("loading")}</p>;
  } else if (found.screen.access !== "public" && !me?.signedIn) {
    body = (
      <>
        <h1>{t("signInNeeded")}</h1>
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(path)}`}>{t("signIn")}</Link> {t("signInToOpen")}
        </p>
      </>
    );
  } else if (found.screen.access !== "public" && !hasRole(me, found.screen.access)) {
    body = (
      <>
        <h1>{t("notAllowed")}</h1>
        <p>{t("notAllowedText", { role: found.screen.access, me: me?.role ?? "" })}</p>
      </>
    );
  } else if (Screen === "failed") {
    body = (
      <>
        <h1>{t("notLoaded")}</h1>
        <p>{t("notLoadedText")}</p>
      </>
    );
  } else if (Screen === null) {
    body = <p aria-busy="true">{t("loading")}</p>;
  } else {
    body = <Screen params={found.params} />;
  }

  return (
    <>
      <a className="skip" href="#main">
        {t("skip")}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Tally
        </Link>
        <Nav me={me} t={t} />
        {/* Public screens (the dashboard) carry their own language switch. */}
        {found && found.screen.access !== "public" && <LanguageSwitch lang={lang} t={t} />}
        <Account me={me} t={t} />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {body}
      </main>
      <footer className="foot">
        <p>{t("footer")}</p>
      </footer>
    </>
  );
}
