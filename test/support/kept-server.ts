/** The embedded server `dbkit start` keeps, in tests: started, stopped after the test, and its postmaster.pid status changed. */
import { chownSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, onTestFinished } from "vitest";
import { isRunning } from "../../src/local/process-alive.js";
import { runCli, type CliResult } from "./project.js";

export interface Kept {
  pid: number;
  port: number;
  url: string;
  password: string;
  start: CliResult;
}

/** `dbkit start --json` (or plain) in `dir`; the server is stopped after the test (`dbkit stop`, else killed). */
export async function startKept(dir: string, plain = false): Promise<Kept> {
  const start = await runCli(plain ? ["start"] : ["start", "--json"], { cwd: dir });
  expect(start.code, start.stderr + start.stdout).toBe(0);
  const doc = plain
    ? { pid: Number(/server pid (\d+)/.exec(start.stdout)?.[1]), port: Number(/127\.0\.0\.1:(\d+)/.exec(start.stdout)?.[1]), url: /postgres:\/\/\S+/.exec(start.stdout)?.[0] ?? "" }
    : (JSON.parse(start.stdout) as { pid: number; port: number; url: string });
  onTestFinished(async () => {
    if (existsSync(dir)) await runCli(["stop"], { cwd: dir });
    if (isRunning(doc.pid)) process.kill(doc.pid, "SIGKILL");
  });
  return { ...doc, password: readFileSync(path.join(dir, ".dbkit", "password"), "utf8").trim(), start };
}

/** Waits (bounded) until `pid` is gone, zombies counted as gone: the event a SIGKILL causes. */
export async function processGone(pid: number): Promise<void> {
  for (let waited = 0; isRunning(pid); waited += 20) {
    if (waited > 30_000) throw new Error(`process ${pid} still runs`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Rewrites the status line (line 8) of a running server's postmaster.pid, as the server does in
 * crash recovery ("starting") or a shutdown ("stopping"). The server minds only that the file
 * still names its pid. Replaced whole (a reader never sees it half written), with its owner kept.
 */
export function setPostmasterStatus(dataDir: string, status: string): void {
  const file = path.join(dataDir, "postmaster.pid");
  const lines = readFileSync(file, "utf8").split("\n");
  lines[7] = status.padEnd(8);
  const { uid, gid } = statSync(file);
  const partial = `${file}.test-tmp`;
  writeFileSync(partial, lines.join("\n"), { mode: 0o600 });
  chownSync(partial, uid, gid);
  renameSync(partial, file);
}
