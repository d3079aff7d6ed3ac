/** The shapes the review desk reads from the API. */
export interface Count {
  low: number;
  high: number | null;
}

export interface Incident {
  id: number;
  externalId: string | null;
  type: string;
  date: string;
  dateEnd: string | null;
  place: {
    id: string | null;
    name: string | null;
    level: string | null;
    province: string | null;
    country: string | null;
  };
  counts: Record<string, Count>;
  description: string | null;
  url: string | null;
  status: string;
  grade: string | null;
  sourceId: number | null;
  mergedInto: number | null;
  updatedAt?: string;
}

export interface IncidentDetail extends Incident {
  mergedFrom: Incident[];
  attributes: Record<string, unknown>;
  sources: { id: number; name: string; kind: string }[];
  documents: {
    id: number;
    incident_id: number;
    title: string | null;
    origin: string | null;
    span_start: number | null;
    span_end: number | null;
  }[];
  history: { action: string; actor: string; note: string | null; at: string }[];
}

export interface Suggestion {
  id: number;
  score: number;
  reasons: string[];
}
