/** The frame of every public page: the language switch, the dashboard's own navigation and the demo notice. */
import { type ReactNode, useEffect } from "react";
import { Link, setSearch, useLocation } from "../app/router.js";
import { estimateText } from "../estimates/messages.js";
import { formatDay, type I18n } from "../i18n/index.js";
import { useJson } from "./data.js";
import { dashHref } from "./filters.js";
import type { Headline } from "./types.js";
import "./dashboard.css";

export const HEADLINE_URL = "/api/v1/headline";

export function useHeadline() {
  return useJson<Headline>(HEADLINE_URL);
}

export function Layout({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  const { t, lang } = i18n;
  const { path } = useLocation();
  const { data: headline } = useHeadline();
  // Other screens of the app are English and left-to-right: put the page back when leaving the dashboard.
  useEffect(
    () => () => {
      document.documentElement.lang = "en";
      document.documentElement.dir = "ltr";
    },
    [],
  );
  const items: [string, string][] = [
    ["/", t("navOverview")],
    ["/incidents", t("navIncidents")],
    ["/sources", t("navSources")],
    ["/estimates", estimateText(lang, "nav")],
  ];
  const other = lang === "fa" ? "en" : "fa";
  return (
    <div className="dash" lang={lang} dir={i18n.dir}>
      <div className="dash-bar">
        <nav aria-label={t("dashNav")}>
          <ul>
            {items.map(([href, label]) => (
              <li key={href}>
                <Link href={dashHref(href, {}, lang)} aria-current={path === href ? "page" : undefined}>
                  {label}
                </Link>
              </li>
            ))}
            {headline?.lastDate ? (
              <li>
                <a href={`/bulletins/${headline.lastDate}?lang=${lang}`}>{t("navBulletin")}</a>
              </li>
            ) : null}
            <li>
              <a href="/feed.atom">{t("navFeed")}</a>
            </li>
            <li>
              <a href="/api/v1/export/incidents?format=csv">{t("navData")}</a>
            </li>
          </ul>
        </nav>
        <button type="button" className="lang-switch" lang={other} onClick={() => setSearch({ lang: other })}>
          {t("otherLanguage")}
        </button>
      </div>
      {headline?.synthetic ? (
        <p className="synthetic" role="note">
          {t("synthetic")}
        </p>
      ) : null}
      {children}
      {headline?.lastDate ? (
        <p className="muted as-of">{t("dataAsOf", { date: formatDay(headline.lastDate, lang) })}</p>
      ) : null}
    </div>
  );
}

export function Failed({ i18n, error }: { i18n: I18n; error: string }) {
  return (
    <p className="error" role="alert">
      {i18n.t("failed", { error })}
    </p>
  );
}

export function Busy({ i18n }: { i18n: I18n }) {
  return <p aria-busy="true">{i18n.t("loading")}</p>;
}
