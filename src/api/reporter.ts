/**
 * What the API tells its caller while it works. The CLI's Output implements it (printing);
 * programmatic callers get a quiet one that forwards events to `onEvent` and collects warnings.
 */
import type { EventSink, TargetInfo } from "../engine/ports.js";

export interface Reporter {
  info(message: string): void;
  /** A function is called only when verbose output is on: the SQL of every migration is long. */
  verbose(message: string | (() => string)): void;
  warn(message: string): void;
  /** Which database the command talks to (never its password). */
  target(target: TargetInfo, source: string): void;
  /** A password found later (the embedded server's): never to be printed. */
  addSecret(secret: string): void;
  events(): EventSink;
}

/** An event for programmatic callers: progress, warnings and the target, as plain data. */
export type DbkitEvent =
  | { type: "info" | "warning"; message: string }
  | { type: "target"; target: TargetInfo; source: string }
  | { type: "applying"; name: string; kind: "migration" | "seed"; mode: "transaction" | "no-transaction" }
  | { type: "applied"; name: string; kind: "migration" | "seed"; executionMs: number }
  | { type: "skipped"; name: string; kind: "migration" | "seed" };

/** The reporter behind the programmatic API: prints nothing. */
export function eventReporter(onEvent: (event: DbkitEvent) => void = () => undefined): Reporter {
  return {
    info: (message) => onEvent({ type: "info", message }),
    verbose: () => undefined,
    warn: (message) => onEvent({ type: "warning", message }),
    target: (target, source) => onEvent({ type: "target", target, source }),
    addSecret: () => undefined,
    events: () => ({
      warn: (message) => onEvent({ type: "warning", message }),
      info: (message) => onEvent({ type: "info", message }),
      applying: (file, mode) => onEvent({ type: "applying", name: file.name, kind: file.kind, mode }),
      applied: (file, executionMs) => onEvent({ type: "applied", name: file.name, kind: file.kind, executionMs }),
      skipped: (file) => onEvent({ type: "skipped", name: file.name, kind: file.kind }),
    }),
  };
}

/** Wraps a reporter so that the warnings of one call can go into its result. */
export function collectingWarnings(reporter: Reporter): { reporter: Reporter; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    reporter.warn(message);
  };
  return {
    warnings,
    reporter: {
      ...reporter,
      info: (m) => reporter.info(m),
      verbose: (m) => reporter.verbose(m),
      target: (t, s) => reporter.target(t, s),
      addSecret: (s) => reporter.addSecret(s),
      warn,
      events: () => ({ ...reporter.events(), warn }),
    },
  };
}
