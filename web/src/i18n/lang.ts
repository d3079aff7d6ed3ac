/** Which language a view is in: the URL's ?lang first, then the reader's cookie, then English. Pure. */
import { isLang, type Lang } from "../../../src/core/locale.js";

export const LANG_COOKIE = "tally_lang";

export function cookieLang(cookie: string): Lang | null {
  const m = /(?:^|;\s*)tally_lang=(en|fa)(?:;|$)/.exec(cookie);
  return m ? (m[1] as Lang) : null;
}

export function resolveLang(search: URLSearchParams, cookie: string): Lang {
  const fromUrl = search.get("lang");
  if (isLang(fromUrl)) return fromUrl;
  return cookieLang(cookie) ?? "en";
}
