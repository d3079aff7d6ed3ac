/**
 * Importing articles: each is stored as a document exactly as received (with its SHA-256), read by the
 * extraction pipeline, and its claims and events wait in the review queue as candidates linked to their span.
 * Idempotent by content: an article already stored is skipped. One transaction per article.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { monthKey, weekKey } from "../core/dates.js";
import { sha256Hex } from "../core/hash.js";
import { isStorable, UNSTORABLE_MESSAGE } from "../core/storable.js";
import type { SourceKind } from "../core/vocabulary.js";
import { type Extraction, extractArticle } from "../extraction/index.js";
import { appendAudit, sealWhere } from "../store/repositories/audit.js";
import { applyCellDeltas, CellDeltas } from "../store/repositories/cells.js";
import { findDocumentBySha, insertDocument } from "../store/repositories/documents.js";
import { bumpDataVersion } from "../store/repositories/meta.js";
import { ensureSource } from "../store/repositories/sources.js";
import type { NewClaimRow, NewIncidentRow } from "../store/schema.js";
import { contentHash } from "./import/incidents.js";
import { type Ledger, timestamp } from "./ledger.js";
import { PlaceResolver } from "./place-columns.js";

export interface ArticleOptions {
  /** The publisher of the articles (e.g. a news site), used when a claim names no source. */
  source?: string | undefined;
  sourceKind?: SourceKind | undefined;
  country?: string | undefined;
  published?: string | undefined;
  actor: string;
}

export interface ArticleReport {
  file: string;
  documentId: number;
  skipped: boolean;
  claims: number;
  events: number;
  places: number;
}

const ARTICLE_EXTENSIONS = new Set([".txt", ".html", ".htm", ".text", ".md"]);
const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/** Article files under a path, in a stable order; a folder is walked lazily so 10,000 files stay cheap. */
export async function* articleFiles(path: string): AsyncGenerator<string> {
  const s = await stat(path);
  if (s.isFile()) {
    yield path;
    return;
  }
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) yield* articleFiles(full);
    else if (e.isFile() && ARTICLE_EXTENSIONS.has(extname(e.name).toLowerCase())) yield full;
  }
}

export async function countArticleFiles(path: string): Promise<number> {
  let n = 0;
  for await (const _ of articleFiles(path)) n++;
  return n;
}

export function contentTypeOf(file: string): "text/html" | "text/plain" {
  const ext = extname(file).toLowerCase();
  return ext === ".html" || ext === ".htm" ? "text/html" : "text/plain";
}

export async function importArticleFile(
  ledger: Ledger,
  file: string,
  options: ArticleOptions,
): Promise<ArticleReport> {
  const bytes = await readFile(file);
  if (bytes.length > MAX_ARTICLE_BYTES) throw new Error(`${file}: larger than ${MAX_ARTICLE_BYTES} bytes`);
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  return importArticle(ledger, text, { ...options, origin: file, contentType: contentTypeOf(file) });
}

