/**
 * One run of a command, by the CLI or by an API call: where its events go (the one event type,
 * engine/events.ts, which output/ prints) and what an interrupt of it must undo. Each run makes its
 * own (cli.ts's main, each API call), so two API calls in one process share nothing.
 */
import type { OnEvent } from "../../engine/events.js";
import type { TargetInfo } from "../../engine/ports.js";
import { Interrupts } from "./interrupts.js";

export interface Run {
  /** Every event of the run. An arrow property: it is passed on unbound. */
  readonly onEvent: OnEvent;
  /** What an interrupt of this run stops or closes (a server dbkit started, the connection). */
  readonly interrupts: Interrupts;
  /** Shorthands, each sending one event. */
  info(message: string): void;
  warn(message: string): void;
  /** Which database the command talks to (never its password). */
  target(target: TargetInfo, source: string): void;
}

/** The one place a Run is made: its shorthands are events on `onEvent`. */
export function createRun(onEvent: OnEvent, interrupts: Interrupts = new Interrupts()): Run {
  return {
    onEvent,
    interrupts,
    info: (message) => onEvent({ type: "info", message }),
    warn: (message) => onEvent({ type: "warning", message }),
    target: (target, source) => onEvent({ type: "target", target, source }),
  };
}

/** The run with the warnings of one call collected, for its result document. */
export function collectingWarnings(run: Run): { reporter: Run; warnings: string[] } {
  const warnings: string[] = [];
  const reporter = createRun((event) => {
    if (event.type === "warning") warnings.push(event.message);
    run.onEvent(event);
  }, run.interrupts);
  return { reporter, warnings };
}
