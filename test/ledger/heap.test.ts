/**
 * Long imports bound their memory by asking for a full collection once their garbage passes a budget
 * (services/import/heap.ts). The collection must be real (the runtime hook works without --expose-gc), and
 * the budget must count from the last collection, so that data an import keeps does not make it collect at
 * every check.
 */
import { describe, expect, it } from "vitest";
import { fullCollection, HeapGuard } from "../../src/services/import/heap.js";

const nextTurn = () => new Promise((r) => setTimeout(r, 0));

describe("HeapGuard", () => {
  it("has a real full collection: an object nothing refers to is gone after it", async () => {
    const gc = fullCollection();
    expect(gc).toBeTypeOf("function");
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ payload: new Array(1000).fill("garbage") });
    })();
    // A WeakRef's target lives at least until the end of the turn that made it.
    await nextTurn();
    gc?.();
    await nextTurn();
    expect(ref?.deref()).toBeUndefined();
  });

  it("collects once the garbage passes the budget, and counts the next budget from what is left", () => {
    let heap = 100;
    let collections = 0;
    const guard = new HeapGuard({
      budget: 50,
      measure: () => heap,
      collect: () => {
        collections++;
        heap = 130; // 30 units the import keeps survive the collection
      },
    });
    // The heap in use at each check, and the collections asked for so far. After the first collection the kept
    // data (130) is the new base: 170 is only 40 over it, so no collection yet.
    const steps: [heap: number, collections: number][] = [
      [149, 0],
      [151, 1],
      [170, 1],
      [181, 2],
    ];
    for (const [inUse, expected] of steps) {
      heap = inUse;
      guard.check();
      expect(collections, `after a check at ${inUse}`).toBe(expected);
    }
  });

  it("does nothing where the runtime offers no collection", () => {
    const guard = new HeapGuard({ budget: 1, measure: () => 1e12, collect: null });
    expect(() => guard.check()).not.toThrow();
  });
});
