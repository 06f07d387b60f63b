/** Waiting on a server dbkit did not start (the one `dbkit start` kept): what its data folder's postmaster.pid says. */
import { watch, type FSWatcher } from "node:fs";

export interface Watched {
  promise: Promise<void>;
  cancel(): void;
}

/**
 * Resolves once `done()` holds, checked at each file event in `dataDir` (the postmaster rewrites
 * postmaster.pid's status line, and removes the file as it exits) and once a second besides: a
 * server killed outright changes no file. Rejects with `timedOut()` after `timeoutMs`.
 */
export function untilPostmaster(dataDir: string, done: () => boolean, timeoutMs: number, timedOut: () => Error): Watched {
  let watcher: FSWatcher | undefined;
  let safety: NodeJS.Timeout | undefined;
  let timeout: NodeJS.Timeout | undefined;
  const cancel = () => {
    watcher?.close();
    clearInterval(safety);
    clearTimeout(timeout);
  };
  const promise = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      cancel();
      resolve();
    };
    let watching = false;
    try {
      watcher = watch(dataDir, (_event, name) => {
        if (name === null || name === "postmaster.pid") check();
      });
      watcher.on("error", () => undefined);
      watching = true;
    } catch {
      // no file events here (a network file system): the look below comes more often instead
    }
    safety = setInterval(check, watching ? 1000 : 50);
    timeout = setTimeout(() => {
      cancel();
      reject(timedOut());
    }, timeoutMs);
    check();
  });
  return { promise, cancel };
}
