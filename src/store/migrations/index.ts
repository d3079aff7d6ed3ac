import type { Migration, MigrationProvider } from "kysely";
import type { Dialect } from "../dialect.js";
import { ledger } from "./0001_ledger.js";
import { accounts } from "./0002_accounts.js";
import { tallyCells } from "./0002_tally_cells.js";
import { audit } from "./0004_audit.js";
import { attachments } from "./0005_attachments.js";
import { search } from "./0006_search.js";
import { victimLists } from "./0007_victim_lists.js";
import { sealMeta } from "./0008_seal_meta.js";
import { sealRowIndex } from "./0009_seal_row_index.js";
import { publication } from "./0010_publication.js";

/** Migrations are code, listed here in order; their names never change once released. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        "0001_ledger": ledger(dialect),
        "0002_tally_cells": tallyCells(dialect),
        // Named 0003 so that it sorts after 0002_tally_cells, which ledgers may already have applied.
        "0003_accounts": accounts(dialect),
        "0004_audit": audit(dialect),
        "0005_attachments": attachments(dialect),
        "0006_search": search(dialect),
        "0007_victim_lists": victimLists(dialect),
        "0008_seal_meta": sealMeta(dialect),
        "0009_seal_row_index": sealRowIndex(dialect),
        "0010_publication": publication(dialect),
      };
    },
  };
}
