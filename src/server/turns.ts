/**
 * Bounded work per turn of the event loop, so that a busy server still accepts connections.
 *
 * Node (libuv 1.45 and later) accepts one new connection per turn of the event loop, and a turn runs the
 * handlers of every request that arrived since the one before. Under load, with many keep-alive clients that
 * each send their next request as soon as they have an answer, a turn grows with the number of clients
 * already connected, and clients still connecting wait turn after turn in the kernel's accept queue: 200
 * clients connecting at once to a server doing 0.7 ms of work per request were all accepted only after 12 s,
 * and the last of them had given up. Here at most `perTurn` requests start per turn; the others wait, in the
 * order they came, for the next turns. Turns stay short, connections are accepted as they come, and the
 * throughput and the order of requests are the same.
 */
import type { FastifyInstance } from "fastify";

export function boundWorkPerTurn(app: FastifyInstance, perTurn: number): void {
  const waiting: (() => void)[] = [];
  let started = 0;
  let scheduled = false;
  const nextTurn = () => {
    scheduled = false;
    started = 0;
    while (started < perTurn && waiting.length > 0) {
      started++;
      (waiting.shift() as () => void)();
    }
    if (started > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(nextTurn);
  };
  app.addHook("onRequest", (_request, _reply, done) => {
    schedule();
    if (started < perTurn && waiting.length === 0) {
      started++;
      done();
    } else {
      waiting.push(done);
    }
  });
}