export async function importArticle(
  ledger: Ledger,
  text: string,
  options: ArticleOptions & { origin: string; contentType: "text/html" | "text/plain" },
): Promise<ArticleReport> {
  const file = basename(options.origin);
  // Stored exactly as received, which PostgreSQL cannot do for NUL or an unpaired surrogate (core/storable.ts).
  if (!isStorable(text)) throw new Error(`${file}: the article text ${UNSTORABLE_MESSAGE}`);
  const digest = sha256Hex(text);
  const known = await findDocumentBySha(ledger.store.db, digest);
  if (known) return { file, documentId: known.id, skipped: true, claims: 0, events: 0, places: 0 };
  const extraction = extractArticle(text, {
    country: options.country,
    published: options.published ?? null,
    gazetteer: ledger.gazetteer,
    contentType: options.contentType,
  });
  const now = timestamp(ledger);
  return ledger.store.db.transaction().execute(async (trx) => {
    // A concurrent import of the same article loses here, on the unique SHA-256, and rolls back whole.
    const publisherId = options.source
      ? await ensureSource(trx, options.source, options.sourceKind ?? "media", now)
      : null;
    const documentId = await insertDocument(trx, {
      source_id: publisherId,
      origin: options.origin,
      published: extraction.published,
      sha256: digest,
      title: extraction.title,
      content_type: options.contentType,
      content: text,
      created_at: now,
    });
    const places = new PlaceResolver(ledger.gazetteer, true);
    const sources = new Map<string, number>();
    const sourceId = async (name: string | null, kind: SourceKind): Promise<number> => {
      if (!name) return publisherId ?? (await ensureSource(trx, "Unattributed", "other", now));
      const id = sources.get(name) ?? (await ensureSource(trx, name, kind, now));
      sources.set(name, id);
      return id;
    };
    const country = options.country ?? firstCountry(extraction);

    for (const c of extraction.claims) {
      const mention = c.places[0];
      const p = mention ? places.columns({ place: mention, country }) : null;
      const cols = p?.ok && !p.unresolved ? p.columns : null;
      const row = {
        metric: c.metric,
        low: c.low,
        high: c.high,
        qualifier: c.qualifier,
        as_of: c.asOf,
        period_from: c.period?.from ?? null,
        period_to: c.period?.to ?? null,
        place_id: cols?.place_id ?? null,
        place_name: cols?.place_name ?? mention ?? null,
        place_level: cols?.place_level ?? null,
        province_id: cols?.province_id ?? null,
        province: cols?.province ?? null,
        country: cols?.country ?? country ?? null,
        context: c.context,
        document_id: documentId,
        span_start: c.span[0],
        span_end: c.span[1],
        url: null,
        quote: c.text.slice(0, 5000),
        status: "candidate",
      };
      const source = await sourceId(c.source?.name ?? null, c.source?.kind ?? "other");
      const claim: NewClaimRow = {
        ...row,
        source_id: source,
        row_key: `d:${documentId}:${c.figureSpan[0]}:${c.metric}`,
        row_hash: contentHash(row, String(source)),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto("claims").values(claim).execute();
      await sealWhere(trx, "claims", "row_key", [claim.row_key]);
    }

    const deltas = new CellDeltas();
    let events = 0;
    for (const [i, e] of extraction.events.entries()) {
      const date = e.date ?? extraction.published;
      if (!date) continue; // An undated event cannot be placed on the ledger's timeline; its claims still are.
      const mentions = e.places.length ? e.places : [null];
      for (const [j, mention] of mentions.entries()) {
        const p = places.columns({ place: mention ?? undefined, country });
        if (!p.ok) continue;
        const row: NewIncidentRow = {
          source_id: publisherId,
          external_id: null,
          row_key: `d:${documentId}:e${i}:${j}`,
          row_hash: sha256Hex(`${documentId}:${i}:${j}`),
          type: e.type,
          date,
          date_end: e.dateEnd,
          date_precision: e.date ? "day" : "week",
          week: weekKey(date),
          month: monthKey(date),
          ...p.columns,
          deaths_low: null,
          deaths_high: null,
          killed_low: null,
          killed_high: null,
          injured_low: null,
          injured_high: null,
          arrested_low: null,
          arrested_high: null,
          detained_low: null,
          detained_high: null,
          executed_low: null,
          executed_high: null,
          disappeared_low: null,
          disappeared_high: null,
          participants_low: null,
          participants_high: null,
          description: e.text.slice(0, 10_000),
          url: null,
          status: "candidate",
          grade: null,
          attributes: e.count === null ? null : JSON.stringify({ count: e.count }),
          merged_into: null,
          submitted_by: null,
          // A machine candidate counts nowhere until a reviewer accepts it.
          published: 0,
          created_at: now,
          updated_at: now,
        };
        const inserted = await trx
          .insertInto("incidents")
          .values(row)
          .returning("id")
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("incident_documents")
          .values({
            incident_id: inserted.id,
            document_id: documentId,
            span_start: e.span[0],
            span_end: e.span[1],
          })
          .execute();
        await sealWhere(trx, "incidents", "id", [inserted.id]);
        await sealWhere(trx, "incident_documents", "incident_id", [inserted.id]);
        deltas.insert(row);
        events++;
      }
    }
    await applyCellDeltas(ledger.store, trx, deltas);
    await bumpDataVersion(trx);
    // One chain entry for the article, covering its document, sources, candidates and links.
    await appendAudit(trx, {
      actor: options.actor,
      action: "article.import",
      target: `document:${documentId}`,
      at: now,
      afterHash: digest,
    });
    return {
      file,
      documentId,
      skipped: false,
      claims: extraction.claims.length,
      events,
      places: extraction.places.length,
    };
  });
}

function firstCountry(x: Extraction): string | undefined {
  return x.places.find((p) => p.country)?.country ?? undefined;
}
