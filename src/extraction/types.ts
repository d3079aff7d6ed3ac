/**
 * The shape of an extraction: what `tally extract --json` prints and what the import stores as candidates.
 * Every span is a pair of UTF-16 offsets `[start, end)` into `Extraction.text`, the string the caller stores
 * (the input exactly as received, HTML included), so `text.slice(start, end)` is the quoted passage.
 */
import type { Resolution, ResolveOptions } from "../core/place.js";
import type { IncidentType, Metric, PlaceLevel, Qualifier, SourceKind } from "../core/vocabulary.js";

export type Span = readonly [start: number, end: number];

export interface Period {
  /** YYYY-MM-DD, the first day the counted things may have happened. */
  from: string;
  /** YYYY-MM-DD, the last day. */
  to: string;
}

export interface ClaimSource {
  name: string;
  kind: SourceKind;
}

export interface ExtractedClaim {
  /** The sentence that carries the figure, exactly as in the stored text. */
  text: string;
  span: Span;
  /** Span of the quantity itself ("more than 1,500"). */
  figureSpan: Span;
  metric: Metric;
  low: number;
  /** null: open above. */
  high: number | null;
  qualifier: Qualifier;
  /** YYYY-MM-DD: the date the figure stands at, when the text gives or implies one. */
  asOf: string | null;
  period: Period | null;
  /** What the figure is about: "COVID-19", "November 2019 protests", ... */
  context: string | null;
  source: ClaimSource | null;
  /** Mentions of the places the figure covers, as written. */
  places: string[];
  /** Counts of places stated with the figure ("in 112 cities across 19 provinces"); never claims themselves. */
  scope: { cities: number | null; provinces: number | null };
}

export interface ExtractedEvent {
  text: string;
  span: Span;
  type: IncidentType;
  /** YYYY-MM-DD or null when the text gives no date. */
  date: string | null;
  dateEnd: string | null;
  places: string[];
  /** Number of incidents when the text states it ("three police posts"). */
  count: number | null;
}

export interface ExtractedPlace {
  /** As written in the text. */
  mention: string;
  span: Span;
  /** Gazetteer id, or null when the mention could not be resolved (or no gazetteer was given). */
  id: string | null;
  name: string | null;
  level: PlaceLevel | null;
  province: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

export interface Extraction {
  /** The stored text every span indexes: the input exactly as received. */
  text: string;
  published: string | null;
  /** Where the article date came from. */
  publishedFrom: "dateline" | "option" | "body" | null;
  title: string | null;
  claims: ExtractedClaim[];
  events: ExtractedEvent[];
  places: ExtractedPlace[];
}

export interface ExtractOptions {
  /** ISO 3166-1 alpha-2 code of the article's country, used to resolve places. */
  country?: string;
  /** YYYY-MM-DD: the publication date known from elsewhere (a feed, a file's metadata). */
  published?: string | null;
  /** Any gazetteer with `resolve` (the one of src/gazetteer fits); without it places stay unresolved. */
  gazetteer?: PlaceResolver;
  /** Detected from the input when absent. */
  contentType?: "text/html" | "text/plain";
}

/** The part of the gazetteer the extraction needs; declared here so the library does not load any data. */
export interface PlaceResolver {
  resolve(mention: string, options: ResolveOptions): Resolution;
}
