/**
 * The command-line program: flags, commands, and the single top-level catch. The only file that
 * calls process.exit; the error's class decides the exit code.
 */
import { Command, Option } from "commander";
import { DbkitError, ExitCode } from "./errors.js";
import type { GlobalFlags } from "./commands/context.js";
import type { Output } from "./output/output.js";
import { withOutputFlags, withProjectFlags, withTimeoutFlags } from "./commands/flag-groups.js";
import { isHelpOrVersion, report } from "./commands/report-error.js";
import { withLintFlags } from "./commands/lint-flags.js";
import { withDiffFlags } from "./commands/diff-flags.js";
import { DBKIT_VERSION } from "./version.js";
import type { MigrateFlags } from "./commands/migrate.js";
import type { ResetFlags } from "./commands/reset.js";
import type { DownFlags } from "./commands/down.js";
import type { ResolveFlags } from "./commands/resolve.js";
import { rawGlobalFlags, rawSecrets } from "./commands/raw-flags.js";
import { isDriverSocketCrash } from "./db/driver-guard.js";
import { writeStderr, writeStdout } from "./output/write.js";

/** Loaded on first use: `dbkit --version` and `--help` never pay for the output and config modules. */
type Lazy<T> = () => Promise<T>;

/** Set once a signal is handled: its handler ends the process, once it has said what happened. */
let interrupting: Promise<never> | undefined;

export async function main(argv: string[]): Promise<never> {
  let loaded: Promise<Output> | undefined;
  const output: Lazy<Output> = () => (loaded ??= import("./commands/context.js").then((m) => m.createOutput(rawGlobalFlags(argv), rawSecrets(argv))));
  let exitCode: number = ExitCode.ok;
  let commandName = argv[2] ?? "dbkit";
  installInterruptHandler(output, () => commandName);
  process.on("uncaughtException", async (error) => {
    // The driver's crash on a closed socket is the sessions' business (db/driver-guard.ts); once
    // interrupted, the interrupt's handler ends the process (not, say, a closed terminal's EIO).
    if (isDriverSocketCrash(error) || interrupting) return;
    // Even a crash (a closed stdout pipe, a bug) must not leave the embedded server running.
    const closedPipe = (error as NodeJS.ErrnoException).code === "EPIPE";
    const { describeInterruptedRun } = await import("./commands/progress.js");
    const code = closedPipe
      ? (await output()).error(new DbkitError("DBKIT_OUTPUT_CLOSED", ExitCode.internal, `the output was closed; stopped: ${describeInterruptedRun()}`), commandName) && 141
      : report(error, await output(), commandName);
    const { runInterruptCleanups } = await import("./api/open-store.js");
    await runInterruptCleanups();
    process.exit(code);
  });
  const program = buildProgram(output, (name, code) => {
    commandName = name;
    exitCode = code;
  });
  // Bare `dbkit` is a usage error that shows what there is (exit 2, like git and most CLIs).
  if (argv.length <= 2) process.exit((writeStderr(program.helpInformation()), ExitCode.usage));
  if (argv[2] === "-V") argv = [...argv.slice(0, 2), "--version", ...argv.slice(3)];
  // The command's name as soon as commander knows it, for an interrupted run's report.
  program.hook("preAction", (_, command) => void (commandName = command.name()));
  // Emitted only if the loop empties before main's exit: a query the driver dropped unsettled. Not exit 0.
  process.once("beforeExit", () => !interrupting && void Promise.all([output(), import("./commands/interrupted.js")]).then(([out, m]) => process.exit(report(m.stalledRunError(), out, commandName))));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (interrupting) await interrupting;
    exitCode = isHelpOrVersion(error) ? ExitCode.ok : report(error, await output(), commandName);
  }
  if (interrupting) await interrupting;
  process.exit(exitCode);
}

async function contextFor(flags: GlobalFlags, output: Lazy<Output>) {
  const { loadContext } = await import("./commands/context.js");
  return loadContext(flags, await output());
}

