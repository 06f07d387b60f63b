import { ConnectionError } from "../errors.js";

/** How long a runner waits for another runner (its migration lock, its run, its file) before giving up. */
export const RUNNER_WAIT_MS = 15 * 60 * 1000;

/** The pause before poll `attempt` of another runner: doubling from 25 ms to 250 ms, jittered so waiters spread out. */
export function pollPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** attempt, 250) * (0.5 + Math.random())));
}

/**
 * Polls a try-lock instead of blocking: a session blocked in a lock wait keeps a snapshot
 * open, which would make another runner's CREATE INDEX CONCURRENTLY wait for it forever.
 */
export async function waitForLock(tryLock: () => Promise<{ locked: boolean }[]>, onWait: () => void): Promise<void> {
  const deadline = Date.now() + RUNNER_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const [row] = await tryLock();
    if (row?.locked) return;
    if (attempt === 0) onWait();
    if (Date.now() > deadline) {
      throw new ConnectionError("DBKIT_RUNNER_LOCK_TIMEOUT", "another dbkit runner held the migration lock for more than 15 minutes", {
        hint: "check for a stuck dbkit process (pg_stat_activity, application_name = 'dbkit')",
      });
    }
    await pollPause(attempt);
  }
}
