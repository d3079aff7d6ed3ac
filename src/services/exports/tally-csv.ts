import { csvLine } from "../../core/csv.js";
import type { Tally } from "../../core/tally.js";

const HEADERS = [
  "place_id",
  "place",
  "level",
  "province",
  "country",
  "period",
  "metric",
  "low",
  "high",
  "incidents",
];
const HXL = [
  "#loc+id",
  "#loc+name",
  "#loc+type",
  "#adm1+name",
  "#country+code",
  "#date",
  "#indicator+metric",
  "#affected+min",
  "#affected+max",
  "#event+num",
];

export function tallyCsv(tally: Tally, hxl = false): string {
  let out = csvLine(HEADERS);
  if (hxl) out += csvLine(HXL);
  for (const r of tally.rows) {
    out += csvLine([
      r.place.id,
      r.place.name,
      r.place.level,
      r.place.province,
      r.place.country,
      r.period,
      tally.metric,
      r.low,
      r.high,
      r.incidents,
    ]);
  }
  return out;
}
