/** What every ledger command needs: the store chosen by --db / TALLY_DB / DATABASE_URL, opened and closed. */
import type { Command } from "commander";
import { closeLedger, type Ledger, openLedger } from "../services/ledger.js";
import { resolveStoreConfig } from "../store/db.js";

/** A failure the user can fix; printed without a stack trace, with the exit code given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export function globalDb(cmd: Command): string | undefined {
  let c: Command | null = cmd;
  while (c) {
    const db = c.opts().db as string | undefined;
    if (db) return db;
    c = c.parent;
  }
  return undefined;
}

export async function withLedger<T>(cmd: Command, fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger(resolveStoreConfig(process.env, { db: globalDb(cmd) }));
  try {
    return await fn(ledger);
  } finally {
    await closeLedger(ledger);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain fixed-width table for terminals. */
export function formatTable(headers: string[], rows: (string | number | null)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((v) => (v === null ? "" : String(v))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) =>
        typeof rows[0]?.[i] === "number" ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return `${[line(cells[0] as string[]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n")}\n`;
}
