import type { ApplyOptions } from "../engine/ports.js";
import { ConnectionError, DbkitError } from "../errors.js";
import { describeBlockers, type Blocker, type LockMonitor } from "./lock-monitor.js";

/** An attempt already made elsewhere that hit lock_timeout, with the sessions seen blocking it. */
export interface FailedAttempt {
  error: DbkitError;
  blockers: Blocker[];
}

/**
 * Runs `attempt`; when it fails on lock_timeout (it was rolled back whole), waits with backoff
 * and tries again, up to `lockRetries` times. Errors name the sessions that held the lock, as
 * the monitor saw them while the attempt waited. `firstAttempt` is a first attempt made
 * elsewhere (a pipelined file): it counts as the first, and retries follow it.
 */
export async function retryOnLockTimeout<T>(monitor: LockMonitor, backendPid: number, what: string, options: ApplyOptions, attempt: () => Promise<T>, firstAttempt?: FailedAttempt): Promise<T> {
  const retries = options.lockRetries ?? 0;
  for (let n = 0; ; n++) {
    let failed: { error: unknown; blockers: Blocker[] };
    if (n === 0 && firstAttempt) failed = firstAttempt;
    else {
      monitor.start(backendPid);
      try {
        const result = await attempt();
        monitor.stop();
        return result;
      } catch (error) {
        failed = { error, blockers: monitor.stop() };
      }
    }
    const { error } = failed;
    if (!(error instanceof DbkitError) || error.code !== "DBKIT_LOCK_TIMEOUT") throw error;
    // The wait may end before the monitor's first poll (a short lock_timeout, a busy machine):
    // then the sessions holding locks now are named instead; the blocker is among them.
    const blockers = failed.blockers.length > 0 ? failed.blockers : await monitor.holders(backendPid);
    const by = blockers.length > 0 ? `; blocked by ${describeBlockers(blockers)}` : "";
    if (n >= retries) {
      throw new ConnectionError("DBKIT_LOCK_TIMEOUT", `${error.message}${by}${retries > 0 ? ` (gave up after ${retries + 1} attempts)` : ""}`, {
        hint: error.hint ?? "",
        cause: error,
        details: { ...error.details, blockers },
      });
    }
    const delay = Math.round(Math.min(500 * 2 ** n, 8000) * (0.75 + Math.random() / 2));
    options.onLockRetry?.(`${what}: lock timeout${by}; retrying in ${(delay / 1000).toFixed(1)}s (${n + 1}/${retries})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
