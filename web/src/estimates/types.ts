/** The answer of GET /api/v1/estimates, as the panel reads it (src/server/routes/estimates.ts). */

export interface EstimateModel {
  name: string;
  /** List names, and "A:B" for a two-way term (the two lists tend to record the same people, or avoid them). */
  terms: string[];
  /** null: no finite estimate under this model. */
  estimate: number | null;
  se: number | null;
  /** 95 % interval; an upper limit of null means the data rule out no number, however large. */
  ci95: [number | null, number | null];
  deviance: number | null;
  df: number | null;
  aic: number | null;
  bic: number | null;
}

export interface EstimatesAnswer {
  /** Records on the lists, and distinct people after linkage (the documented count). */
  records: number;
  documented: number;
  linkedAt: string | null;
  notes: string[];
  /** Absent when fewer than two lists exist; `notes` then says why. */
  estimate?: {
    observed: number;
    lists: string[];
    models: EstimateModel[];
    selected: EstimateModel | null;
  };
}

export const ESTIMATES_URL = "/api/v1/estimates";
