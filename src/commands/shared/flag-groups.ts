/** Flag groups shared by several commands, declared once and added to each (kysely-ctl's model). */
import { Option, type Command } from "commander";

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

/** Where the project and its database are: global flags, read by config/ with the environment and config file. */
export function withProjectFlags(command: Command): Command {
  return command
    .option("--url <url>", "database URL (default: DATABASE_URL, POSTGRES_URL, SUPABASE_DB_URL, else the embedded database)")
    .option("--config <file>", "config file (default: dbkit.config.json)")
    .option("--migrations-dir <dir>", "folder of migration files (default: migrations)")
    .option("--seeds-dir <dir>", "folder of seed files (default: seeds)")
    .option("--journal-schema <schema>", "schema of the journal table (default: dbkit)")
    .option("--wait <seconds>", "keep retrying the first connection this long (a database still starting)")
    .option("--supabase-base", "install the Supabase base (roles, auth, storage) even on a database not on this machine");
}

/** How output/ prints: global flags, also read before commander runs (commands/raw-flags.ts). */
export function withOutputFlags(command: Command): Command {
  return command
    .option("--json", "print one JSON document on stdout")
    .addOption(new Option("-q, --quiet", "print errors only").conflicts("verbose"))
    .option("--verbose", "print the SQL dbkit runs, server notices and stack traces")
    .option("--no-color", "disable colours (also NO_COLOR)");
}
