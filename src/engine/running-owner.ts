/**
 * A `running` row is either a no-transaction migration another runner is applying now, or one
 * that was interrupted. The first is waited for (like the migration lock), the second refused.
 */
import type { JournalRow } from "../core/types.js";
import { ConnectionError, UnresolvedMigrationError } from "../errors.js";
import type { Journal, RunningOwner } from "./ports.js";
import type { OnEvent } from "./events.js";
import { describeOwner } from "../core/describe-owner.js";

/** As long as a runner waits for the migration lock held by another (see db/wait-for-lock.ts). */
const MAX_WAIT_MS = 15 * 60 * 1000;

export { describeOwner };

/**
 * Waits while a migration's `running` row belongs to a live session, re-reading the journal as it
 * goes; returns the journal once no live runner is at work. A `running` row whose runner is gone
 * is refused as interrupted, naming the runner.
 */
export async function waitForLiveRunners(journalPort: Journal, journal: JournalRow[] | undefined, onEvent: OnEvent, maxWaitMs = MAX_WAIT_MS): Promise<JournalRow[] | undefined> {
  const deadline = Date.now() + maxWaitMs;
  let announced: string | undefined;
  for (let current = journal; ; current = await journalPort.readJournal()) {
    const running = current?.find((row) => row.kind === "migration" && row.status === "running");
    if (!running || !journalPort.runningOwner) return current;
    const owner = await journalPort.runningOwner(running.name);
    if (!owner) continue; // it finished (or failed) between the two reads
    if (!owner.alive) throw new UnresolvedMigrationError(running.name, "running", `its runner, ${describeOwner(owner)}, is gone`);
    if (announced !== running.name) onEvent({ type: "info", message: `${running.name} is being applied by ${describeOwner(owner)}; waiting for it to finish` });
    announced = running.name;
    if (Date.now() > deadline) {
      throw new ConnectionError("DBKIT_IN_PROGRESS", `${running.name} is still being applied by ${describeOwner(owner)} after ${Math.round(maxWaitMs / 60000)} minutes`, {
        hint: "wait for that run to finish, or check it in pg_stat_activity",
        details: { name: running.name, owner },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
