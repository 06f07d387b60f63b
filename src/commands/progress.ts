/** Remembers what a run applied so far, for the message printed when it is interrupted. */
import type { Reporter } from "../api/reporter.js";

const progress = { applied: [] as string[], current: undefined as string | undefined, doing: undefined as string | undefined };

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
    events: () => {
      const sink = reporter.events();
      return {
        ...sink,
        applying: (file, mode) => {
          progress.current = file.name;
          sink.applying(file, mode);
        },
        applied: (file, ms) => {
          progress.applied.push(file.name);
          progress.current = undefined;
          sink.applied(file, ms);
        },
        skipped: (file) => {
          progress.current = undefined;
          sink.skipped(file);
        },
      };
    },
  };
}

/** One line saying what was and was not applied when the run stopped. */
export function describeInterruptedRun(): string {
  const applied = progress.applied.length > 0 ? `applied ${progress.applied.length} migration(s) (last: ${progress.applied.at(-1)})` : "applied nothing";
  const current = progress.current ? `; ${progress.current} was rolled back and not recorded` : "";
  return `${applied}${current}`;
}

/** The last progress message (e.g. "building the expected schema ..."), for an interrupted run. */
export function lastActivity(): string | undefined {
  return progress.doing;
}
