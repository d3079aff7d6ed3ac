/**
 * The ledger's tables as Kysely sees them. Column types are the values the drivers hand back on both
 * backends: dates are ISO strings ("YYYY-MM-DD"), timestamps ISO strings, JSON is stored as text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { METRICS } from "../core/vocabulary.js";

type Metric = (typeof METRICS)[number];

/** Incidents keep one low/high column pair per metric so that a tally reads one row per incident. */
type MetricColumns = { [M in Metric as `${M}_low`]: number | null } & {
  [M in Metric as `${M}_high`]: number | null;
};

export interface SourceTable {
  id: Generated<number>;
  name: string;
  /** Lower-cased, space-folded name: the identity used to find a source again. */
  name_key: string;
  kind: string;
  created_at: string;
}

export interface DocumentTable {
  id: Generated<number>;
  source_id: number | null;
  origin: string | null;
  published: string | null;
  sha256: string;
  title: string | null;
  content_type: string;
  content: string;
  created_at: string;
}

export interface IncidentTable extends MetricColumns {
  id: Generated<number>;
  source_id: number | null;
  /** The caller's id for the row; identity is (source_id, external_id) or row_key when absent. */
  external_id: string | null;
  /** Stable identity of an import row: `x:<source>:<external_id>` or `h:<content hash>`. */
  row_key: string;
  /** Hash of the row's content: an import of an unchanged row is a no-op. */
  row_hash: string;
  type: string;
  date: string;
  date_end: string | null;
  date_precision: string;
  /** Period keys, computed once at write time so tallies group on plain columns on both backends. */
  week: string;
  month: string;
  place_id: string | null;
  place_name: string | null;
  place_level: string | null;
  geo_precision: string | null;
  province_id: string | null;
  province: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  description: string | null;
  url: string | null;
  status: string;
  grade: string | null;
  /** Extra import columns, as a JSON object. */
  attributes: string | null;
  merged_into: number | null;
  submitted_by: number | null;
  /**
   * 1 when the incident counts in public: entered or accepted by a reviewer or admin, and neither a candidate
   * nor rejected (core/publication.ts); 0 otherwise. Set by every write and review.
   */
  published: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface IncidentDocumentTable {
  incident_id: number;
  document_id: number;
  span_start: number | null;
  span_end: number | null;
}

export interface ClaimTable {
  id: Generated<number>;
  source_id: number;
  row_key: string;
  row_hash: string;
  metric: string;
  low: number;
  high: number | null;
  qualifier: string;
  as_of: string | null;
  period_from: string | null;
  period_to: string | null;
  place_id: string | null;
  place_name: string | null;
  place_level: string | null;
  province_id: string | null;
  province: string | null;
  country: string | null;
  context: string | null;
  document_id: number | null;
  span_start: number | null;
  span_end: number | null;
  url: string | null;
  quote: string | null;
  status: string;
  created_at: string;
  updated_at: string;
}

/** Every change to an incident or claim: who, what, when, and the row before and after. */
export interface HistoryTable {
  id: Generated<number>;
  entity: string;
  entity_id: number;
  action: string;
  actor: string;
  note: string | null;
  before: string | null;
  after: string | null;
  at: string;
}

export interface TokenTable {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface LocalPlaceTable {
  id: string;
  name: string;
  alternate_names: string;
  level: string;
  country: string;
  province: string | null;
  province_id: string | null;
  lat: number;
  lon: number;
  population: number | null;
  created_at: string;
}

export interface PlaceAliasTable {
  alias: string;
  place_id: string;
  created_at: string;
}

export interface VictimRecordTable {
  id: Generated<number>;
  list: string;
  list_id: string;
  name: string;
  name_fa: string | null;
  age: number | null;
  sex: string | null;
  date: string | null;
  place: string | null;
  notes: string | null;
  /** Extra CSV columns, as a JSON object. */
  extra: string | null;
  row_hash: string;
  /** The linked person this record belongs to, from the latest linkage; null before any. */
  entity: string | null;
  created_at: string;
  updated_at: string;
}

export interface LinkageRunTable {
  id: Generated<number>;
  at: string;
  actor: string;
  records: number;
  entities: number;
  pairs_reviewed: number;
  model: string;
  review: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  sources: SourceTable;
  documents: DocumentTable;
  incidents: IncidentTable;
  incident_documents: IncidentDocumentTable;
  claims: ClaimTable;
  history: HistoryTable;
  tokens: TokenTable;
  local_places: LocalPlaceTable;
  place_aliases: PlaceAliasTable;
  meta: MetaTable;
  victim_records: VictimRecordTable;
  linkage_runs: LinkageRunTable;
}

export type IncidentRow = Selectable<IncidentTable>;
export type NewIncidentRow = Insertable<IncidentTable>;
export type IncidentUpdate = Updateable<IncidentTable>;
export type ClaimRow = Selectable<ClaimTable>;
export type NewClaimRow = Insertable<ClaimTable>;
export type SourceRow = Selectable<SourceTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type HistoryRow = Selectable<HistoryTable>;
export type TokenRow = Selectable<TokenTable>;
export type Json = ColumnType<string, string, string>;
