/**
 * Keeping the tally cells (migration 0002) equal to the incidents. Writers describe what changed as rows
 * before and after; the deltas are summed per cell in memory and written once per cell and batch.
 */
import { type Kysely, sql } from "kysely";
import { METRICS } from "../../core/vocabulary.js";
import type { Store } from "../db.js";
import {
  CELL_TABLES,
  type CellTable,
  PUBLISHED_ONLY,
  rebuildSql,
  VALUE_COLUMNS,
} from "../migrations/0002_tally_cells.js";
import { pgArray } from "../pg-array.js";
import type { Database } from "../schema.js";
import type { Executor } from "./rows.js";

/** The incident columns a cell reads. */
export type CellSourceRow = Record<string, unknown> & { merged_into?: number | null; published?: unknown };

/**
 * Whether a row counts in the cells at all: merged duplicates count through their survivor, and only published
 * incidents count (core/publication.ts), so no tally can count what a reviewer has not accepted.
 */
function counts(row: CellSourceRow | null | undefined): row is CellSourceRow {
  return !!row && (row.merged_into === null || row.merged_into === undefined) && Number(row.published) === 1;
}

/** A cell's pending change: its key values, its labels and the sums to add. */
export interface PendingCell {
  keys: string[];
  labels: (string | null)[];
  values: number[];
}

/** One pending cell: its key (the key columns joined by US), its labels and its slot in the value table. */
interface Delta {
  id: string;
  labels: (string | null)[];
  slot: number;
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const label = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const WIDTH = VALUE_COLUMNS.length;

const LOW = METRICS.map((m) => `${m}_low`);
const HIGH = METRICS.map((m) => `${m}_high`);

/** What one row adds to (sign 1) or takes from (sign -1) its cells, in VALUE_COLUMNS order. */
function rowSums(row: CellSourceRow, sign: 1 | -1, out: Float64Array): Float64Array {
  out[0] = sign;
  for (let i = 0, j = 1; i < LOW.length; i++, j += 3) {
    const low = row[LOW[i] as string] as number | null | undefined;
    const high = row[HIGH[i] as string] as number | null | undefined;
    const has = low !== null && low !== undefined;
    out[j] = has ? sign * low : 0;
    out[j + 1] = high !== null && high !== undefined ? sign * high : 0;
    out[j + 2] = has ? sign : 0;
  }
  return out;
}

/** The pending deltas of one cell table: cells by key, their sums side by side in one growing Float64Array. */
class TableDeltas {
  readonly cells = new Map<string, Delta>();
  values = new Float64Array(WIDTH * 1024);

  private readonly keyColumns: string[];
  private readonly labelColumns: string[];
  /** The key values of the row being added (reused: joining them makes one flat string to look up). */
  private readonly keyParts: string[];

  constructor(readonly table: CellTable) {
    this.keyColumns = table.keys.map(([c]) => c);
    this.labelColumns = table.labels.map(([c]) => c);
    this.keyParts = new Array<string>(this.keyColumns.length);
  }

