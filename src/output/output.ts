/**
 * The only writer to stdout and stderr. Human text: results on stdout, progress and warnings on
 * stderr (spinners only on a TTY). --json: exactly one document on stdout. Every string passes
 * through `redact` first, so no password is ever printed.
 */
import { describeTarget, redact, secretsOfUrl } from "../core/connection-url.js";
import { DbkitError, ExitCode } from "../errors.js";
import type { DbkitEvent } from "../engine/events.js";
import type { TargetInfo } from "../engine/ports.js";
import { JSON_SCHEMA_VERSION } from "./json-schema-version.js";
import { plain, type Painter } from "./paint.js";

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Colours (see painter()); default none. */
  paint?: Painter;
  secrets: string[];
}


export class Output {
  readonly paint: Painter;
  private readonly warnings: string[] = [];
  private secrets: string[];
  private spinner: { stop(): void; text: string } | undefined;
  private muted = false;

  constructor(private readonly options: OutputOptions) {
    this.secrets = [...options.secrets];
    this.paint = options.paint ?? plain;
  }

  /** Adds the secrets of a URL given later (--shadow-url). */
  addSecrets(url: string): void {
    for (const secret of secretsOfUrl(url)) this.addSecret(secret);
  }

  /** Adds a secret discovered later (the embedded server's password). */
  addSecret(secret: string): void {
    this.secrets.push(secret);
  }

  get json(): boolean {
    return this.options.json;
  }

  /** Progress and context: stderr, not in --json or --quiet. */
  info(message: string): void {
    if (this.options.json || this.options.quiet) return;
    this.writeErr(`${message}\n`);
  }

  verbose(message: string | (() => string)): void {
    if (this.options.verbose && !this.options.json) this.writeErr(`${this.paint.dim(typeof message === "string" ? message : message())}\n`);
  }

  warn(message: string): void {
    this.warnings.push(this.clean(message));
    if (this.options.json || this.options.quiet) return;
    this.writeErr(`${this.paint.yellow("warning:")} ${message}\n`);
  }

  /** Which database the command talks to; never includes the password. */
  target(target: TargetInfo, source: string): void {
    const where = describeTarget(target);
    this.info(this.paint.dim(target.embedded ? `database: embedded Postgres in .dbkit/ (${where})` : `database: ${where} (from ${source})`));
  }

