import { formatCount, label } from "../lib/words.js";
import type { Incident } from "./types.js";

export function placeText(p: Incident["place"]): string {
  return [p.name, p.province, p.country].filter(Boolean).join(", ") || "no place";
}

/** An incident's fields as a definition list; `compare` marks the fields that differ from another incident. */
export function IncidentFields({ incident, compare }: { incident: Incident; compare?: Incident }) {
  const rows: [string, string, string | undefined][] = [
    ["Type", label(incident.type), compare && label(compare.type)],
    [
      "Date",
      incident.dateEnd && incident.dateEnd !== incident.date
        ? `${incident.date} to ${incident.dateEnd}`
        : incident.date,
      compare &&
        (compare.dateEnd && compare.dateEnd !== compare.date
          ? `${compare.date} to ${compare.dateEnd}`
          : compare.date),
    ],
    ["Place", placeText(incident.place), compare && placeText(compare.place)],
    ...Object.entries({ ...(compare?.counts ?? {}), ...incident.counts }).map(
      ([m]) =>
        [
          label(m),
          formatCount(incident.counts[m]) || "—",
          compare && (formatCount(compare.counts[m]) || "—"),
        ] as [string, string, string | undefined],
    ),
    ["Status", incident.status, compare?.status],
    ["Grade", incident.grade ?? "—", compare && (compare.grade ?? "—")],
    ["Description", incident.description ?? "—", compare && (compare.description ?? "—")],
    ["Link", incident.url ?? "—", compare && (compare.url ?? "—")],
  ];
  return (
    <dl className="fields">
      {rows.map(([k, v, other]) => (
        <div key={k} className={other !== undefined && other !== v ? "differs" : undefined}>
          <dt>{k}</dt>
          <dd>
            {v}
            {other !== undefined && other !== v && <span className="visually-hidden"> (differs)</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
