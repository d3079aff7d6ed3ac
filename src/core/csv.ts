/**
 * CSV cells, written so that a spreadsheet never runs them as formulas: a cell that starts with = + - @ (or a
 * tab or carriage return) is prefixed with an apostrophe, which spreadsheets hide and read as "this is text".
 * The import strips that apostrophe again, so an export re-imports unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\n`;
}

/** Undoes the formula guard of `csvCell` on an imported text cell. */
export function unguardCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
