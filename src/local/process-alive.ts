/** Whether a process is there: signal 0, and (for a server whose parent has gone) not a zombie. Only node:fs: kept-server.ts uses it on the no-op path. */
import { readFileSync } from "node:fs";

/** Signal 0 finds it (EPERM: it exists, another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The process exists and is not a zombie: a kept server's parent (dbkit start) has exited, and a
 * PID 1 that does not reap (some containers) leaves a killed server a zombie that signal 0 still finds.
 */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    // Linux: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // Gone since signal 0 (Linux), or no /proc (macOS), where signal 0 is all there is.
    return process.platform !== "linux";
  }
}
