import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { Liveness } from "../../src/db/liveness.js";

const FAST = { firstCheckMs: 1, everyMs: 1, answerWithinMs: 30 };

/** A stand-in for the second connection: each check gets the next answer; resolves `calls(n)` on the n-th check. */
function fakeServer(answer: (call: number, query: string) => Promise<unknown>) {
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sql = {
    unsafe: (query: string) => {
      count++;
      for (const w of waiters.filter((w) => w.n <= count)) w.resolve();
      return answer(count, query);
    },
    end: async () => undefined,
  } as unknown as postgres.Sql;
  return { open: () => sql, calls: (n: number) => new Promise<void>((resolve) => waiters.push({ n, resolve })) };
}

function watch(answer: (call: number, query: string) => Promise<unknown>, pooled = false) {
  const server = fakeServer(answer);
  let lost: string | undefined;
  let onLost: () => void = () => undefined;
  const lostNow = new Promise<void>((resolve) => (onLost = resolve));
  const liveness = new Liveness(server.open, pooled ? undefined : 4242, (why) => ((lost = why), onLost()), FAST);
  liveness.start();
  return { liveness, calls: server.calls, lostNow, lost: () => lost };
}

describe("liveness of a statement that goes unanswered", () => {
  it("a session the server no longer has is lost", async () => {
    const w = watch(async () => []);
    await w.lostNow;
    expect(w.lost()).toContain("no longer has this session");
  });

  it("a server that does not answer twice in a row is lost", async () => {
    const w = watch(() => new Promise(() => undefined));
    await w.lostNow;
    expect(w.lost()).toContain("did not answer");
  });

  it("a session idle while its answer is awaited (the answer was lost) is lost", async () => {
    const w = watch(async () => [{ state: "idle" }]);
    await w.lostNow;
    expect(w.lost()).toContain("answer never arrived");
  });

  it("a session still running its statement is waited for", async () => {
    const w = watch(async () => [{ state: "active" }]);
    await w.calls(6);
    w.liveness.stop();
    expect(w.lost()).toBeUndefined();
  });

  it("a server refusing the second connection with an error (a connection limit) has answered: the statement is waited for", async () => {
    const w = watch(async () => {
      throw Object.assign(new Error("too many connections for role"), { code: "53300" });
    });
    await w.calls(6);
    w.liveness.stop();
    expect(w.lost()).toBeUndefined();
  });

  it("behind a pooler (no session to look for: the statement may run in another server session) a server that answers is waited for; only silence counts", async () => {
    // The pooled statement's server session is not the first query's: pg_stat_activity has no such pid.
    const server = (_call: number, query: string) => Promise.resolve(query.includes("pg_stat_activity") ? [] : [{ state: "active" }]);
    const direct = watch(server);
    await direct.lostNow;
    expect(direct.lost()).toContain("no longer has this session");
    const pooled = watch(server, true);
    await pooled.calls(6);
    pooled.liveness.stop();
    expect(pooled.lost()).toBeUndefined();
    const silent = watch(() => new Promise(() => undefined), true);
    await silent.lostNow;
    expect(silent.lost()).toContain("did not answer");
  });
});
