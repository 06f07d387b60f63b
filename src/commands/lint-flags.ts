/** `dbkit lint`'s flags, kept out of cli.ts (which only registers the command). */
import type { Command } from "commander";

export function withLintFlags(command: Command): Command {
  return command
    .description("measure what the pending migrations lock, rewrite and drop, in a scratch database (exit 5 on failing findings)")
    .option("--all", "lint every migration, from an empty database (default: only the target's pending files)")
    .option("--shadow-url <url>", "server to build the scratch database on (default: a scratch embedded Postgres)")
    .option("--fail-on <level>", "findings that fail lint: error (default) or warn")
    .option("--format <format>", "human (default) or github (GitHub Actions annotations)")
    .addHelpText("after", "\nExamples:\n  $ dbkit lint\n  $ dbkit lint --all --format github\n");
}
