/**
 * The `postmaster.pid` a running Postgres keeps in its data folder, read in one place: line 1 is
 * the postmaster's pid, line 4 its port, line 8 its status ("starting", "ready", "stopping").
 * No other import than node:fs and node:path: kept-server.ts reads it on the no-op path.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface PostmasterPid {
  pid: number;
  port: number;
  status: string;
}

/** The file's pid, port and status; undefined when the folder has none (or an empty one). Numbers are NaN where a line is not one. */
export function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  let content: string;
  try {
    content = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  if (!content) return undefined;
  const lines = content.split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]), status: lines[7]?.trim() ?? "" };
}
