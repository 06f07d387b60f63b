/**
 * Runs `postgres` as dbkit's own child instead of through `pg_ctl start -w` / `stop -w`: pg_ctl
 * looks at the server every 100 ms, so it noticed "ready" and "gone" up to 100 ms late (about
 * 0.14 s of a no-op `migrate`, a third of the time the embedded server costs). Here readiness is
 * the status line the postmaster writes into `postmaster.pid`, seen when the file changes
 * (inotify), and the stop is the child's exit.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, watch, type FSWatcher } from "node:fs";
import { readPostmasterPid } from "./postmaster-pid.js";

export interface Postmaster {
  pid: number;
  /** Fast shutdown (SIGINT, as `pg_ctl stop -m fast`); resolves when the server has exited. */
  stop(): Promise<void>;
}

export interface PostmasterOptions {
  postgres: string;
  dataDir: string;
  /** Server arguments, e.g. ["-p", "5433", "-c", "fsync=off"]. */
  args: string[];
  logFile: string;
  uid?: number;
  gid?: number;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Starts the server; resolves once it accepts connections, rejects (with the exit code) if it exits first or times out. */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const log = openSync(options.logFile, "a");
  let child;
  try {
    // detached: the server gets its own session, so a Ctrl-C in the terminal reaches dbkit
    // (which rolls back and stops it cleanly) and not the server directly.
    child = spawn(options.postgres, ["-D", options.dataDir, ...options.args], {
      detached: true,
      stdio: ["ignore", log, log],
      env: options.env,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const failedToSpawn = new Promise<never>((_, reject) => child.once("error", reject));
  failedToSpawn.catch(() => undefined);
  // The server outlives nothing: a library user who never calls stop() is not kept waiting on it.
  child.unref();

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (isReady(options.dataDir, child.pid)) resolve();
        };
        try {
          watcher = watch(options.dataDir, (_event, name) => {
            if (name === null || name === "postmaster.pid") check();
          });
        } catch {
          // No file events here (some network file systems): look every 10 ms instead.
          timer = setInterval(check, 10);
        }
        check();
        setTimeout(() => reject(new Error(`the server was not ready after ${options.timeoutMs / 1000} s`)), options.timeoutMs).unref();
      }),
      exited.then((code) => Promise.reject(new Error(`the server exited during start-up (exit code ${code})`))),
      failedToSpawn,
    ]);
  } catch (error) {
    if (child.exitCode === null) child.kill("SIGKILL");
    throw error;
  } finally {
    watcher?.close();
    if (timer) clearInterval(timer);
  }

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.ref(); // the exit is awaited: it must keep the process alive until then
        child.kill("SIGINT");
        await exited;
      })()),
  };
}

/** postmaster.pid of this server with its status saying "ready". */
function isReady(dataDir: string, pid: number | undefined): boolean {
  const written = readPostmasterPid(dataDir);
  return written !== undefined && written.pid === pid && written.status === "ready";
}
