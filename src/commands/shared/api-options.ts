/** What every programmatic API function takes besides its command's flags, and the run it makes of them. */
import { loadSettings, type SettingFlags, type Settings } from "../../config/load-config.js";
import type { DbkitEvent } from "../../engine/events.js";
import { DbkitError, ExitCode } from "../../errors.js";
import { createRun, type Run } from "./run.js";

export interface DbkitOptions extends Omit<SettingFlags, "lockRetries" | "wait"> {
  /** The project folder (default: process.cwd()). */
  cwd?: string;
  /** Environment to read DATABASE_URL and DBKIT_* from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  lockRetries?: number;
  /** Seconds to keep retrying the first connection. */
  wait?: number;
  /** Progress, warnings and the target, as they happen. */
  onEvent?: (event: DbkitEvent) => void;
  /**
   * Interrupts the call as Ctrl-C interrupts the CLI: the connection is closed (the server rolls
   * back what was not committed) and a server dbkit started is stopped; the call then rejects with
   * DBKIT_INTERRUPTED. Only this call: other calls in the process go on.
   */
  signal?: AbortSignal;
}

/** What only the CLI's output shows (--verbose) or needs (passwords to mask): not passed to `onEvent`. */
const CLI_ONLY: ReadonlySet<DbkitEvent["type"]> = new Set(["verbose", "sql", "secret"]);

/**
 * Runs one API call: the settings (validated as the CLI's are) and a run of its own, whose events
 * go to `onEvent` and which `signal` interrupts. Nothing is shared with other calls.
 */
export async function withApiRun<R>(options: DbkitOptions, work: (settings: Settings, run: Run) => Promise<R>): Promise<R> {
  const { cwd = process.cwd(), env, onEvent, lockRetries, wait, signal, ...flags } = options;
  if (signal?.aborted) throw interruptedByCaller(signal.reason);
  const settings = loadSettings({ ...flags, ...(lockRetries === undefined ? {} : { lockRetries: String(lockRetries) }), ...(wait === undefined ? {} : { wait: String(wait) }) }, cwd, env);
  const run = createRun((event) => {
    if (!CLI_ONLY.has(event.type)) onEvent?.(event);
  });
  const onAbort = () => void run.interrupts.run();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await work(settings, run);
  } catch (error) {
    throw signal?.aborted ? interruptedByCaller(error) : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function interruptedByCaller(cause: unknown): DbkitError {
  return new DbkitError("DBKIT_INTERRUPTED", ExitCode.interrupted, "interrupted by the caller's AbortSignal; what it had not committed was rolled back", {
    hint: "call it again to finish: applied files are recorded and skipped",
    cause,
  });
}
