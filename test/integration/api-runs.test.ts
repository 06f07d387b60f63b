/**
 * Two API calls in one process share nothing: each has its own run (events, interrupt cleanups),
 * so aborting one (its AbortSignal, as Ctrl-C interrupts the CLI) leaves the other running.
 */
import { describe, expect, it } from "vitest";
import { migrate } from "../../dist/index.js";
import { journalNames, scenario, type Scenario } from "../support/scenario.js";

const FILES = { "migrations/0001_behind_gate.sql": "lock table gate in access share mode;\ncreate table after_gate (id int);\n" };

/** Holds an exclusive lock on `gate` in `s`'s database until the returned function is called. */
async function holdGate(s: Scenario): Promise<() => Promise<void>> {
  await s.db.sql`create table gate (id int)`;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = s.db.sql.begin(async (tx) => {
    await tx`lock table gate in access exclusive mode`;
    locked();
    await released;
  });
  await isLocked;
  return async () => {
    release();
    await holding;
  };
}

/** Waits until a session of `s`'s database other than the test's waits for a lock. */
async function waitingOnGate(s: Scenario): Promise<boolean> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const [row] = await s.db.sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%gate%'`;
    if (row!.n > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe("API calls in one process", () => {
  it("aborting one of two concurrent migrate() calls interrupts that one only", async () => {
    const [a, b] = [await scenario(FILES), await scenario(FILES)];
    const [releaseA, releaseB] = [await holdGate(a), await holdGate(b)];
    const abortA = new AbortController();
    const eventsA: string[] = [];
    const eventsB: string[] = [];
    // lock_timeout 0: each waits for its gate as long as it takes.
    const runA = migrate({ cwd: a.dir, url: a.db.url, lockTimeout: "0", signal: abortA.signal, onEvent: (event) => eventsA.push(event.type) }).catch((error: unknown) => error);
    const runB = migrate({ cwd: b.dir, url: b.db.url, lockTimeout: "0", onEvent: (event) => eventsB.push(event.type) });
    expect(await waitingOnGate(a)).toBe(true);
    expect(await waitingOnGate(b)).toBe(true);

    abortA.abort();
    expect(await runA).toMatchObject({ code: "DBKIT_INTERRUPTED", exitCode: 130 });
    // B's connection was not closed by A's interrupt: its migration still waits at the gate.
    expect(await waitingOnGate(b)).toBe(true);
    await releaseB();
    expect(await runB).toMatchObject({ ok: true, applied: [{ name: "0001_behind_gate" }] });
    expect(await journalNames(b.db)).toEqual(["0001_behind_gate"]);

    await releaseA();
    expect(eventsA).not.toContain("applied");
    expect(eventsB).toContain("applied");
    // Nothing of A's half-run migration was committed.
    const [row] = await a.db.sql`select to_regclass('after_gate') is null as gone`;
    expect(row!.gone).toBe(true);
  });

  it("an AbortSignal aborted before the call: nothing is opened", async () => {
    const s = await scenario(FILES);
    await expect(migrate({ cwd: s.dir, url: s.db.url, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "DBKIT_INTERRUPTED" });
    const [row] = await s.db.sql`select to_regnamespace('dbkit') is null as none`;
    expect(row!.none).toBe(true);
  });
});
