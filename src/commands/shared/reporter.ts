/**
 * What the API tells its caller while it works: the engine's events (engine/events.ts), plus what
 * only a terminal wants (verbose SQL) and passwords found on the way. The CLI's Output implements
 * it (printing); programmatic callers get a quiet one that passes events to `onEvent`.
 */
import type { DbkitEvent, OnEvent } from "../../engine/events.js";
import type { TargetInfo } from "../../engine/ports.js";

export type { DbkitEvent };

export interface Reporter {
  /** The one event type: progress, warnings and the target. An arrow property: it is passed on unbound. */
  readonly onEvent: OnEvent;
  info(message: string): void;
  /** A function is called only when verbose output is on: the SQL of every migration is long. */
  verbose(message: string | (() => string)): void;
  warn(message: string): void;
  /** Which database the command talks to (never its password). */
  target(target: TargetInfo, source: string): void;
  /** A password found later (the embedded server's): never to be printed. */
  addSecret(secret: string): void;
}

/** The reporter behind the programmatic API: prints nothing; info, warnings and the target are events too. */
export function eventReporter(onEvent: OnEvent = () => undefined): Reporter {
  return {
    onEvent,
    info: (message) => onEvent({ type: "info", message }),
    verbose: () => undefined,
    warn: (message) => onEvent({ type: "warning", message }),
    target: (target, source) => onEvent({ type: "target", target, source }),
    addSecret: () => undefined,
  };
}

/** Wraps a reporter so that the warnings of one call can go into its result. */
export function collectingWarnings(reporter: Reporter): { reporter: Reporter; warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    reporter: {
      onEvent: (event) => {
        if (event.type === "warning") warnings.push(event.message);
        reporter.onEvent(event);
      },
      info: (m) => reporter.info(m),
      verbose: (m) => reporter.verbose(m),
      target: (t, s) => reporter.target(t, s),
      addSecret: (s) => reporter.addSecret(s),
      warn: (message) => {
        warnings.push(message);
        reporter.warn(message);
      },
    },
  };
}
