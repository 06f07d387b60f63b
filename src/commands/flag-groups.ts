/** Flag groups shared by several commands, declared once and added to each (kysely-ctl's model). */
import type { Command } from "commander";

/**
 * --lock-timeout and --statement-timeout for a command that runs SQL files (`what`: "migration",
 * "seed", "down"), and --lock-retries unless `retries` is false. Their values go through the
 * settings (config/), which validate them with the same flags from the environment and config.
 */
export function withTimeoutFlags(command: Command, what: string, { retries = true }: { retries?: boolean } = {}): Command {
  command.option("--lock-timeout <duration>", `lock_timeout for each ${what} (default 5s)`).option("--statement-timeout <duration>", `statement_timeout for each ${what} (default: none)`);
  if (retries) command.option("--lock-retries <count>", `retries, with backoff, of a ${what} that hit lock_timeout (default 3)`);
  return command;
}
