/** Remembers what a run applied so far, for the message printed when it is interrupted. */
import type { Reporter } from "./reporter.js";

const progress = { applied: [] as string[], started: [] as string[], current: undefined as string | undefined, doing: undefined as string | undefined };

/** The reporter with its events recorded on the way through. */
export function trackingProgress(reporter: Reporter): Reporter {
  return {
    info: (m) => {
      progress.doing = m;
      reporter.info(m);
    },
    verbose: (m) => reporter.verbose(m),
    warn: (m) => reporter.warn(m),
    target: (t, s) => reporter.target(t, s),
    addSecret: (s) => reporter.addSecret(s),
    onEvent: (event) => {
      if (event.type === "applying") {
        progress.current = event.name;
        if (!progress.started.includes(event.name)) progress.started.push(event.name);
      }
      if (event.type === "applied") progress.applied.push(event.name);
      if (event.type === "applied" || event.type === "skipped") progress.current = undefined;
      reporter.onEvent(event);
    },
  };
}

/**
 * One line saying what was and was not applied when the run stopped: from the journal as read
 * after the interrupt when there is one, else from what the run reported (and saying so).
 */
export function describeInterruptedRun(journal?: Map<string, string> | "unreachable"): string {
  if (journal instanceof Map) return describeFromJournal(journal);
  const applied = progress.applied.length > 0 ? `applied ${progress.applied.length} migration(s) (last: ${progress.applied.at(-1)})` : "applied nothing";
  if (!progress.current) return applied;
  if (journal === "unreachable") return `${applied}; whether ${progress.current} was applied is unknown: the database could not be read after the interrupt (run dbkit status)`;
  return `${applied}; ${progress.current} was rolled back and not recorded`;
}

function describeFromJournal(journal: Map<string, string>): string {
  const applied = progress.started.filter((name) => journal.get(name) === "applied");
  const parts = [applied.length > 0 ? `applied ${applied.length} migration(s) (last: ${applied.at(-1)})` : "applied nothing"];
  for (const name of progress.started) {
    const status = journal.get(name);
    if (status === undefined) parts.push(`${name} was rolled back and not recorded`);
    else if (status === "running" || status === "failed") parts.push(`${name} is recorded as ${status}: a no-transaction migration stopped partway; check it, then run dbkit resolve ${name}`);
  }
  return `${parts.join("; ")} (as the journal holds it now)`;
}

/** The last progress message (e.g. "building the expected schema ..."), for an interrupted run. */
export function lastActivity(): string | undefined {
  return progress.doing;
}
