/**
 * The command-line program: flags, commands, and the single top-level catch. The only file that
 * calls process.exit; the error's class decides the exit code.
 */
import { Command } from "commander";
import { DbkitError, ExitCode } from "./errors.js";
import type { DbkitCommand } from "./commands/shared/command.js";
import type { Output } from "./output/output.js";
import { withOutputFlags, withProjectFlags } from "./commands/shared/flag-groups.js";
import { isHelpOrVersion, report } from "./commands/shared/report-error.js";
import { DBKIT_VERSION } from "./version.js";
import { rawGlobalFlags, rawSecrets } from "./commands/shared/raw-flags.js";
import { isDriverSocketCrash } from "./db/driver-guard.js";
import { outputWritten, writeStderr, writeStdout } from "./output/write.js";
import { Interrupts } from "./commands/shared/interrupts.js";
import { Progress } from "./commands/shared/progress.js";
import { compileParserWithBaselineOnly } from "./sql/parse-sql.js";

/** Loaded on first use: `dbkit --version` and `--help` never pay for the output and config modules. */
type Lazy<T> = () => Promise<T>;

/** The exit code of a process whose output pipe was closed (128 + SIGPIPE), as a shell reports it. */
const CLOSED_PIPE_EXIT = 141;

/**
 * Ends the process once its output is written: `dbkit status --json | jq` on a long history lost
 * all but the first 128 KiB when the process ended first. When the output could not be written
 * (its reader closed the pipe), it ends with `ifClosed`: as a process killed by SIGPIPE by
 * default; an interrupt keeps its own signal's code.
 */
async function exitWhenWritten(code: number, ifClosed: number = CLOSED_PIPE_EXIT): Promise<never> {
  process.exit((await outputWritten()) ? code : ifClosed);
}

/** Set once a signal is handled: its handler ends the process, once it has said what happened. */
let interrupting: Promise<never> | undefined;

export async function main(argv: string[]): Promise<never> {
  compileParserWithBaselineOnly();
  let loaded: Promise<Output> | undefined;
  const output: Lazy<Output> = () => (loaded ??= import("./commands/shared/context.js").then((m) => m.createOutput(rawGlobalFlags(argv), rawSecrets(argv))));
  let exitCode: number = ExitCode.ok;
  let commandName = argv[2] ?? "dbkit";
  // This run's: what an interrupt undoes, and what it applied so far (for the interrupted report).
  const interrupts = new Interrupts();
  const progress = new Progress();
  installInterruptHandler(output, () => commandName, interrupts, progress);
  process.on("uncaughtException", async (error) => {
    // The driver's crash on a closed socket is the sessions' business (db/driver-guard.ts); once
    // interrupted, the interrupt's handler ends the process (not, say, a closed terminal's EIO).
    if (isDriverSocketCrash(error) || interrupting) return;
    // Even a crash (a closed stdout pipe, a bug) must not leave the embedded server running.
    const closedPipe = (error as NodeJS.ErrnoException).code === "EPIPE";
    const code = closedPipe
      ? (await output()).error(new DbkitError("DBKIT_OUTPUT_CLOSED", ExitCode.internal, `the output was closed; stopped: ${progress.describeInterruptedRun()}`), commandName) && CLOSED_PIPE_EXIT
      : report(error, await output(), commandName);
    await interrupts.run();
    await exitWhenWritten(code);
  });
  const program = await buildProgram(argv, output, { interrupts, progress }, (name, code) => {
    commandName = name;
    exitCode = code;
  });
  // Bare `dbkit` is a usage error that shows what there is (exit 2, like git and most CLIs).
  if (argv.length <= 2) await exitWhenWritten((writeStderr(program.helpInformation()), ExitCode.usage));
  if (argv[2] === "-V") argv = [...argv.slice(0, 2), "--version", ...argv.slice(3)];
  // The command's name as soon as commander knows it, for an interrupted run's report.
  program.hook("preAction", (_, command) => void (commandName = command.name()));
  // Emitted only if the loop empties before main's exit: a query the driver dropped unsettled. Not exit 0.
  process.once("beforeExit", () => !interrupting && void Promise.all([output(), import("./commands/shared/interrupted.js")]).then(([out, m]) => exitWhenWritten(report(m.stalledRunError(), out, commandName))));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (interrupting) await interrupting;
    exitCode = isHelpOrVersion(error) ? ExitCode.ok : report(error, await output(), commandName);
  }
  if (interrupting) await interrupting;
  return exitWhenWritten(exitCode);
}