  /** Adds a row's sums (from `rowSums`), with the row's key and labels. */
  add(row: CellSourceRow, sums: Float64Array): void {
    const cols = this.keyColumns;
    const parts = this.keyParts;
    for (let i = 0; i < cols.length; i++) parts[i] = str(row[cols[i] as string]);
    const id = parts.join("\u001f");
    let d = this.cells.get(id);
    if (!d) {
      const slot = this.cells.size;
      if ((slot + 1) * WIDTH > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      d = { id, labels: this.labelColumns.map((c) => label(row[c])), slot };
      this.cells.set(id, d);
    }
    const v = this.values;
    const at = d.slot * WIDTH;
    for (let j = 0; j < WIDTH; j++) v[at + j] = (v[at + j] as number) + (sums[j] as number);
  }

  /** The cells whose sums are not all zero, each as key values, labels and sums, `size` cells at a time. */
  *pending(size = Number.POSITIVE_INFINITY): Generator<PendingCell[]> {
    let out: PendingCell[] = [];
    for (const d of this.cells.values()) {
      const values = Array.from(this.values.subarray(d.slot * WIDTH, (d.slot + 1) * WIDTH));
      if (!values.some((x) => x !== 0)) continue;
      out.push({ keys: d.id.split("\u001f"), labels: d.labels, values });
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }

  clear(): void {
    this.cells.clear();
    this.values = new Float64Array(WIDTH * 1024);
  }
}

/** Deltas for both cell tables, summed per cell. */
export class CellDeltas {
  private tables = [new TableDeltas(CELL_TABLES.province), new TableDeltas(CELL_TABLES.city)];

  /**
   * The deltas pending so far, handed over whole, this one starting again empty: deltas added while the
   * taken ones are being written (by an import's next batch) are neither lost nor written twice.
   */
  take(): CellDeltas {
    const taken = new CellDeltas();
    [taken.tables, this.tables] = [this.tables, taken.tables];
    return taken;
  }

  /** A row that stopped counting (deleted, merged away, or the old version of an update). */
  remove(row: CellSourceRow | null | undefined): void {
    if (counts(row)) this.add(row, -1);
  }

  /** A row that started counting (inserted, unmerged, or the new version of an update). */
  insert(row: CellSourceRow | null | undefined): void {
    if (counts(row)) this.add(row, 1);
  }

  change(before: CellSourceRow | null | undefined, after: CellSourceRow | null | undefined): void {
    this.remove(before);
    this.insert(after);
  }

  /** The number of cells pending, over both tables. */
  get size(): number {
    let n = 0;
    for (const t of this.tables) n += t.cells.size;
    return n;
  }

  private readonly sums = new Float64Array(WIDTH);

  private add(row: CellSourceRow, sign: 1 | -1): void {
    rowSums(row, sign, this.sums);
    for (const t of this.tables) t.add(row, this.sums);
  }

  /** Every pending cell of each table, as one list per table. */
  entries(): [CellTable, PendingCell[]][] {
    return this.tables.map((t) => [t.table, [...t.pending()].flat()]);
  }

  /** The pending cells in lists of at most `size`, so that writing many cells needs no copy of them all. */
  *chunks(size: number): Generator<[CellTable, PendingCell[]]> {
    for (const t of this.tables) for (const list of t.pending(size)) yield [t.table, list];
  }

  clear(): void {
    for (const t of this.tables) t.clear();
  }
}

const sqliteUpserts = new WeakMap<object, Map<string, import("better-sqlite3").Statement>>();

function upsertHead(t: CellTable): string {
  const cols = [...t.keys.map((k) => k[0]), ...t.labels.map((l) => l[0]), ...VALUE_COLUMNS];
  return `insert into ${t.name} (${cols.join(", ")})`;
}

function upsertTail(t: CellTable): string {
  const set = [
    ...t.labels.map(([c]) => `${c} = excluded.${c}`),
    ...VALUE_COLUMNS.map((c) => `${c} = ${t.name}.${c} + excluded.${c}`),
  ];
  return `on conflict (${t.keys.map((k) => k[0]).join(", ")}) do update set ${set.join(", ")}`;
}

export async function applyCellDeltas(
  store: Store,
  db: Executor,
  deltas: CellDeltas,
  /** Called after each chunk of cells written (a long import checks its memory there). */
  onChunk?: () => void,
): Promise<void> {
  // PostgreSQL: chunk k+1's statement is built while chunk k is on the server, one statement at a time. The
  // outcome of the one in flight is caught at once, so that a failure waits to be reported, not unhandled.
  let inflight: Promise<{ error: unknown } | null> | null = null;
  const settle = async () => {
    const failed = inflight ? await inflight : null;
    inflight = null;
    if (failed) throw failed.error;
  };
  for (const [table, list] of deltas.chunks(5000)) {
    onChunk?.();
    if (store.sqlite) {
      let stmts = sqliteUpserts.get(store.sqlite);
      if (!stmts) {
        stmts = new Map();
        sqliteUpserts.set(store.sqlite, stmts);
      }
      let stmt = stmts.get(table.name);
      if (!stmt) {
        const n = table.keys.length + table.labels.length + VALUE_COLUMNS.length;
        stmt = store.sqlite.prepare(
          `${upsertHead(table)} values (${new Array(n).fill("?").join(", ")}) ${upsertTail(table)}`,
        );
        stmts.set(table.name, stmt);
      }
      for (const d of list) stmt.run([...d.keys, ...d.labels, ...d.values]);
      continue;
    }
    // One statement per table and chunk; each cell appears once, as ON CONFLICT requires.
    const arrays = [
      ...table.keys.map((_, i) => sql`${pgArray(list.map((d) => d.keys[i]))}::text[]`),
      ...table.labels.map((_, i) => sql`${pgArray(list.map((d) => d.labels[i]))}::text[]`),
      ...VALUE_COLUMNS.map((_, i) => sql`${pgArray(list.map((d) => d.values[i]))}::int8[]`),
    ];
    const statement = sql`${sql.raw(upsertHead(table))} select * from unnest(${sql.join(arrays)}) ${sql.raw(upsertTail(table))}`;
    await settle();
    inflight = statement.execute(db).then(
      () => null,
      (error: unknown) => ({ error }),
    );
  }
  await settle();
  deltas.clear();
}

/** Recomputes both cell tables from the incidents (after a restore, or to repair edits made outside Tally). */
export async function rebuildCells(db: Kysely<Database> | Executor): Promise<void> {
  for (const t of Object.values(CELL_TABLES)) {
    await sql`delete from ${sql.table(t.name)}`.execute(db);
    await sql.raw(rebuildSql(t, PUBLISHED_ONLY)).execute(db);
  }
}
