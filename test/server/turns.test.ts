/**
 * A busy server still accepts connections: at most a few requests start per turn of the event loop (Node
 * accepts one connection per turn, so long turns leave new clients waiting in the kernel's accept queue).
 */
import net from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { boundWorkPerTurn } from "../../src/server/turns.js";
import { BACKENDS } from "../helpers/backends.js";
import { serveTestLedger } from "../helpers/server.js";

/** Counts turns of the event loop (one check phase each) while it runs. */
function turnCounter() {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    now: () => turn,
    stop: () => {
      running = false;
    },
  };
}

/** How many requests started in each turn, for `n` requests sent at once with inject. */
async function startsPerTurn(app: FastifyInstance, url: string, n: number): Promise<number[]> {
  const turns = turnCounter();
  const started: number[] = [];
  app.addHook("preHandler", async () => {
    started.push(turns.now());
  });
  const responses = await Promise.all(Array.from({ length: n }, () => app.inject({ method: "GET", url })));
  turns.stop();
  expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
  const perTurn = new Map<number, number>();
  for (const t of started) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
  return [...perTurn.values()];
}

describe("requests per turn", () => {
  it("starts at most the bound per turn, in the order the requests came", async () => {
    const app = Fastify();
    boundWorkPerTurn(app, 3);
    const order: number[] = [];
    app.get("/n/:i", async (request) => {
      order.push(Number((request.params as { i: string }).i));
      return { ok: true };
    });
    const turns = turnCounter();
    const started: number[] = [];
    app.addHook("preHandler", async () => {
      started.push(turns.now());
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => app.inject({ method: "GET", url: `/n/${i}` })));
    turns.stop();
    const perTurn = new Map<number, number>();
    for (const t of started) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    // A turn's budget is shared by the requests started from the queue and those arriving in the same turn;
    // counted from one check phase to the next, a window may hold the end of one budget and a whole other.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(6);
    expect(perTurn.size).toBeGreaterThanOrEqual(5);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await app.close();
  });

  it("without a bound, every request that has arrived starts in the same turn", async () => {
    const app = Fastify();
    app.get("/", async () => ({ ok: true }));
    expect(Math.max(...(await startsPerTurn(app, "/", 30)))).toBe(30);
    await app.close();
  });

  it("keeps accepting connections while the clients already connected keep it busy", async () => {
    // 150 clients connect at once and each sends its next request as soon as it has an answer; every request
    // costs 1 ms of CPU. Unbounded, turn k serves the k clients accepted so far and the 150th is accepted
    // after about 150²/2 ms (11 s); bounded, after a second or two.
    const app = Fastify();
    boundWorkPerTurn(app, 8);
    app.get("/work", async () => {
      const until = performance.now() + 1;
      while (performance.now() < until);
      return { ok: true };
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as net.AddressInfo;
    const start = performance.now();
    let stop = false;
    const firstAnswers = await Promise.all(
      Array.from(
        { length: 150 },
        () =>
          new Promise<number>((resolve) => {
            const socket = net.connect(port, "127.0.0.1");
            const send = () => socket.write("GET /work HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
            let first = true;
            socket.on("data", (chunk) => {
              // One small response per chunk on loopback; enough to pace the client.
              if (!chunk.toString().includes("HTTP/1.1 200")) return;
              if (first) {
                first = false;
                resolve(performance.now() - start);
              }
              if (stop) socket.destroy();
              else send();
            });
            socket.on("error", () => {});
            send();
            setTimeout(() => {
              if (first) resolve(Number.POSITIVE_INFINITY);
            }, 8000);
          }),
      ),
    );
    stop = true;
    await app.close();
    expect(Math.max(...firstAnswers)).toBeLessThan(5000);
  }, 30_000);
});

describe.each(BACKENDS)("the API server on %s", (backend) => {
  const s = serveTestLedger(backend);

  it("starts a bounded number of requests per turn", async () => {
    const counts = await startsPerTurn(s.app, "/api/v1/meta", 64);
    expect(Math.max(...counts)).toBeLessThanOrEqual(16);
  });
});
