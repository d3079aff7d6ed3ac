/**
 * The shapes of incoming incidents and claims, shared by the import files, the HTTP API and the web forms.
 * Cells may arrive as strings (CSV) or as JSON values; each schema accepts both and names the field that is wrong.
 */
import { z } from "zod";
import { parseLedgerDate } from "./dates.js";
import { parseCount } from "./quantity.js";
import { isStorable, UNSTORABLE_MESSAGE } from "./storable.js";
import {
  Grade,
  IncidentStatus,
  IncidentType,
  METRICS,
  type Metric,
  Qualifier,
  SourceKind,
} from "./vocabulary.js";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const cleanText = (v: unknown) => (typeof v === "string" ? blankToUndefined(v.trim()) : blankToUndefined(v));
const storableText = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).refine(isStorable, UNSTORABLE_MESSAGE);
const trimmed = (max: number) => z.preprocess(cleanText, storableText(max));
const optionalText = (max: number) => z.preprocess(cleanText, storableText(max).optional());

/** Numbers may arrive as JSON numbers or as CSV text with thousands separators. */
const cleanNumber = (v: unknown) => {
  if (typeof v !== "string") return blankToUndefined(v);
  const t = v.trim().replaceAll(",", "");
  if (t === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
};

const ledgerDate = z.string().transform((s, ctx) => {
  try {
    return parseLedgerDate(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

const countCell = z.preprocess(
  (v) => (typeof v === "number" ? String(v) : cleanText(v)),
  z
    .string()
    .transform((s, ctx) => {
      try {
        return parseCount(s);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
);

const coordinate = (min: number, max: number) =>
  z.preprocess(cleanNumber, z.number().min(min).max(max).optional());

const countryCode = z.preprocess(
  (v) => (typeof v === "string" ? cleanText(v.toUpperCase()) : blankToUndefined(v)),
  z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as IR")
    .optional(),
);

const enumCell = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? cleanText(v.toLowerCase()) : blankToUndefined(v)), schema);

const metricShape = Object.fromEntries(METRICS.map((m) => [m, countCell])) as Record<
  Metric,
  typeof countCell
>;

/** Columns an incident row may carry; anything else is kept as an attribute. */
export const INCIDENT_FIELDS = [
  "id",
  "external_id",
  "date",
  "date_end",
  "place",
  "province",
  "country",
  "lat",
  "lon",
  "type",
  ...METRICS,
  "source",
  "source_kind",
  "url",
  "description",
  "status",
  "grade",
] as const;

export const IncidentRecord = z
  .object({
    external_id: optionalText(200),
    date: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), ledgerDate),
    date_end: z.preprocess(cleanText, ledgerDate.optional()),
    place: optionalText(300),
    /** Optional qualifier for `place`, as an export writes it. */
    province: optionalText(100),
    country: countryCode,
    lat: coordinate(-90, 90),
    lon: coordinate(-180, 180),
    type: enumCell(IncidentType),
    ...metricShape,
    source: optionalText(200),
    source_kind: enumCell(SourceKind.optional()),
    url: z.preprocess(
      cleanText,
      z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        .max(2000)
        .optional(),
    ),
    description: optionalText(10_000),
    status: enumCell(IncidentStatus.optional()),
    grade: enumCell(Grade.optional()),
  })
  .superRefine((r, ctx) => {
    if ((r.lat === undefined) !== (r.lon === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [r.lat === undefined ? "lat" : "lon"],
        message: "lat and lon go together",
      });
    }
    if (r.place === undefined && r.lat === undefined && r.country === undefined) {
      ctx.addIssue({ code: "custom", path: ["place"], message: "a place, lat/lon or a country is required" });
    }
    if (r.date_end && r.date_end.dateEnd === null && r.date_end.date < r.date.date) {
      ctx.addIssue({ code: "custom", path: ["date_end"], message: "ends before the date" });
    }
  });
export type IncidentRecordInput = z.input<typeof IncidentRecord>;
export type IncidentRecord = z.output<typeof IncidentRecord>;

export const CLAIM_FIELDS = [
  "external_id",
  "source",
  "source_kind",
  "metric",
  "low",
  "high",
  "qualifier",
  "as_of",
  "period_from",
  "period_to",
  "place",
  "country",
  "context",
  "url",
  "quote",
  "status",
] as const;

const whole = z
  .number("must be a number")
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "is too large");
const wholeNumber = z.preprocess(cleanNumber, whole);
const optionalWholeNumber = z.preprocess(cleanNumber, whole.optional());

const dayCell = z.preprocess(cleanText, ledgerDate.optional());

export const ClaimRecord = z
  .object({
    external_id: optionalText(200),
    source: trimmed(200),
    source_kind: enumCell(SourceKind.optional()),
    metric: enumCell(z.enum(METRICS)),
    low: wholeNumber,
    high: optionalWholeNumber,
    qualifier: enumCell(Qualifier.optional()),
    as_of: dayCell,
    period_from: dayCell,
    period_to: dayCell,
    place: optionalText(300),
    country: countryCode,
    context: optionalText(200),
    url: z.preprocess(
      cleanText,
      z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        .max(2000)
        .optional(),
    ),
    quote: optionalText(5000),
    status: enumCell(IncidentStatus.optional()),
  })
  .superRefine((r, ctx) => {
    if (r.high !== undefined && r.high < r.low) {
      ctx.addIssue({ code: "custom", path: ["high"], message: "is below low" });
    }
    if (r.period_from && r.period_to && r.period_to.date < r.period_from.date) {
      ctx.addIssue({ code: "custom", path: ["period_to"], message: "is before period_from" });
    }
  });
export type ClaimRecordInput = z.input<typeof ClaimRecord>;
export type ClaimRecord = z.output<typeof ClaimRecord>;

/** A flat description of what is wrong with a record, ready for `file:line: column: message`. */
export interface FieldError {
  field: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join(".") : "(row)",
    message: i.message,
  }));
}

/** Columns of a named-victim list; anything else is kept as an extra column. */
export const VICTIM_LIST_FIELDS = [
  "list_id",
  "name",
  "name_fa",
  "age",
  "sex",
  "date",
  "place",
  "notes",
] as const;

const victimDate = z.preprocess(
  cleanText,
  z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "expected YYYY-MM-DD, YYYY-MM or YYYY")
    .refine((s) => {
      try {
        parseLedgerDate(s);
        return true;
      } catch {
        return false;
      }
    }, "is not a calendar date")
    .optional(),
);

export const VictimListRecord = z.object({
  list_id: trimmed(200),
  name: trimmed(300),
  name_fa: optionalText(300),
  age: z.preprocess(cleanNumber, z.number().int("must be a whole number").min(0).max(130).optional()),
  sex: z.preprocess((v) => {
    const t = typeof v === "string" ? v.trim().toLowerCase() : v;
    if (t === "" || t === null || t === undefined) return undefined;
    if (t === "male" || t === "man" || t === "m") return "m";
    if (t === "female" || t === "woman" || t === "f") return "f";
    return t;
  }, z.enum(["m", "f"], "must be m or f").optional()),
  date: victimDate,
  place: optionalText(300),
  notes: optionalText(5000),
});
export type VictimListRecord = z.output<typeof VictimListRecord>;
