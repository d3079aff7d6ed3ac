/**
 * Calendar helpers on ISO date strings. Dates in the ledger are civil dates ("YYYY-MM-DD") with no time zone:
 * an incident happened on a day, wherever the reader is.
 */
import type { DatePrecision } from "./vocabulary.js";

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;
const ISO_YEAR = /^(\d{4})$/;

export interface ParsedDate {
  /** The first day the date can mean. */
  date: string;
  /** The last day, for a month or a year; null for a single day. */
  dateEnd: string | null;
  precision: DatePrecision;
}

export function isValidDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function formatDay(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the precision follows from the form. Throws with a readable message. */
export function parseLedgerDate(text: string): ParsedDate {
  const t = text.trim();
  let m = ISO_DAY.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDay(y, mo, d)) throw new Error(`${t} is not a calendar date`);
    return { date: t, dateEnd: null, precision: "day" };
  }
  m = ISO_MONTH.exec(t);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) throw new Error(`${t} is not a calendar month`);
    return { date: formatDay(y, mo, 1), dateEnd: formatDay(y, mo, daysInMonth(y, mo)), precision: "month" };
  }
  m = ISO_YEAR.exec(t);
  if (m) {
    const y = Number(m[1]);
    return { date: formatDay(y, 1, 1), dateEnd: formatDay(y, 12, 31), precision: "year" };
  }
  throw new Error(`expected a date YYYY-MM-DD, YYYY-MM or YYYY, got ${JSON.stringify(t.slice(0, 40))}`);
}

/** A strict `YYYY-MM-DD` check, for fields that must be a single day. */
export function parseDay(text: string): string {
  const p = parseLedgerDate(text);
  if (p.precision !== "day") throw new Error(`expected a day YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return p.date;
}

export function monthKey(day: string): string {
  return day.slice(0, 7);
}

/** ISO-8601 week label, e.g. "2020-W23": weeks start on Monday and belong to the year of their Thursday. */
export function weekKey(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  const dow = (t.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(t.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return `${year}-W${pad(week)}`;
}

export function addDays(day: string, n: number): string {
  const t = new Date(`${day}T00:00:00Z`).getTime() + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** ISO week keys, remembered per day: an import computes the same few hundred days a million times. */
export class WeekKeys {
  private readonly known = new Map<string, string>();
  of(day: string): string {
    let w = this.known.get(day);
    if (w === undefined) {
      w = weekKey(day);
      if (this.known.size > 50_000) this.known.clear();
      this.known.set(day, w);
    }
    return w;
  }
}
