/**
 * A ledger on one backend with the API server over it, for one `describe` block: opened before its tests and
 * closed after them. The returned object is filled in by then.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { buildServer } from "../../src/server/app.js";
import type { Dialect } from "../../src/store/dialect.js";
import { openTestLedger, type TestLedger } from "./backends.js";

export interface TestServer {
  t: TestLedger;
  app: FastifyInstance;
}

export function serveTestLedger(backend: Dialect): TestServer {
  const s = {} as TestServer;
  beforeAll(async () => {
    s.t = await openTestLedger(backend);
    s.app = await buildServer({ ledger: s.t.ledger });
  });
  afterAll(async () => {
    await s.app?.close();
    await s.t?.cleanup();
  });
  return s;
}