function buildProgram(output: Lazy<Output>, done: (command: string, code: number) => void): Command {
  const program: Command = new Command("dbkit")
    .description("Schema-as-code migrations for PostgreSQL and Supabase")
    .version(DBKIT_VERSION, "-v, --version", "print the version (-V too)");
  withOutputFlags(withProjectFlags(program))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: writeStdout })
    .showSuggestionAfterError(true);

  const action = (name: string, run: (flags: GlobalFlags & Record<string, unknown>, ...args: string[]) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const flags = command.optsWithGlobals() as GlobalFlags & Record<string, unknown>;
      done(name, await run(flags, ...(args.slice(0, -2) as string[])));
    };

  program
    .command("init")
    .description("create migrations/, seeds/, dbkit.config.json, .env.example; add .dbkit/ and .env to .gitignore")
    .addHelpText("after", "\nExamples:\n  $ dbkit init          # in a project folder; with supabase/ present, configures for it\n")
    .action(
      action("init", async () => {
        const { initCommand } = await import("./commands/init.js");
        return initCommand(await output(), process.cwd());
      }),
    );

  program
    .command("new <name...>")
    .description("create the next migration file (or seed with --seed) and print its path")
    .option("--seed", "create a seed file in the seeds folder instead")
    .addHelpText("after", "\nExamples:\n  $ dbkit new add users table    # migrations/20250120093000_add_users_table.sql\n  $ dbkit new --seed app settings\n")
    .action(
      action("new", async (flags, ...words) => {
        const { newCommand } = await import("./commands/new.js");
        return newCommand(await contextFor(flags, output), ([] as string[]).concat(...(words as unknown as string[][])).join(" "), flags as { seed?: boolean });
      }),
    );

  withTimeoutFlags(
    program
      .command("migrate")
      .description("apply pending migrations, each in its own transaction")
      .option("--dry-run", "print the plan and change nothing")
      .option("--seed", "run a Supabase project's seeds (supabase/config.toml) even on a database not on this machine")
      .option("--no-seed", "do not run seeds after the migrations")
      .option("--to <name-or-version>", "apply up to and including this migration (seeds are not run)")
      .option("--allow-out-of-order", "apply pending files that sort before the newest applied one")
      .option("--single-transaction", "apply every pending migration in one transaction: all or nothing")
      .option("--no-lint", "with --dry-run: do not lint the files that would be applied")
      .option("--shadow-url <url>", "with --dry-run: server for the lint's scratch database (default: a scratch embedded Postgres)"),
    "migration",
  )
    .addHelpText("after", "\nExamples:\n  $ dbkit migrate                         # embedded database, or DATABASE_URL\n  $ dbkit migrate --dry-run\n  $ DATABASE_URL=postgres://... dbkit migrate --json\n  $ dbkit migrate --to 0003_indexes --no-seed\n  $ dbkit migrate --single-transaction     # a deploy that lands whole or not at all\n")
    .action(
      action("migrate", async (flags) => {
        const { migrateCommand } = await import("./commands/migrate.js");
        return migrateCommand(await contextFor(flags, output), flags as MigrateFlags);
      }),
    );

  withTimeoutFlags(
    program
      .command("seed")
      .description("run the seeds that never ran or whose content changed, without migrating")
      .option("--dry-run", "list the seeds that would run and change nothing"),
    "seed",
  )
    .addHelpText("after", "\nExamples:\n  $ dbkit seed\n  $ dbkit seed --dry-run\n")
    .action(
      action("seed", async (flags) => {
        const { seedCommand } = await import("./commands/seed.js");
        return seedCommand(await contextFor(flags, output), flags as { dryRun?: boolean });
      }),
    );

  program
    .command("status")
    .description("show applied, pending, changed and missing migrations")
    .option("--check", "exit 6 when migrations are pending, 5 on drift, 0 when in sync")
    .option("--lint", "lint the pending files in a scratch database (as dbkit lint; the exit code is unchanged)")
    .option("--shadow-url <url>", "with --lint: server for the scratch database (default: a scratch embedded Postgres)")
    .addHelpText("after", "\nExamples:\n  $ dbkit status\n  $ dbkit status --check    # in CI: fail when the database is behind or has drifted\n")
    .action(
      action("status", async (flags) => {
        const { statusCommand } = await import("./commands/status.js");
        return statusCommand(await contextFor(flags, output), flags as { check?: boolean; lint?: boolean; shadowUrl?: string });
      }),
    );

  program
    .command("verify")
    .description("prove that the database matches the migrations and seeds (read-only)")
    .option("--shadow-url <url>", "server to build the expected schema on (default: a scratch embedded Postgres)")
    .option("--no-cache", "rebuild the expected schema even when .dbkit/verify-cache has it")
    .option("--security", "only the security checks (RLS, policies, SECURITY DEFINER functions, exposed views)")
    .option("--fail-on <level>", "security findings that fail verify: error (default) or warn")
    .addHelpText("after", "\nExamples:\n  $ DATABASE_URL=postgres://readonly@prod/db dbkit verify\n  $ dbkit verify --json --shadow-url postgres://postgres@localhost:5432/postgres\n")
    .action(action("verify", async (flags) => (await import("./commands/verify.js")).verifyCommand(await contextFor(flags, output), flags as import("./commands/verify.js").VerifyFlags)));

  withLintFlags(program.command("lint")).action(action("lint", async (flags) => (await import("./commands/lint.js")).lintCommand(await contextFor(flags, output), flags as import("./commands/lint.js").LintCommandFlags)));
  withDiffFlags(program.command("diff [name...]")).action(action("diff", async (flags, ...words) => (await import("./commands/diff.js")).diffCommand(await contextFor(flags, output), ([] as string[]).concat(...(words as unknown as string[][])), flags as import("./commands/diff.js").DiffCommandFlags)));

  program
    .command("test")
    .description("build the migrations and seeds in a scratch database (or take --url as it is) and run the SQL tests of tests/ (supabase/tests), each file rolled back")
    .option("--shadow-url <url>", "server to make the scratch database on (default: a scratch embedded Postgres)")
    .option("--dir <path>", "folder of the test files (default: tests/ beside the migrations folder)").option("--junit <file>", "also write a JUnit XML report for CI").option("--matrix", "also try every command as each API role on each table and compare with tests/access-matrix.json").option("--update-matrix", "write the access matrix found to tests/access-matrix.json")
    .action(action("test", async (flags) => (await import("./commands/test.js")).testCommand(await contextFor(flags, output), flags as import("./commands/test.js").TestFlags)));

  program
    .command("reset")
    .description("drop what the migrations created (owned schemas, the journal), then migrate again")
    .option("-y, --yes", "do not ask for confirmation (required without a terminal)")
    .option("--allow-remote", "allow a database that is not on this machine")
    .option("--no-migrate", "only drop; do not migrate afterwards")
    .option("--no-seed", "do not run seeds after migrating")
    .addHelpText("after", "\nExamples:\n  $ dbkit reset            # asks you to type the database name\n  $ dbkit reset --yes      # scripts and CI (local databases only without --allow-remote)\n")
    .action(
      action("reset", async (flags) => {
        const { resetCommand } = await import("./commands/reset.js");
        return resetCommand(await contextFor(flags, output), flags as ResetFlags);
      }),
    );

  withTimeoutFlags(
    program
      .command("down")
      .description("run the downs of the newest applied migrations (golang-migrate, dbmate and Flyway-undo folders), each in a transaction")
      .addOption(new Option("--to <name-or-version>", "revert every migration after this one (0: all of them)").conflicts("steps"))
      .option("--steps <count>", "how many migrations to revert, newest first (default 1)")
      .option("--dry-run", "list what would be reverted and change nothing")
      .option("--allow-remote", "allow a database that is not on this machine"),
    "down", { retries: false },
  )
    .addHelpText("after", "\nExamples:\n  $ dbkit down                # the newest applied migration\n  $ dbkit down --steps 3\n  $ dbkit down --to 20240110093000 --dry-run\n")
    .action(
      action("down", async (flags) => {
        const { downCommand } = await import("./commands/down.js");
        return downCommand(await contextFor(flags, output), flags as DownFlags);
      }),
    );

  program
    .command("redo")
    .description("local databases: rebuild to before the newest applied migration and apply it again as edited")
    .option("--no-seed", "do not run seeds afterwards")
    .action(action("redo", async (flags) => (await import("./commands/redo.js")).redoCommand(await contextFor(flags, output), flags as { seed?: boolean })));

  program
    .command("baseline")
    .description("record migrations up to --to as applied without running them (a database built before dbkit)")
    .requiredOption("--to <name-or-version>", "the last migration the database already has")
    .option("--dry-run", "list what would be recorded and change nothing")
    .addHelpText("after", "\nExamples:\n  $ dbkit baseline --to 20250120000000_nps_submissions --dry-run\n")
    .action(
      action("baseline", async (flags) => {
        const { baselineCommand } = await import("./commands/adopt.js");
        return baselineCommand(await contextFor(flags, output), flags as { to?: string; dryRun?: boolean });
      }),
    );

  program
    .command("import <tool>")
    .description("record the migrations another tool applied (its journal table) as applied: supabase, dbmate, golang-migrate, drizzle, postgres-migrations, flyway, graphile-migrate, prisma, node-pg-migrate, postgrator")
    .option("--dry-run", "list what would be recorded and change nothing")
    .option("--table <schema.table>", "the tool's journal table, when it is not where the tool keeps it by default")
    .addHelpText("after", "\nExamples:\n  $ dbkit import supabase --dry-run\n  $ dbkit import dbmate\n  $ dbkit import golang-migrate --table app.schema_migrations\n")
    .action(
      action("import", async (flags, source) => {
        const { importCommand } = await import("./commands/adopt.js");
        return importCommand(await contextFor(flags, output), source!, flags as { dryRun?: boolean; table?: string });
      }),
    );

  program
    .command("psql [psql-args...]")
    .description("open psql on the database (the embedded one by default); without psql, print its URL")
    .addHelpText("after", "\nExamples:\n  $ dbkit psql\n  $ dbkit psql -- -c 'select count(*) from profiles'\n")
    .action(action("psql", async (flags, ...args) => (await import("./commands/psql.js")).psqlCommand(await contextFor(flags, output), ([] as string[]).concat(...(args as unknown as string[][])))));

  program
    .command("resolve <name>")
    .description("record how a failed or interrupted no-transaction migration was settled")
    .addOption(new Option("--applied", "it was finished by hand: mark it applied").conflicts("rolledBack"))
    .option("--rolled-back", "it was undone: forget it so it runs again")
    .option("--accept-checksum", "an applied file was edited on purpose (reviewed): record its new checksum")
    .addHelpText("after", "\nExamples:\n  $ dbkit resolve 20250120_add_index --applied\n  $ dbkit resolve 20250120_add_index --accept-checksum\n")
    .action(action("resolve", async (flags, name) => (await import("./commands/resolve.js")).resolveCommand(await contextFor(flags, output), name!, flags as ResolveFlags)));
  return program;
}

