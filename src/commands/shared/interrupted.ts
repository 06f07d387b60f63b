/**
 * What an interrupted command reports: what it was doing when the signal came, what that means
 * for the database, and the exit code of the signal (130 for Ctrl-C), in human text and --json.
 */
import { DbkitError, ExitCode, type ExitCodeValue } from "../../errors.js";
import type { JournalAfterInterrupt } from "../../db/journal-after-interrupt.js";
import type { Progress } from "./progress.js";

const EXIT_OF_SIGNAL: Record<string, ExitCodeValue> = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated, SIGHUP: ExitCode.hangup };

/** Commands that apply files: the message says what was applied and what was rolled back. */
const APPLYING = new Set(["migrate", "seed", "reset", "redo"]);
/** Commands that never change the database. */
const READ_ONLY = new Set(["status", "verify"]);

/** The error an interrupted `command` reports; its exit code is the signal's. */
export function interruptedError(command: string, signal: string, progress: Progress, journal?: JournalAfterInterrupt): DbkitError {
  const exitCode = EXIT_OF_SIGNAL[signal] ?? ExitCode.interrupted;
  const doing = progress.lastActivity();
  const code = "DBKIT_INTERRUPTED";
  if (APPLYING.has(command)) {
    const hint = command === "migrate" || command === "seed" ? `run dbkit ${command} again to finish: applied files are recorded and skipped` : `run dbkit ${command} again`;
    return new DbkitError(code, exitCode, `interrupted by ${signal}: ${progress.describeInterruptedRun(journal)}`, { hint });
  }
  const while_ = doing ? ` while ${doing}` : "";
  if (READ_ONLY.has(command)) {
    return new DbkitError(code, exitCode, `${command} interrupted by ${signal}${while_}; ${command} changes nothing in the database`, { hint: `run dbkit ${command} again` });
  }
  return new DbkitError(code, exitCode, `${command} interrupted by ${signal}${while_}; what it had not committed was rolled back`, { hint: `run dbkit status to see where the database stands` });
}

/** A command whose work stopped with nothing left to wait on: its connection stopped answering. */
export function stalledRunError(): DbkitError {
  return new DbkitError("DBKIT_CONNECTION_LOST", ExitCode.connection, "the database connection stopped answering and dbkit had nothing left to wait on", {
    hint: "check the server and the network, then run dbkit status to see what the journal holds",
  });
}
