import { describe, expect, it } from "vitest";
import { LostSignal } from "../../src/db/lost-signal.js";
import { isCollected } from "../support/garbage.js";

describe("the lost-connection signal raced against queries", () => {
  it("gives a query's answer, or its error, when the connection stays", async () => {
    const signal = new LostSignal();
    await expect(signal.race(Promise.resolve(42))).resolves.toBe(42);
    await expect(signal.race(Promise.reject(new Error("syntax error")))).rejects.toThrow("syntax error");
  });

  it("rejects every query under way, and any raced later, with the first reason the connection was lost", async () => {
    const signal = new LostSignal();
    const never = new Promise<never>(() => undefined);
    const first = signal.race(never);
    const second = signal.race(never);
    signal.mark(Object.assign(new Error("connection lost: the server no longer has this session"), { code: "CONNECTION_CLOSED" }));
    signal.mark(new Error("connection closed"));
    await expect(first).rejects.toThrow("the server no longer has this session");
    await expect(second).rejects.toThrow("the server no longer has this session");
    await expect(signal.race(Promise.resolve(1))).rejects.toThrow("the server no longer has this session");
  });

  it("keeps nothing of a query once it is answered (a 5000-file apply kept every file's answer)", async () => {
    const signal = new LostSignal();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 3; i++) refs.push(await answered(signal));
    expect(await Promise.all(refs.map(isCollected))).toEqual([true, true, true]);
  });
});

/** Races one answer through `signal` and returns a weak reference to it: nothing here holds it after. */
async function answered(signal: LostSignal): Promise<WeakRef<object>> {
  const answer = { rows: Array.from({ length: 100 }, (_, k) => ({ k })) };
  await signal.race(Promise.resolve(answer));
  return new WeakRef(answer);
}
