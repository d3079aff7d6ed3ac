/** The shapes the dashboard reads from the API (see src/services/dashboard.ts and src/services/incidents.ts). */

export interface Total {
  low: number;
  high: number;
  incidents: number;
  cities: number;
  provinces: number;
}

export interface ClaimPoint {
  id: number;
  asOf: string | null;
  low: number;
  high: number | null;
  qualifier: string;
  place: string | null;
  context: string | null;
}

export interface SourceRef {
  id: number;
  name: string;
  kind: string;
}

export interface LatestClaim extends ClaimPoint {
  source: SourceRef;
  documented: { low: number; high: number; incidents: number };
  ratio: { low: number | null; high: number | null; words: string };
}

export interface MetricHeadline {
  metric: string;
  documented: Total;
  all: Total;
  latest: LatestClaim[];
  timelines: { source: SourceRef; claims: ClaimPoint[] }[];
}

export interface Headline {
  version: string;
  country: string | null;
  firstDate: string | null;
  lastDate: string | null;
  metrics: MetricHeadline[];
  synthetic: boolean;
}

export interface MappedPlace {
  id: string | null;
  name: string | null;
  fa: string | null;
  level: string | null;
  province: string | null;
  provinceFa: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

export interface MappedRow {
  place: MappedPlace;
  period: string | null;
  low: number;
  high: number;
  incidents: number;
}

export interface MappedTally {
  metric: string;
  by: string;
  period: string;
  rows: MappedRow[];
  total: Total;
  synthetic: boolean;
}

export interface PublicIncident {
  id: number;
  type: string;
  date: string;
  dateEnd: string | null;
  datePrecision: string;
  place: {
    id: string | null;
    name: string | null;
    level: string | null;
    province: string | null;
    country: string | null;
    lat: number | null;
    lon: number | null;
  };
  counts: Record<string, { low: number; high: number | null }>;
  description: string | null;
  url: string | null;
  status: string;
  grade: string | null;
}

export interface IncidentDetail extends PublicIncident {
  mergedFrom: PublicIncident[];
  sources: SourceRef[];
  documents: {
    id: number;
    title: string | null;
    origin: string | null;
    published: string | null;
    sha256: string;
  }[];
  history: { action: string; note: string | null; at: string }[];
}
