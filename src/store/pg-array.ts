/**
 * PostgreSQL array literals for bulk `unnest` statements. A batch binds one array per column; node-postgres
 * would serialise each element through its generic escaping (two regular-expression replacements on every
 * string), which at a million rows costs seconds. Most ledger strings need no escaping, so they are only
 * tested for a quote or a backslash. The literal is bound as one text parameter and cast to the column's
 * array type in SQL, e.g. `${pgArray(values)}::int4[]`.
 */

const SPECIAL = /["\\]/;

function element(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot store ${v} in PostgreSQL`);
    return String(v);
  }
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "t" : "f";
  const s = typeof v === "string" ? v : String(v);
  return SPECIAL.test(s) ? `"${s.replace(/["\\]/g, "\\$&")}"` : `"${s}"`;
}

/** The text form of a one-dimensional array, for a parameter cast to `type[]`. */
export function pgArray(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i]);
  return `{${parts.join(",")}}`;
}
