/** Events to wait on around a spawned dbkit process: its exit, a file a migration writes, its server stopping. */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { isAlive } from "../../src/local/process-alive.js";
import type { spawnCli } from "./project.js";

export interface ChildExit {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the process has exited and its output is closed, with everything it printed. */
export function exitOf(child: ReturnType<typeof spawnCli>): Promise<ChildExit> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** A file path a migration writes (COPY ... TO) when it starts running: the event to act on. */
export function markerPath(): string {
  const marker = path.join(os.tmpdir(), `dbkit-marker-${randomBytes(6).toString("hex")}`);
  onTestFinished(() => rm(marker, { force: true }));
  return marker;
}

export async function fileAppears(file: string): Promise<void> {
  for (let waited = 0; !existsSync(file); waited += 50) {
    if (waited > 60_000) throw new Error(`${file} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True when no Postgres server runs on the data folder `data` (relative to the project `dir`). */
export function serverStopped(dir: string, data = ".dbkit/data"): boolean {
  const pidFile = path.join(dir, data, "postmaster.pid");
  if (!existsSync(pidFile)) return true;
  return !isAlive(Number(readFileSync(pidFile, "utf8").split("\n")[0]));
}
