/** What one run applied so far, from its events, for the message printed when it is interrupted. */
import type { DbkitEvent } from "../../engine/events.js";
import type { JournalAfterInterrupt } from "../../db/journal-after-interrupt.js";

export class Progress {
  private readonly applied: string[] = [];
  /** In the order they started (a Set: a run of thousands of files asks it once per file). */
  private readonly started = new Set<string>();
  private current: string | undefined;
  private doing: string | undefined;

  /** Notes an event on its way to the output. An arrow property: it is passed on unbound. */
  readonly record = (event: DbkitEvent): void => {
    if (event.type === "info") this.doing = event.message;
    if (event.type === "applying") {
      this.current = event.name;
      this.started.add(event.name);
    }
    if (event.type === "applied") this.applied.push(event.name);
    if (event.type === "applied" || event.type === "skipped") this.current = undefined;
  };

  /**
   * One line saying what was and was not applied when the run stopped: from the journal as read
   * after the interrupt when there is one, else from what the run reported (and saying so).
   */
  describeInterruptedRun(journal?: JournalAfterInterrupt): string {
    if (journal instanceof Map) return this.describeFromJournal(journal);
    const applied = this.applied.length > 0 ? `applied ${this.applied.length} migration(s) (last: ${this.applied.at(-1)})` : "applied nothing";
    if (!this.current) return applied;
    if (journal === "unreachable") return `${applied}; whether ${this.current} was applied is unknown: the database could not be read after the interrupt (run dbkit status)`;
    return `${applied}; ${this.current} was rolled back and not recorded`;
  }

  /** The last progress message (e.g. "building the expected schema ..."), for an interrupted run. */
  lastActivity(): string | undefined {
    return this.doing;
  }

  private describeFromJournal(journal: Map<string, string>): string {
    const applied = [...this.started].filter((name) => journal.get(name) === "applied");
    const parts = [applied.length > 0 ? `applied ${applied.length} migration(s) (last: ${applied.at(-1)})` : "applied nothing"];
    for (const name of this.started) {
      const status = journal.get(name);
      if (status === undefined) parts.push(`${name} was rolled back and not recorded`);
      else if (status === "running" || status === "failed") parts.push(`${name} is recorded as ${status}: a no-transaction migration stopped partway; check it, then run dbkit resolve ${name}`);
    }
    return `${parts.join("; ")} (as the journal holds it now)`;
  }
}
