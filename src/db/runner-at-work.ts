/**
 * A `running` row met under the migration lock, in the middle of a run: a no-transaction file
 * another runner is applying now (behind a transaction pooler, where no session lock keeps
 * runners apart, or once the run lock was found stale). It is waited for outside any transaction
 * (a transaction waiting would hold up that runner's CREATE INDEX CONCURRENTLY), then the attempt
 * is made again; only a `running` row whose runner is gone is an interrupted migration.
 */
import { describeOwner } from "../core/describe-owner.js";
import type { RunningOwner } from "../engine/ports.js";
import { ConnectionError, UnresolvedMigrationError } from "../errors.js";
import { readRunningOwner } from "./running-owner.js";
import type { Session, Sql, TxSql } from "./session.js";
import { pollPause, RUNNER_WAIT_MS } from "./wait-for-lock.js";

export class RunnerAtWork extends UnresolvedMigrationError {
  constructor(
    readonly migration: string,
    readonly owner: RunningOwner,
  ) {
    super(migration, "running", `${describeOwner(owner)} is applying it`);
  }
}

/**
 * Throws RunnerAtWork when `name`'s runner is alive (or its row stopped running since it was read:
 * then the attempt is simply made again), and UnresolvedMigrationError (interrupted) otherwise.
 */
export async function refuseRunningRow(sql: Sql | TxSql, table: string, name: string): Promise<never> {
  const owner = await readRunningOwner(sql, table, name);
  if (!owner) throw new RunnerAtWork(name, { pid: null, application: null, host: null, alive: false });
  if (owner.alive) throw new RunnerAtWork(name, owner);
  throw new UnresolvedMigrationError(name, "running", owner.pid !== null ? `its runner, ${describeOwner(owner)}, is gone` : undefined);
}

/** Runs `attempt` (a transaction), waiting out another runner's no-transaction file as often as it meets one. */
export async function retryWhileRunnerAtWork<T>(session: Session, attempt: () => Promise<T>, onWait: () => void): Promise<T> {
  const deadline = Date.now() + RUNNER_WAIT_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RunnerAtWork)) throw error;
      onWait();
      await session.run(() => untilDone(session, error, deadline));
    }
  }
}

async function untilDone(session: Session, atWork: RunnerAtWork, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const owner = await readRunningOwner(session.sql, session.table, atWork.migration);
    if (!owner?.alive) return;
    if (Date.now() > deadline) {
      throw new ConnectionError("DBKIT_IN_PROGRESS", `${atWork.migration} is still being applied by ${describeOwner(owner)} after ${Math.round(RUNNER_WAIT_MS / 60000)} minutes`, {
        hint: "wait for that run to finish, or check it in pg_stat_activity",
        details: { name: atWork.migration, owner },
      });
    }
    await pollPause(attempt);
  }
}
