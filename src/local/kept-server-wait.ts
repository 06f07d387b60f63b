/**
 * A command that holds the folder's lock and did not find the kept server ready (the no-op path,
 * findKeptServer, looks for "ready" only): the server `dbkit start` kept may still be running,
 * in crash recovery after a backend died ("starting") or shutting down ("stopping"). It is waited
 * for, and never stopped by inference: only `dbkit stop` stops it.
 */
import path from "node:path";
import { ConnectionError } from "../errors.js";
import { findKeptServer, readKeptServerRecord, removeKeptServerRecord, type KeptServerRecord } from "./kept-server.js";
import { readPostmasterPid, type PostmasterPid } from "./postmaster-pid.js";
import { untilPostmaster } from "./postmaster-watch.js";
import { isRunning } from "./process-alive.js";
import type { KeptServer } from "./server-handle.js";

/** Where the kept server stands, from its record, whether its process runs, and its data folder's postmaster.pid. */
export type KeptServerState =
  /** No record: no kept server (a server running on the folder is a killed command's orphan). */
  | "none"
  /** The recorded process is gone, or is not the folder's postmaster (it has exited): a stale record. */
  | "gone"
  | "ready"
  /** Shutting down: wait until it has exited, then start a server of one's own. */
  | "stopping"
  /** Anything else ("starting": starting up, or recovering after a backend crashed): wait until it is ready. */
  | "starting";

/** The kept server's state: its record, whether the recorded pid runs, and what postmaster.pid says. */
export function keptServerState(record: KeptServerRecord | undefined, running: boolean, written: PostmasterPid | undefined): KeptServerState {
  if (!record) return "none";
  if (!running || written?.pid !== record.pid) return "gone";
  if (written.status === "ready") return "ready";
  return written.status === "stopping" ? "stopping" : "starting";
}

export interface KeptWaitOptions {
  /** How long the server may take to become ready, or to exit. */
  timeoutMs: number;
  onWait?: (message: string) => void;
}

/**
 * With the folder's lock held: the kept server once it is ready, or undefined when there is none
 * to use (no record; a stale record, which is removed; a server that was stopping and has exited).
 * Throws a ConnectionError when it is still starting or stopping after `timeoutMs`.
 */
export async function awaitKeptServer(dir: string, { timeoutMs, onWait }: KeptWaitOptions): Promise<KeptServer | undefined> {
  const deadline = Date.now() + timeoutMs;
  const said = new Set<KeptServerState>();
  for (;;) {
    const record = readKeptServerRecord(dir);
    const state = currentState(record);
    if (!record || state === "none") return undefined;
    if (state === "gone") {
      removeKeptServerRecord(dir, record.pid);
      return undefined;
    }
    if (state === "ready") return findKeptServer(dir) ?? unusable(dir, record);
    if (!said.has(state)) {
      said.add(state);
      onWait?.(`waiting for the server kept by dbkit start (pid ${record.pid}) to ${state === "stopping" ? "stop" : "finish starting"} (status: ${statusOf(record)})`);
    }
    await untilPostmaster(record.dataDir, () => currentState(record) !== state, Math.max(0, deadline - Date.now()), () => {
      const doing = state === "stopping" ? "has not stopped" : "is not ready";
      return new ConnectionError("DBKIT_KEPT_SERVER_NOT_READY", `the server kept by dbkit start (pid ${record.pid}) ${doing} after ${timeoutMs / 1000} s (status: ${statusOf(record)})`, {
        hint: `see ${logOf(record)}; dbkit stop stops it`,
      });
    }).promise;
  }
}

function currentState(record: KeptServerRecord | undefined): KeptServerState {
  return record ? keptServerState(record, isRunning(record.pid), readPostmasterPid(record.dataDir)) : "none";
}

function statusOf(record: KeptServerRecord): string {
  return readPostmasterPid(record.dataDir)?.status || "unknown";
}

function logOf(record: KeptServerRecord): string {
  return path.join(path.dirname(record.dataDir), "postgres.log");
}

/** Ready, but not as recorded (another port) or without its password file: reported, not stopped. */
function unusable(dir: string, record: KeptServerRecord): never {
  const written = readPostmasterPid(record.dataDir);
  const why = written?.port === record.port ? `${path.join(dir, "password")} cannot be read` : `it listens on port ${written?.port}, not on port ${record.port} of ${path.join(dir, "server.json")}`;
  throw new ConnectionError("DBKIT_KEPT_SERVER_UNUSABLE", `the server kept by dbkit start (pid ${record.pid}) runs, but ${why}`, {
    hint: `dbkit stop stops it; see ${logOf(record)}`,
  });
}
