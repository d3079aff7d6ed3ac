/**
 * Words and formats in English and Persian, shared by the dashboard (web/src/i18n) and the server-rendered
 * bulletins, feed and embed, so a figure reads the same everywhere. Pure: Intl does the calendars and digits
 * (Solar Hijri via `fa-IR-u-ca-persian`), no library and no I/O.
 */

export const LANGS = ["en", "fa"] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(s: unknown): s is Lang {
  return s === "en" || s === "fa";
}

export function dirOf(lang: Lang): "ltr" | "rtl" {
  return lang === "fa" ? "rtl" : "ltr";
}

const numberFormats = {
  en: new Intl.NumberFormat("en"),
  fa: new Intl.NumberFormat("fa-IR"),
};

/** A whole number with grouping, in the language's digits (Persian digits in Persian). */
export function formatNumber(n: number, lang: Lang): string {
  return numberFormats[lang].format(n);
}

/** A range low–high; an open range (no high) reads "N+". A sum is never shown as more precise than its parts. */
export function formatRange(r: { low: number; high: number | null }, lang: Lang): string {
  if (r.high === null) return `${formatNumber(r.low, lang)}+`;
  if (r.low === r.high) return formatNumber(r.low, lang);
  // An en dash between numbers; in Persian the dash sits between right-to-left runs the same way.
  return `${formatNumber(r.low, lang)}–${formatNumber(r.high, lang)}`;
}

/** Digits 0–9 as Persian digits (for strings that are not plain numbers, e.g. ISO dates in a chart). */
export function persianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

function utc(day: string): Date {
  return new Date(`${day.slice(0, 10)}T00:00:00Z`);
}

const dateFormats = {
  en: new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }),
  solar: new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  }),
  solarShort: new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }),
  gregorianFa: new Intl.DateTimeFormat("fa-IR-u-ca-gregory", {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }),
};

/** The Solar Hijri date of an ISO day, in Persian ("۲۴ شهریور ۱۴۰۴"). */
export function solarHijri(day: string): string {
  return dateFormats.solar.format(utc(day));
}

/** The Gregorian date of an ISO day, written in Persian ("۱۵ سپتامبر ۲۰۲۵"). */
export function gregorianFa(day: string): string {
  return dateFormats.gregorianFa.format(utc(day));
}

/**
 * A day for readers: "15 Sept 2025" in English; in Persian the Solar Hijri date with the Gregorian date
 * beside it: "۲۴ شهریور ۱۴۰۴ (۱۵ سپتامبر ۲۰۲۵)".
 */
export function formatDay(day: string | null | undefined, lang: Lang): string {
  if (!day) return "";
  if (!/^\d{4}-\d{2}-\d{2}/.test(day)) return day;
  if (lang === "en") return dateFormats.en.format(utc(day));
  return `${solarHijri(day)} (${gregorianFa(day)})`;
}

/** A short axis label for a day: "15 Sept" or "۲۴ شهریور". */
export function formatDayShort(day: Date, lang: Lang): string {
  if (lang === "fa") return dateFormats.solarShort.format(day);
  return day.toLocaleDateString("en-GB", { month: "short", day: "numeric", timeZone: "UTC" });
}

type Words = Record<string, { en: string; fa: string }>;

export const METRIC_WORDS: Words = {
  deaths: { en: "Deaths", fa: "مرگ‌ها" },
  killed: { en: "Killed", fa: "کشته‌شدگان" },
  injured: { en: "Injured", fa: "مجروحان" },
  arrested: { en: "Arrested", fa: "دستگیرشدگان" },
  detained: { en: "Detained", fa: "بازداشت‌شدگان" },
  executed: { en: "Executed", fa: "اعدام‌شدگان" },
  disappeared: { en: "Disappeared", fa: "ناپدیدشدگان" },
  participants: { en: "Participants", fa: "شرکت‌کنندگان" },
};

export const GRADE_WORDS: Words = {
  confirmed: { en: "Confirmed", fa: "تأییدشده" },
  fair: { en: "Fair", fa: "قابل‌قبول" },
  weak: { en: "Weak", fa: "ضعیف" },
  contested: { en: "Contested", fa: "مورد مناقشه" },
  discounted: { en: "Discounted", fa: "کنارگذاشته" },
  headline: { en: "Verified, confirmed or fair", fa: "راستی‌آزمایی‌شده، تأییدشده یا قابل‌قبول" },
};

