/** Display words for the vocabulary's codes. */
export function label(code: string): string {
  const s = code.replaceAll("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatCount(c: { low: number; high: number | null } | undefined): string {
  if (!c) return "";
  if (c.high === null) return `${c.low.toLocaleString("en")}+`;
  return c.low === c.high
    ? c.low.toLocaleString("en")
    : `${c.low.toLocaleString("en")}–${c.high.toLocaleString("en")}`;
}
