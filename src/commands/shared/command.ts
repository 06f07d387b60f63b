/**
 * What each command module (src/commands/<name>.ts) exports as `command`: how commander declares
 * it, the schema its flags and arguments go through, and its handler. cli.ts only lists them.
 */
import type { Command } from "commander";
import type { ZodMiniType } from "zod/mini";
import type { CommandContext } from "./context.js";

export interface DbkitCommand<Input> {
  /** Adds the command (its arguments, flags and help) to the program and returns it. */
  declare(program: Command): Command;
  /**
   * Commander's values for the command's own flags, and `args` (its positional arguments), into
   * the handler's input; built on first use (see flags.ts). Every problem is reported at once.
   */
  input(): ZodMiniType<Input>;
  /**
   * The input when no flag or argument is given, for a command whose flags are all optional: with
   * nothing to check, zod is not even started (about 2 ms of a bare `dbkit migrate`).
   */
  bare?: Input;
  /** input → the API function → output/; the exit code. */
  run(context: CommandContext, input: Input): Promise<number>;
}

/** Declares a command module's `command` (only a type check: the object is returned as it is). */
export function defineCommand<Input>(command: DbkitCommand<Input>): DbkitCommand<Input> {
  return command;
}
