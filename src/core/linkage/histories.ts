/**
 * From linked entities to capture histories: each person counts once, on every list that has at
 * least one of their records (duplicates within a list collapse).
 */
import type { CaptureHistories } from "../estimation/histories.js";
import type { StratumInput } from "../estimation/strata.js";
import type { Entity, VictimRecord } from "./types.js";

/** How to put an entity in a stratum: a record field or `extra` column, or a function of its records. */
export type Stratifier = string | ((records: VictimRecord[]) => string | null);

export interface StratifyOptions {
  records: VictimRecord[];
  by: Stratifier;
}

/** Stratum of entities whose records carry no value for the stratifying column. */
export const UNKNOWN_STRATUM = "(unknown)";

export function captureHistories(entities: Entity[], lists?: string[]): CaptureHistories;
export function captureHistories(
  entities: Entity[],
  lists: string[] | undefined,
  stratify: StratifyOptions,
): StratumInput[];
export function captureHistories(
  entities: Entity[],
  lists?: string[],
  stratify?: StratifyOptions,
): CaptureHistories | StratumInput[] {
  const order = lists ?? [...new Set(entities.flatMap((e) => e.records.map((r) => r.list)))].sort();
  const position = new Map(order.map((l, i) => [l, i]));
  const byRef = stratify ? indexRecords(stratify.records) : null;
  const tables = new Map<string, Map<string, number>>();
  for (const e of entities) {
    const seen = new Array<boolean>(order.length).fill(false);
    for (const r of e.records) {
      const i = position.get(r.list);
      if (i !== undefined) seen[i] = true;
    }
    if (!seen.some(Boolean)) continue;
    const history = seen.map((s) => (s ? "1" : "0")).join("");
    let stratum = "";
    if (stratify && byRef) {
      const recs = e.records.map((r) => {
        const rec = byRef.get(`${r.list}\u0000${r.list_id}`);
        if (!rec)
          throw new RangeError(`entity ${e.id}: record (${r.list}, ${r.list_id}) is not among the records`);
        return rec;
      });
      stratum = stratumOf(recs, stratify.by) ?? UNKNOWN_STRATUM;
    }
    let t = tables.get(stratum);
    if (!t) {
      t = new Map();
      tables.set(stratum, t);
    }
    t.set(history, (t.get(history) ?? 0) + 1);
  }
  const toHistories = (t: Map<string, number> | undefined): CaptureHistories => ({
    lists: [...order],
    cells: [...(t ?? new Map<string, number>())]
      .sort((a, b) => (a[0] < b[0] ? 1 : -1))
      .map(([history, count]) => ({ history, count })),
  });
  if (!stratify) return toHistories(tables.get(""));
  return [...tables.keys()]
    .sort()
    .map((stratum) => ({ stratum, histories: toHistories(tables.get(stratum)) }));
}

function indexRecords(records: VictimRecord[]): Map<string, VictimRecord> {
  return new Map(records.map((r) => [`${r.list}\u0000${r.listId}`, r]));
}

/** The most frequent non-empty value among the entity's records; ties go to the first in sort order. */
function stratumOf(records: VictimRecord[], by: Stratifier): string | null {
  if (typeof by === "function") return by(records);
  const counts = new Map<string, number>();
  for (const r of records) {
    const v = fieldValue(r, by);
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function fieldValue(r: VictimRecord, column: string): string | null {
  switch (column) {
    case "place":
      return r.place?.trim() || null;
    case "date":
      return r.date?.trim() || null;
    case "sex":
      return r.sex ?? null;
    case "age":
      return r.age === null || r.age === undefined ? null : String(r.age);
    case "list":
      return r.list;
    default:
      return r.extra?.[column]?.trim() || null;
  }
}
