/**
 * The dashboard's languages: English and Persian. The choice lives in the URL (?lang=fa), so a link opens in
 * the language it was shared in, and in a cookie, so a reader's next visit keeps it. Persian turns the page
 * right-to-left, writes Persian digits and shows Solar Hijri dates with the Gregorian date beside them
 * (the formats live in src/core/locale.ts, shared with the server-rendered bulletins).
 */
import { useEffect } from "react";
import { dirOf, type Lang } from "../../../src/core/locale.js";
import { useLocation } from "../app/router.js";
import { LANG_COOKIE, resolveLang } from "./lang.js";
import { MESSAGES, type MessageKey } from "./messages.js";

export * from "../../../src/core/locale.js";
export { cookieLang, LANG_COOKIE, resolveLang } from "./lang.js";
export type { MessageKey } from "./messages.js";

/** A message in the language, with {name} placeholders filled in. */
export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = MESSAGES[lang][key] ?? MESSAGES.en[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}

export interface I18n {
  lang: Lang;
  dir: "ltr" | "rtl";
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

/** The current language; keeps <html lang dir> and the cookie in step with it. */
export function useI18n(): I18n {
  const { search } = useLocation();
  const lang = resolveLang(search, typeof document === "undefined" ? "" : document.cookie);
  useEffect(() => {
    const root = document.documentElement;
    root.lang = lang;
    root.dir = dirOf(lang);
    if (search.get("lang") === lang) {
      // A year; the language is not personal data, and the cookie is sent to this site only.
      document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [lang, search]);
  return { lang, dir: dirOf(lang), t: (key, vars) => translate(lang, key, vars) };
}
