/**
 * The product's vocabulary (see PRODUCT.md): the closed sets of words that every layer shares.
 * Each set is declared once as a tuple so that zod schemas, SQL checks and the UI all derive from it.
 */
import { z } from "zod";

export const SOURCE_KINDS = [
  "official",
  "media",
  "wire",
  "ngo",
  "network",
  "group",
  "individual",
  "other",
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const SourceKind = z.enum(SOURCE_KINDS);

export const METRICS = [
  "deaths",
  "killed",
  "injured",
  "arrested",
  "detained",
  "executed",
  "disappeared",
  "participants",
] as const;
export type Metric = (typeof METRICS)[number];
export const Metric = z.enum(METRICS);

export const INCIDENT_TYPES = [
  "protest",
  "riot",
  "strike",
  "violence_against_civilians",
  "arrests",
  "execution",
  "property_attack",
  "campaign",
  "disease_deaths",
  "statement",
  "other",
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const IncidentType = z.enum(INCIDENT_TYPES);

export const INCIDENT_STATUSES = ["candidate", "submitted", "verified", "disputed", "rejected"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const IncidentStatus = z.enum(INCIDENT_STATUSES);

/** Claims share the review statuses of incidents. */
export const CLAIM_STATUSES = INCIDENT_STATUSES;
export type ClaimStatus = IncidentStatus;
export const ClaimStatus = IncidentStatus;

/** Reliability grades, after Airwars. `confirmed` and `fair` feed the headline figure. */
export const GRADES = ["confirmed", "fair", "weak", "contested", "discounted"] as const;
export type Grade = (typeof GRADES)[number];
export const Grade = z.enum(GRADES);
export const HEADLINE_GRADES: readonly Grade[] = ["confirmed", "fair"];

export const QUALIFIERS = [
  "exact",
  "about",
  "over",
  "at_least",
  "less_than",
  "up_to",
  "range",
  "vague",
] as const;
export type Qualifier = (typeof QUALIFIERS)[number];
export const Qualifier = z.enum(QUALIFIERS);

export const PLACE_LEVELS = ["country", "province", "county", "city", "locality"] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];
export const PlaceLevel = z.enum(PLACE_LEVELS);

/** How closely a resolved place matches what was written (ACLED's geo-precision, in words). */
export const PLACE_PRECISIONS = ["exact", "near", "province"] as const;
export type PlacePrecision = (typeof PLACE_PRECISIONS)[number];

export const DATE_PRECISIONS = ["day", "week", "month", "year"] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export const DatePrecision = z.enum(DATE_PRECISIONS);

export const ROLES = ["reporter", "reviewer", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES);
