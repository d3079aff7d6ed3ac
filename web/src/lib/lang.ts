/**
 * The language of the screens for people who sign in, shared with the dashboard: ?lang= in the URL first, then
 * the tally_lang cookie, then English (web/src/i18n/lang.ts). Persian turns the page right-to-left.
 */
import { useEffect, useMemo } from "react";
import { dirOf, type Lang } from "../../../src/core/locale.js";
import { useLocation } from "../app/router.js";
import { LANG_COOKIE, resolveLang } from "../i18n/lang.js";
import { type Translate, translator } from "./messages.js";

export type { Lang } from "../../../src/core/locale.js";
export { asciiDigits } from "./digits.js";

export function useLang(): Lang {
  const { search } = useLocation();
  const lang = resolveLang(search, document.cookie);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dirOf(lang);
    if (search.get("lang") === lang) {
      // biome-ignore lint/suspicious/noDocumentCookie: one fixed, non-personal value, readable by the server too.
      document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [lang, search]);
  return lang;
}

/** The language and its translator, for the screens of src/lib/messages.ts. */
export function useT(): { lang: Lang; t: Translate } {
  const lang = useLang();
  const t = useMemo(() => translator(lang), [lang]);
  return { lang, t };
}
