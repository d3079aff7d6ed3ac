/**
 * The ledger as the services see it: the store, the gazetteer (with the ledger's own local places and
 * spellings on top) and a clock. Every use case takes one of these; the CLI, the API and the web app build it
 * once and hand it down.
 */
import { type Gazetteer, type LocalPlaces, loadGazetteer } from "../gazetteer/index.js";
import { openStore, type Store, type StoreConfig } from "../store/db.js";
import { loadLocalPlaces } from "../store/repositories/places.js";

export interface Ledger {
  readonly store: Store;
  /** The gazetteer, including the local additions stored in the ledger. */
  gazetteer: Gazetteer;
  now(): Date;
}

export interface LedgerOptions extends StoreConfig {
  now?: () => Date;
}

export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const store = await openStore(options);
  const ledger: Ledger = { store, gazetteer: loadGazetteer(), now: options.now ?? (() => new Date()) };
  await refreshLocalPlaces(ledger);
  return ledger;
}

/** Reloads the ledger's own places and spellings into the gazetteer, after they change. */
export async function refreshLocalPlaces(ledger: Ledger): Promise<void> {
  const local: LocalPlaces = await loadLocalPlaces(ledger.store.db);
  ledger.gazetteer = loadGazetteer().withLocal(local);
}

export function timestamp(ledger: Ledger): string {
  return ledger.now().toISOString();
}

export async function closeLedger(ledger: Ledger): Promise<void> {
  await ledger.store.close();
}
