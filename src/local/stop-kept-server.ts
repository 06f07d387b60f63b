/**
 * `dbkit stop`'s work: a fast shutdown of the server `dbkit start` kept running (SIGINT to the
 * postmaster, as `pg_ctl stop -m fast`), waiting until it has exited, then its record removed.
 */
import path from "node:path";
import { ConnectionError } from "../errors.js";
import { acquireDirLock } from "./dir-lock.js";
import { readKeptServerRecord, removeKeptServerRecord, type KeptServerRecord } from "./kept-server.js";
import { isRunning } from "./process-alive.js";
import { readPostmasterPid } from "./postmaster-pid.js";
import { untilPostmaster, type Watched } from "./postmaster-watch.js";

export type StopOutcome =
  /** It ran and has exited. */
  | { state: "stopped"; server: KeptServerRecord }
  /** Nothing recorded; or a record of a server that is gone (killed, a reboot), now removed. */
  | { state: "not running"; staleRecordRemoved: boolean };

export interface StopOptions {
  lockWaitMs?: number;
  onWait?: (message: string) => void;
  /** How long the server may take to shut down (it ends every session first). */
  exitWaitMs?: number;
}

export async function stopKeptServer(stateDir: string, options: StopOptions = {}): Promise<StopOutcome> {
  if (!readKeptServerRecord(stateDir)) return { state: "not running", staleRecordRemoved: false };
  // The lock: a `dbkit start` (or a command replacing a stale record) is not writing the record meanwhile.
  const lock = await acquireDirLock(path.join(stateDir, "lock"), options.lockWaitMs ?? 120_000, (pid) =>
    options.onWait?.(`waiting for another dbkit command using ${stateDir} (pid ${pid})`),
  );
  try {
    const record = readKeptServerRecord(stateDir);
    if (!record) return { state: "not running", staleRecordRemoved: false };
    if (!postmasterRuns(record)) {
      removeKeptServerRecord(stateDir, record.pid);
      return { state: "not running", staleRecordRemoved: true };
    }
    const exited = postmasterExit(record, options.exitWaitMs ?? 60_000);
    try {
      process.kill(record.pid, "SIGINT");
    } catch (error) {
      // ESRCH: gone already, which the wait sees (cancelled here, it would never settle)
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
        exited.cancel();
        throw error;
      }
    }
    await exited.promise;
    removeKeptServerRecord(stateDir, record.pid);
    return { state: "stopped", server: record };
  } finally {
    await lock.release();
  }
}

/** The recorded process runs and its data folder's postmaster.pid still names it. */
function postmasterRuns({ pid, dataDir }: KeptServerRecord): boolean {
  return isRunning(pid) && readPostmasterPid(dataDir)?.pid === pid;
}

/**
 * Resolves once the postmaster has exited: it removes postmaster.pid as it ends (the process
 * itself may linger as a zombie nobody reaps); a server killed outright is seen gone by the look once a second.
 */
function postmasterExit(record: KeptServerRecord, timeoutMs: number): Watched {
  return untilPostmaster(
    record.dataDir,
    () => !postmasterRuns(record),
    timeoutMs,
    () =>
      new ConnectionError("DBKIT_EMBEDDED_STOP_TIMEOUT", `the embedded Postgres (pid ${record.pid}) did not stop within ${timeoutMs / 1000} s`, {
        hint: `see ${path.join(path.dirname(record.dataDir), "postgres.log")}; run dbkit stop again, or kill ${record.pid}`,
      }),
  );
}