  /** The command's result: the API's document as JSON, or human text on stdout. */
  result(doc: { command: string }, human: () => string): void {
    this.stopSpinner();
    if (this.options.json) {
      this.writeOut(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    if (this.options.quiet) return;
    const text = human();
    if (text) this.writeOut(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Reports an error; returns the exit code. */
  error(error: DbkitError, command: string): number {
    this.stopSpinner();
    if (this.options.json) {
      const body = { code: error.code, exitCode: error.exitCode, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: error.details } : {}) };
      this.writeOut(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ok: false, command, error: body, warnings: this.warnings }, null, 2)}\n`);
      return error.exitCode;
    }
    const lines = [`${this.paint.red("error:")} ${error.message}`];
    const details = error.details ?? {};
    if (typeof details.excerpt === "string") lines.push(details.excerpt.replace(/^/gm, "  "));
    for (const key of ["detail", "hint", "context"] as const) {
      const value = details[key];
      if (typeof value === "string" && value) lines.push(`  ${key === "hint" ? "server hint" : key}: ${value}`);
    }
    if (Array.isArray(details.problems) && details.problems.length > 1) for (const problem of details.problems) lines.push(`  - ${problemText(problem)}`);
    if (error.hint) lines.push(`${this.paint.cyan("hint:")} ${error.hint}`);
    if (this.options.verbose && error.stack) lines.push(this.paint.dim(error.stack));
    this.writeErr(`${lines.join("\n")}\n`);
    return error.exitCode;
  }

  /** The engine's events, printed: progress and warnings on stderr, each file's outcome on stdout. */
  readonly onEvent = (event: DbkitEvent): void => {
    switch (event.type) {
      case "info":
        return this.info(event.message);
      case "warning":
        return this.warn(event.message);
      case "target":
        return this.target(event.target, event.source);
      case "verbose":
        return this.verbose(event.message);
      case "sql": {
        const query = event.query;
        return this.verbose(() => `sql: ${query.length > 300 ? `${query.slice(0, 300).replace(/\s+/g, " ")}... (${query.length} characters)` : query.replace(/\s+/g, " ")}`);
      }
      case "secret":
        return this.addSecret(event.secret);
      case "applying":
        return this.startSpinner(`applying ${event.name}${event.mode === "no-transaction" ? " (no transaction)" : ""}`);
      case "applied": {
        this.stopSpinner();
        const verb = event.kind === "seed" ? "seeded" : "applied";
        if (!this.options.json && !this.options.quiet) this.writeOut(`${this.paint.green(verb)} ${event.name} ${this.paint.dim(`(${event.executionMs} ms)`)}\n`);
        return;
      }
      case "skipped":
        this.stopSpinner();
        if (!this.options.json && !this.options.quiet) this.writeOut(`${this.paint.dim("skipped")} ${event.name} ${this.paint.dim("(applied by another runner)")}\n`);
    }
  };

  private startSpinner(text: string): void {
    if (this.options.json || this.options.quiet || !process.stderr.isTTY) return;
    this.stopSpinner();
    // ora is loaded only when a TTY shows progress: it costs start-up time otherwise.
    const state = { stop: () => undefined as void, text };
    this.spinner = state;
    void import("ora").then(({ default: ora }) => {
      if (this.spinner !== state) return;
      // discardStdin off: ora's default puts the terminal in raw mode, where Ctrl-C is a keystroke
      // instead of SIGINT, and dbkit would run to the end with the user pressing it.
      const spinner = ora({ text: this.clean(text), stream: process.stderr, discardStdin: false }).start();
      state.stop = () => spinner.stop();
    });
  }

  private stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  private clean(text: string): string {
    return redact(text, this.secrets);
  }

  /** True when a person can answer a question: stdin and stderr are terminals, and not --json. */
  get interactive(): boolean {
    return !this.options.json && Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
  }

  /**
   * Asks for a confirmation on stderr and reads one line from stdin. Ctrl-C (exit 130) and end of
   * input (Ctrl-D, exit 2) are refusals, not errors: the caller has changed nothing yet.
   */
  async ask(question: string): Promise<string> {
    const { createInterface } = await import("node:readline");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        rl.close();
      };
      const refused = (how: string) => `${how} at the confirmation prompt: nothing was changed`;
      rl.on("SIGINT", () => {
        this.writeErr("\n");
        settle(() => reject(new DbkitError("DBKIT_CONFIRMATION_REFUSED", ExitCode.interrupted, refused("Ctrl-C"))));
      });
      rl.on("close", () => settle(() => reject(new DbkitError("DBKIT_CONFIRMATION_REFUSED", ExitCode.usage, refused("no answer (end of input)")))));
      rl.question(this.clean(question), (answer) => settle(() => resolve(answer.trim())));
    });
  }

  /** Stops all further output (after an interrupt has been reported). */
  mute(): void {
    this.stopSpinner();
    this.muted = true;
  }

  /** Output again, for the interrupt's own report once the command's last words were dropped. */
  unmute(): void {
    this.muted = false;
  }

  private writeOut(text: string): void {
    if (!this.muted) process.stdout.write(this.clean(text));
  }

  private writeErr(text: string): void {
    if (!this.muted) process.stderr.write(this.clean(text));
  }
}

/** A problem of an error's list: a string (settings), or a refused file's `{ code, message, file, line }`. */
function problemText(problem: unknown): string {
  if (typeof problem === "object" && problem !== null && typeof (problem as { message?: unknown }).message === "string") return (problem as { message: string }).message;
  return String(problem);
}