/**
 * Each command's module (its flags, API function and handler), loaded only when argv names the
 * command: a run pays for its own command's code, not for every command's. In this order in --help.
 */
const COMMANDS: Record<string, () => Promise<{ command: DbkitCommand<unknown> }>> = {
  init: () => import("./commands/init.js"),
  new: () => import("./commands/new.js"),
  migrate: () => import("./commands/migrate.js"),
  seed: () => import("./commands/seed.js"),
  status: () => import("./commands/status.js"),
  verify: () => import("./commands/verify.js"),
  lint: () => import("./commands/lint.js"),
  diff: () => import("./commands/diff.js"),
  test: () => import("./commands/test.js"),
  reset: () => import("./commands/reset.js"),
  down: () => import("./commands/down.js"),
  redo: () => import("./commands/redo.js"),
  baseline: () => import("./commands/baseline.js"),
  import: () => import("./commands/import.js"),
  psql: () => import("./commands/psql.js"),
  start: () => import("./commands/start.js"),
  stop: () => import("./commands/stop.js"),
  resolve: () => import("./commands/resolve.js"),
};

/** The commands argv names (before `--`); with none (bare help, a typo), every command but for --version. */
function commandsIn(argv: string[]): string[] {
  const words = argv.slice(2);
  const end = words.indexOf("--");
  const before = end === -1 ? words : words.slice(0, end);
  const named = Object.keys(COMMANDS).filter((name) => before.includes(name));
  if (named.length > 0) return named;
  return before.length === 1 && ["-v", "-V", "--version"].includes(before[0]!) ? [] : Object.keys(COMMANDS);
}

async function buildProgram(argv: string[], output: Lazy<Output>, { interrupts, progress }: { interrupts: Interrupts; progress: Progress }, done: (command: string, code: number) => void): Promise<Command> {
  const program: Command = new Command("dbkit")
    .description("Schema-as-code migrations for PostgreSQL and Supabase")
    .version(DBKIT_VERSION, "-v, --version", "print the version (-V too)");
  withOutputFlags(withProjectFlags(program))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: writeStdout })
    .showSuggestionAfterError(true);
  for (const name of commandsIn(argv)) {
    const { command } = await COMMANDS[name]!();
    command.declare(program).action(async function (this: Command) {
      const [{ parseFlags }, { loadContext, settingsProblems }, { createRun }] = await Promise.all([import("./commands/shared/flags.js"), import("./commands/shared/context.js"), import("./commands/shared/run.js")]);
      const values = { ...this.optsWithGlobals(), args: this.processedArgs };
      const given = this.processedArgs.length > 0 || Object.keys(values).some((key) => key !== "args" && this.getOptionValueSourceWithGlobals(key) !== "default");
      const { global, input } = !given && command.bare !== undefined ? { global: {}, input: command.bare } : parseFlags(name, command.input(), values, settingsProblems);
      const out = await output();
      const run = createRun((event) => {
        progress.record(event);
        out.onEvent(event);
      }, interrupts);
      done(name, await command.run(loadContext(global, out, run), input));
    });
  }
  return program;
}

/**
 * Ctrl-C, SIGTERM, a closed terminal: close the connection (the server rolls back the open
 * transaction), stop every server dbkit started, say what the command was doing. `on`, not `once`:
 * with a spinner up, ora's exit hook re-sends the signal when it sees no other listener.
 */
function installInterruptHandler(lazyOutput: Lazy<Output>, command: () => string, interrupts: Interrupts, progress: Progress): void {
  let interrupted = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (interrupted) return;
    const { interruptedError } = await import("./commands/shared/interrupted.js");
    // psql has the terminal: Ctrl-C cancels its query, not dbkit. A server shown to the user stops.
    if (signal === "SIGINT" && (interrupts.ctrlCBelongsToChild() || interrupts.stopServingOnInterrupt())) return;
    if (interrupted) return;
    interrupted = true;
    // The process ends here, with the signal's exit code: main must not exit first.
    interrupting = new Promise<never>(() => undefined);
    const output = await lazyOutput();
    // What the interrupted command still reports (the cancelled query) is noise now.
    output.mute();
    process.on("uncaughtException", () => undefined);
    await interrupts.run();
    // Said from what the journal holds now (read on a fresh connection), not from what the run printed.
    const error = interruptedError(command(), signal, progress, interrupts.journalAfterInterrupt);
    output.unmute();
    await exitWhenWritten((output.error(error, command()), error.exitCode), error.exitCode);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
}
