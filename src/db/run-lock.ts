/**
 * The run lock: a session advisory lock held by the runner that applies, for its whole run, on a
 * key of its own (the per-file transaction lock and guard stay what keeps each file exactly
 * once). A runner that finds it held waits once for the run to end and then reads the journal
 * again, instead of racing the leader file by file: 32 runners then cost about one run, and the
 * server logs no refused guard. Waiting polls a try-lock (no ERROR in the server log, no snapshot
 * held open; see wait-for-lock.ts), and a waiter lets go of the lock as soon as it got it: most
 * waiters find nothing left to do, and one holding it would make the next wait in turn.
 *
 * Behind a pooler a session lock could stay behind on a server connection after the run ended
 * (transaction pooling does not keep a client on one server session). There the leader holds the
 * run lock as a transaction lock on a connection of its own, its transaction left open (idle, no
 * snapshot) for the run: ending that connection ends the transaction wherever the pooler put it.
 * Waiters then probe with a transaction lock that ends with the probe. A session lock left on a
 * pooled server session by an older dbkit is still recognised there: the wait also ends when the
 * holder has sat idle, outside any transaction, for a while, and the runner goes ahead without the
 * run lock, as safe as before (each file still takes its own lock), only slower. On a direct
 * connection a session lock ends with its session, so an idle holder is a live runner busy on its
 * side (or starved of CPU on a loaded machine): it is waited for, never raced.
 */
import { createHash } from "node:crypto";
import type { Sql } from "./connect.js";
import { pollPause, RUNNER_WAIT_MS } from "./wait-for-lock.js";

/** Polls in a row that must see the holder idle before it counts as stale (about 3 s). */
const IDLE_POLLS = 12;

export function runLockKeyFor(journalSchema: string): string {
  return createHash("sha256").update(`dbkit-run:${journalSchema}`).digest().readBigInt64BE(0).toString();
}

/**
 * "led": this session holds the run lock now. "waited": another runner's run held it and has
 * ended (the lock is not held by this session; read the journal again before asking once more).
 * "stale": the holder sat idle outside a transaction, a lock a pooler left behind: go ahead without it.
 */
export type RunLockOutcome = "led" | "waited" | "stale";

/** Takes the run lock, or waits for the run that holds it to end. */
export async function takeRunLock(sql: Sql, key: string, onWait: () => void): Promise<RunLockOutcome> {
  const [first] = await sql.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_lock(${key}) as locked`);
  if (first?.locked) return "led";
  onWait();
  // Free: taken and given back at once (CASE fixes the order).
  return waitForRunEnd(sql, key, `case when pg_try_advisory_lock(${key}) then pg_advisory_unlock(${key}) else false end`, false);
}

/**
 * Behind a pooler: takes the run lock as a transaction lock on a connection `pin` of its own,
 * which the caller ends when the run ends (its transaction ends with it), and returns the server
 * session pinned; or, when another run holds it, ends `pin` and waits for that run to end.
 */
export async function takePinnedRunLock(sql: Sql, pin: Sql, key: string, onWait: () => void): Promise<RunLockOutcome | { led: number }> {
  const results = (await pin.unsafe(`begin isolation level read committed; select pg_try_advisory_xact_lock(${key}) as locked, pg_backend_pid() as pid`).simple()) as unknown as { locked: boolean; pid: number }[][];
  const [row] = results[1] ?? [];
  // The server session pinned for the run: it ends when this runner's connection does.
  if (row?.locked) return { led: row.pid };
  await pin.end({ timeout: 0 }).catch(() => undefined);
  onWait();
  return waitForRunEnd(sql, key, `pg_try_advisory_xact_lock(${key})`, true);
}

/**
 * Polls `probe` (true when the lock is free, leaving it free) until the run holding the lock ends;
 * with `staleWhenIdle`, also until the holder has sat idle outside a transaction for IDLE_POLLS polls.
 */
async function waitForRunEnd(sql: Sql, key: string, probe: string, staleWhenIdle: boolean): Promise<RunLockOutcome> {
  const deadline = Date.now() + RUNNER_WAIT_MS;
  let idle = 0;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    await pollPause(attempt);
    // Only when held (and it matters), who holds it.
    const holder = `(select a.state from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.database = (select oid from pg_database where datname = current_database())
            and ((l.classid::bigint << 32) | l.objid::bigint) = ${key}::bigint limit 1)`;
    const [row] = await sql.unsafe<{ free: boolean; holder: string | null }[]>(
      `select free, ${staleWhenIdle ? `case when free then null else ${holder} end` : "null::text"} as holder from (select ${probe} as free offset 0) as try`,
    );
    if (row?.free) return "waited";
    idle = row?.holder === "idle" ? idle + 1 : 0;
    if (idle >= IDLE_POLLS) return "stale";
  }
  return "stale";
}