export const STATUS_WORDS: Words = {
  candidate: { en: "Candidate", fa: "در انتظار بررسی" },
  submitted: { en: "Submitted", fa: "ارسال‌شده" },
  verified: { en: "Verified", fa: "راستی‌آزمایی‌شده" },
  disputed: { en: "Disputed", fa: "مورد اختلاف" },
  rejected: { en: "Rejected", fa: "ردشده" },
};

export const TYPE_WORDS: Words = {
  protest: { en: "Protest", fa: "اعتراض" },
  riot: { en: "Riot", fa: "شورش" },
  strike: { en: "Strike", fa: "اعتصاب" },
  violence_against_civilians: { en: "Violence against civilians", fa: "خشونت علیه غیرنظامیان" },
  arrests: { en: "Arrests", fa: "بازداشت‌ها" },
  execution: { en: "Execution", fa: "اعدام" },
  property_attack: { en: "Property attack", fa: "حمله به اموال" },
  campaign: { en: "Campaign", fa: "کارزار" },
  disease_deaths: { en: "Disease deaths", fa: "مرگ بر اثر بیماری" },
  statement: { en: "Statement", fa: "بیانیه" },
  other: { en: "Other", fa: "دیگر" },
};

export const SOURCE_KIND_WORDS: Words = {
  official: { en: "official", fa: "رسمی" },
  media: { en: "media", fa: "رسانه" },
  wire: { en: "wire service", fa: "خبرگزاری" },
  ngo: { en: "rights group", fa: "سازمان حقوق بشری" },
  network: { en: "field network", fa: "شبکه‌ی میدانی" },
  group: { en: "group", fa: "گروه" },
  individual: { en: "individual", fa: "فرد" },
  other: { en: "other", fa: "دیگر" },
};

/** A code's word in the language; unknown codes read as themselves with spaces. */
export function word(table: Words, code: string | null | undefined, lang: Lang): string {
  if (!code) return "";
  return table[code]?.[lang] ?? code.replaceAll("_", " ");
}

const ORDINALS_EN = [
  "",
  "",
  "half",
  "third",
  "quarter",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];
const ORDINALS_FA = [
  "",
  "",
  "نصف",
  "یک‌سوم",
  "یک‌چهارم",
  "یک‌پنجم",
  "یک‌ششم",
  "یک‌هفتم",
  "یک‌هشتم",
  "یک‌نهم",
  "یک‌دهم",
];

/**
 * How a claimed figure stands to the documented range, in words: the same thresholds as core/compare.ts's
 * ratioWords (true at both ends of the range), in either language.
 */
export function ratioInWords(low: number | null, high: number | null, lang: Lang): string {
  const fa = lang === "fa";
  if (high === null && low === null)
    return fa ? "شمار مستندی برای مقایسه نیست" : "nothing documented to compare";
  if (high === null) return fa ? "در کران پایین چیزی مستند نشده" : "nothing documented at the low end";
  const lo = low ?? 0;
  if (lo >= 0.95 && high <= 1.05) return fa ? "تقریباً برابر با شمار مستند" : "about the same";
  if (high < 1) {
    for (let n = 10; n >= 2; n--) {
      if (high < 1 / n) return fa ? `کمتر از ${ORDINALS_FA[n]}` : `less than a ${ORDINALS_EN[n]}`;
    }
    return fa ? "کمتر از شمار مستند" : "less than the documented count";
  }
  if (lo > 1) {
    const times = Math.floor(lo);
    if (times >= 2)
      return fa
        ? `بیش از ${formatNumber(times, "fa")} برابر شمار مستند`
        : `more than ${times} times the documented count`;
    return fa ? "بیش از شمار مستند" : "more than the documented count";
  }
  return fa ? "در محدوده‌ی شمار مستند" : "within the documented range";
}

/** A claim's figure with its qualifier: "over 49,800", "about 1,500", "200–250". */
export function formatClaim(c: { low: number; high: number | null; qualifier: string }, lang: Lang): string {
  const n = formatRange({ low: c.low, high: c.high ?? c.low }, lang);
  const fa = lang === "fa";
  switch (c.qualifier) {
    case "over":
      return fa ? `بیش از ${n}` : `over ${n}`;
    case "at_least":
      return fa ? `دست‌کم ${n}` : `at least ${n}`;
    case "about":
      return fa ? `حدود ${n}` : `about ${n}`;
    case "up_to":
      return fa ? `تا ${n}` : `up to ${n}`;
    case "vague":
      return fa ? `(مبهم) ${n}` : `${n} (vague)`;
    default:
      return n;
  }
}
