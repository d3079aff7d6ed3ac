/** Each record is reduced once to the keys the comparators and blocking passes use. */
import { type PreparedDate, type PreparedPlace, prepareDate, preparePlace } from "./fields.js";
import { type PreparedName, prepareName } from "./names.js";
import type { RecordRef, VictimRecord } from "./types.js";

export interface PreparedRecord {
  index: number;
  ref: RecordRef;
  name: PreparedName;
  date: PreparedDate | null;
  place: PreparedPlace | null;
  age: number | null;
  sex: "m" | "f" | null;
  /**
   * Value whose frequency adjusts the name weight: the sorted consonant skeleton, which both scripts
   * share (coarser than the romanised key, so it errs towards calling a name common).
   */
  nameValue: string;
}

export function prepareRecord(r: VictimRecord, index: number): PreparedRecord {
  const name = prepareName(r.name, r.nameFa);
  const age = typeof r.age === "number" && Number.isFinite(r.age) ? r.age : null;
  return {
    index,
    ref: { list: r.list, list_id: r.listId },
    name,
    date: prepareDate(r.date),
    place: preparePlace(r.place),
    age,
    sex: r.sex === "m" || r.sex === "f" ? r.sex : null,
    nameValue: name.persianSkeletonSorted || name.skeletonSorted,
  };
}
