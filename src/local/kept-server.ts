/**
 * The embedded default server kept running by `dbkit start` until `dbkit stop`, recorded in
 * `<state dir>/server.json`. Every command on the embedded default looks here first, so this is
 * the no-op path of `dbkit migrate`: a few small synchronous reads, no lock, no child process, and
 * none of embedded-server.ts's imports.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readPostmasterPid } from "./postmaster-pid.js";
import { isRunning } from "./process-alive.js";
import { embeddedServerUrl, type KeptServer } from "./server-handle.js";

export type { KeptServer } from "./server-handle.js";

/** What server.json holds: enough to find the server and prove it is still the one recorded. */
export interface KeptServerRecord {
  pid: number;
  port: number;
  dataDir: string;
}

export function keptServerRecordPath(stateDir: string): string {
  return path.join(stateDir, "server.json");
}

export function readKeptServerRecord(stateDir: string): KeptServerRecord | undefined {
  let parsed: Partial<KeptServerRecord>;
  try {
    parsed = JSON.parse(readFileSync(keptServerRecordPath(stateDir), "utf8")) as Partial<KeptServerRecord>;
  } catch {
    return undefined;
  }
  const { pid, port, dataDir } = parsed;
  return Number.isInteger(pid) && Number.isInteger(port) && typeof dataDir === "string" ? { pid: pid!, port: port!, dataDir } : undefined;
}

/** Written to a temporary name then renamed: a reader sees the whole record or none. */
export function writeKeptServerRecord(stateDir: string, record: KeptServerRecord): void {
  const file = keptServerRecordPath(stateDir);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(record)}\n`, { mode: 0o644 });
  renameSync(partial, file);
}

/** Removes the record if it still names `pid` (a newer server's record is left alone). */
export function removeKeptServerRecord(stateDir: string, pid: number): void {
  if (readKeptServerRecord(stateDir)?.pid !== pid) return;
  try {
    unlinkSync(keptServerRecordPath(stateDir));
  } catch {
    // already gone
  }
}

/**
 * The recorded server when it is running and ready: its process is alive and `postmaster.pid` in
 * its data folder names it with the status "ready" (a server shutting down says "stopping").
 * Undefined when there is no record or it is stale; a stale record is removed by whoever holds
 * the folder's lock (see startEmbeddedServer), never here, where a start may be writing it.
 */
export function findKeptServer(stateDir: string): KeptServer | undefined {
  const record = readKeptServerRecord(stateDir);
  if (!record || !postmasterReady(record)) return undefined;
  let password: string;
  try {
    password = readFileSync(path.join(stateDir, "password"), "utf8").trim();
  } catch {
    return undefined;
  }
  const { pid, port, dataDir } = record;
  return {
    kept: true,
    pid,
    dataDir,
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    url: (database = "postgres") => embeddedServerUrl(password, port, database),
    stop: () => Promise.resolve(),
    keep() {
      return Promise.resolve(this);
    },
  };
}

/** The recorded process runs and its postmaster.pid names it, its port and the status "ready". */
function postmasterReady({ pid, port, dataDir }: KeptServerRecord): boolean {
  if (!isRunning(pid)) return false;
  const written = readPostmasterPid(dataDir);
  return written?.pid === pid && written.port === port && written.status === "ready";
}
