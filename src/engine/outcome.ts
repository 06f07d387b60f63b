import type { MigrationFile, SeedFile } from "../core/types.js";
import type { ApplyOutcome, EventSink } from "./ports.js";

/** What a run did, file by file: applied by this runner, or by another one while it waited. */
export interface RunTally {
  applied: { name: string; executionMs: number }[];
  appliedByOther: string[];
}

/** Records one file's outcome in the tally and reports it. */
export function tallyOutcome(tally: RunTally, events: EventSink, file: MigrationFile | SeedFile, outcome: ApplyOutcome): void {
  if (outcome.kind === "applied") {
    tally.applied.push({ name: file.name, executionMs: outcome.executionMs });
    events.applied(file, outcome.executionMs);
  } else {
    tally.appliedByOther.push(file.name);
    events.skipped(file);
  }
}