/**
 * Ctrl-C, SIGTERM, a closed terminal: close the connection (the server rolls back the open
 * transaction), stop every server dbkit started, say what the command was doing. `on`, not `once`:
 * with a spinner up, ora's exit hook re-sends the signal when it sees no other listener.
 */
function installInterruptHandler(lazyOutput: Lazy<Output>, command: () => string): void {
  let interrupted = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (interrupted) return;
    const [{ runInterruptCleanups }, { interruptedError, ctrlCBelongsToChild, stopServingOnInterrupt }] = await Promise.all([import("./api/open-store.js"), import("./commands/interrupted.js")]);
    // psql has the terminal: Ctrl-C cancels its query, not dbkit. A server shown to the user stops.
    if (signal === "SIGINT" && (ctrlCBelongsToChild() || stopServingOnInterrupt())) return;
    if (interrupted) return;
    interrupted = true;
    // The process ends here, with the signal's exit code: main must not exit first.
    interrupting = new Promise<never>(() => undefined);
    const output = await lazyOutput();
    // What the interrupted command still reports (the cancelled query) is noise now.
    output.mute();
    process.on("uncaughtException", () => undefined);
    await runInterruptCleanups();
    // Said from what the journal holds now (read on a fresh connection), not from what the run printed.
    const error = interruptedError(command(), signal, (await import("./api/open-store.js")).journalReadAfterInterrupt());
    output.unmute();
    process.exit((output.error(error, command()), error.exitCode));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
}
