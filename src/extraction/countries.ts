/**
 * Country names in English, from i18n-iso-countries (official and short names), with the short forms that
 * newsrooms use and the package lacks ("Syria", "Burma"). Read once at load time.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface CountriesModule {
  registerLocale(locale: unknown): void;
  getNames(lang: string, options: { select: "all" }): Record<string, string[]>;
}

/** Short forms used in the press that the package does not list. */
const EXTRA: Record<string, string> = {
  syria: "SY",
  burma: "MM",
  laos: "LA",
  venezuela: "VE",
  bolivia: "BO",
  tanzania: "TZ",
  moldova: "MD",
  "north korea": "KP",
  vietnam: "VN",
  "ivory coast": "CI",
  "czech republic": "CZ",
  "the netherlands": "NL",
  "the uae": "AE",
  uae: "AE",
  "the united states": "US",
  "the united kingdom": "GB",
  britain: "GB",
  kosovo: "XK",
};

/** Abbreviations that are ordinary words or initials more often than they are countries. */
const SKIP = new Set(["us", "u.s.", "uk", "usa", "u.s.a."]);

let byName: Map<string, string> | null = null;

function load(): Map<string, string> {
  if (byName) return byName;
  const countries = require("i18n-iso-countries") as CountriesModule;
  countries.registerLocale(require("i18n-iso-countries/langs/en.json"));
  const map = new Map<string, string>();
  for (const [code, names] of Object.entries(countries.getNames("en", { select: "all" })))
    for (const name of names) if (!SKIP.has(name.toLowerCase())) map.set(name.toLowerCase(), code);
  for (const [name, code] of Object.entries(EXTRA)) if (!map.has(name)) map.set(name, code);
  byName = map;
  return map;
}

/** The ISO 3166-1 alpha-2 code of a country named as written ("Iran", "Türkiye", "Syria"), or null. */
export function countryCode(mention: string): string | null {
  return load().get(mention.trim().toLowerCase()) ?? null;
}
