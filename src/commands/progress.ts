/** Remembers what a run applied so far, for the message printed when it is interrupted. */
import type { EventSink } from "../engine/ports.js";

const progress = { applied: [] as string[], current: undefined as string | undefined };

export function trackProgress(sink: EventSink): EventSink {
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
}

/** One line saying what was and was not applied when the run stopped. */
export function describeInterruptedRun(): string {
  const applied = progress.applied.length > 0 ? `applied ${progress.applied.length} migration(s) (last: ${progress.applied.at(-1)})` : "applied nothing";
  const current = progress.current ? `; ${progress.current} was rolled back and not recorded` : "";
  return `${applied}${current}`;
}
