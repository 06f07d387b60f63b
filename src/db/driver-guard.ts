/**
 * A guard for a known postgres.js defect (porsager/postgres#1066, #1154, #1208, open as of
 * 3.4.9): when a connection closes while a small write is queued, or while sql.begin() sends its
 * own ROLLBACK, the driver writes to a null socket from a setImmediate callback. That TypeError
 * cannot be caught by the caller and would crash dbkit with exit 1 instead of a clear
 * "connection lost" (exit 3), and the ROLLBACK it dropped would never settle.
 *
 * The guard recognises exactly that error and tells the stores, which fail the operation under
 * way as a lost connection; any other uncaught error is handed to the fatal reporter unchanged.
 * (dbkit never reuses a connection after such an error: the command ends.)
 */
const listeners = new Set<(error: Error) => void>();
let fatal: (error: unknown) => unknown = (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
};
let installed = false;

export function isDriverSocketCrash(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /Cannot read properties of null \(reading 'write'\)/.test(error.message) &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? "")
  );
}

/** Calls `listener` when the driver crash happens; returns the function that stops listening. */
export function onDriverSocketCrash(listener: (error: Error) => void): () => void {
  if (!installed) {
    installed = true;
    process.on("uncaughtException", (error) => {
      // After a store closed, the same crash can still fire for a write queued before: the
      // operation has failed properly by then, so it is ignored.
      if (isDriverSocketCrash(error)) for (const notify of listeners) notify(error);
      else fatal(error);
    });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How uncaught errors other than the driver's are reported once the guard is installed. */
export function setFatalErrorReporter(report: (error: unknown) => unknown): void {
  fatal = report;
}
