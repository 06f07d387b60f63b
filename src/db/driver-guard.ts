/**
 * A guard for a known postgres.js defect (porsager/postgres#1066, #1154, #1208, open as of
 * 3.4.9): when a connection closes while a small write is queued, or while sql.begin() sends its
 * own ROLLBACK, the driver writes to a null socket from a setImmediate callback. That TypeError
 * cannot be caught by the caller and would crash dbkit with exit 1 instead of a clear
 * "connection lost" (exit 3), and the ROLLBACK it dropped would never settle.
 *
 * The guard recognises exactly that error and tells the open sessions, which fail the operation
 * under way as a lost connection. It listens only while a session is open (a program embedding
 * dbkit gets its process back unchanged when a call returns), and it never ends the process: any
 * other uncaught error is left to the process's own handlers (the CLI's, or the host program's),
 * or, without one, thrown again so that Node reports it as it would have without the guard.
 * (dbkit never reuses a connection after such an error: the command ends.)
 */
const listeners = new Set<(error: Error) => void>();
let removal: NodeJS.Immediate | undefined;

export function isDriverSocketCrash(error: unknown): boolean {
  if (!(error instanceof TypeError) || !/Cannot read properties of null \(reading 'write'\)/.test(error.message)) return false;
  // The frame that threw: the driver's nextWrite. Bundlers keep function names (esbuild may add a
  // digit to avoid a clash) but not the source path, so the name is what identifies it in the
  // bundled CLI; the path does in the unbundled library.
  const top = (error.stack ?? "").split("\n").find((line) => /^\s+at /.test(line)) ?? "";
  return /^\s+at (?:\S+\.)?nextWrite\d* /.test(top) || /postgres[\\/](?:cjs[\\/])?src[\\/]connection\.js/.test(top);
}

function onUncaught(error: Error): void {
  // After a session closed, the same crash can still fire for a write queued before: the
  // operation has failed properly by then, so it is ignored.
  if (isDriverSocketCrash(error)) {
    for (const notify of listeners) notify(error);
    return;
  }
  // The program handles its own uncaught errors; without a handler of its own, Node's default applies.
  if (process.listenerCount("uncaughtException") > 1) return;
  stopListening();
  throw error;
}

function stopListening(): void {
  removal = undefined;
  process.off("uncaughtException", onUncaught);
}

/** Calls `listener` when the driver crash happens; returns the function that stops listening. */
export function onDriverSocketCrash(listener: (error: Error) => void): () => void {
  if (removal) clearImmediate(removal);
  else if (listeners.size === 0) process.on("uncaughtException", onUncaught);
  removal = undefined;
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    // The crash of a write queued before the close fires from a setImmediate callback: the
    // guard stays for one more turn of the event loop to swallow it, then leaves.
    removal = setImmediate(stopListening);
  };
}
