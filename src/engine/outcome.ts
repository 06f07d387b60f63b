import type { MigrationFile, SeedFile } from "../core/types.js";
import type { ApplyOutcome } from "./ports.js";
import { appliedEvent, skippedEvent, type OnEvent } from "./events.js";

/** What a run did, file by file: applied by this runner, or by another one while it waited. */
export interface RunTally {
  applied: { name: string; executionMs: number }[];
  appliedByOther: string[];
}

/** Records one file's outcome in the tally and reports it. */
export function tallyOutcome(tally: RunTally, onEvent: OnEvent, file: MigrationFile | SeedFile, outcome: ApplyOutcome): void {
  if (outcome.kind === "applied") {
    tally.applied.push({ name: file.name, executionMs: outcome.executionMs });
    onEvent(appliedEvent(file, outcome.executionMs));
  } else {
    tally.appliedByOther.push(file.name);
    onEvent(skippedEvent(file));
  }
}
