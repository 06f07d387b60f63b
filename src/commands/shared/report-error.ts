/** The single top-level catch's verdict: any thrown value becomes a report and an exit code. */
import { CommanderError } from "commander";
import { DbkitError, ExitCode, InternalError, UsageError } from "../../errors.js";
import type { Output } from "../../output/output.js";

/** Commander signals --help and --version by throwing (exitOverride); they are not errors. */
export function isHelpOrVersion(error: unknown): boolean {
  return error instanceof CommanderError && ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code);
}

/** Turns any thrown value into a report and an exit code; anything not a DbkitError is a bug (exit 1). */
export function report(error: unknown, output: Output, command: string): number {
  if (isHelpOrVersion(error)) return ExitCode.ok;
  if (error instanceof CommanderError) {
    const message = error.message.replace(/^error: /, "");
    return output.error(new UsageError("DBKIT_USAGE", message, { hint: "run dbkit --help (or dbkit <command> --help) for the options" }), command);
  }
  if (error instanceof DbkitError) return output.error(error, command);
  const internal = new InternalError(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  if (error instanceof Error && error.stack) internal.stack = error.stack;
  return output.error(internal, command);
}
