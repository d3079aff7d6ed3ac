/**
 * Text that both backends store exactly as received. PostgreSQL refuses NUL in text, and an unpaired UTF-16
 * surrogate has no UTF-8 encoding (drivers silently turn it into U+FFFD), so both are refused at the door with
 * the field named, instead of failing inside a transaction or being altered on the way in.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

export function isStorable(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * The path of the first string (key or value) in a JSON value that cannot be stored, or null. Walks with an
 * explicit stack, so deeply nested input cannot overflow the call stack.
 */
export function findUnstorable(value: unknown, root = "body"): string | null {
  const stack: [unknown, string][] = [[value, root]];
  let visited = 0;
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (++visited > 1_000_000) return null; // Larger inputs are refused by body limits and schemas anyway.
    if (typeof v === "string") {
      if (!isStorable(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (
      v &&
      typeof v === "object" &&
      !ArrayBuffer.isView(v) &&
      typeof (v as { pipe?: unknown }).pipe !== "function"
    ) {
      for (const [k, x] of Object.entries(v)) {
        if (!isStorable(k)) return `${path} (a key)`;
        stack.push([x, `${path}.${k}`]);
      }
    }
  }
  return null;
}
