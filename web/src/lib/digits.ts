/**
 * Persian and Arabic-Indic digits (and the Arabic thousands separator) as ASCII: a Persian keyboard types ۱٬۲۰۰,
 * the shared schemas read 1,200.
 */
export function asciiDigits(s: string): string {
  return s
    .replace(/[۰-۹٠-٩]/g, (d) => {
      const c = d.charCodeAt(0);
      return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
    })
    .replaceAll("٬", ",");
}
