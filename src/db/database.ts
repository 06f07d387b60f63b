/** One open database: the session and the ports over it, as the commands use them. */
import type { Applier, DatabasePorts, TargetInfo } from "../engine/ports.js";
import { applySeed } from "./apply-seed.js";
import { TransactionalApplier } from "./apply-in-transaction.js";
import { applyWithoutTransaction } from "./apply-without-transaction.js";
import type { Connection } from "./connect.js";
import { PostgresJournal } from "./journal.js";
import type { JournalAfterInterrupt } from "./journal-after-interrupt.js";
import { revertMigration } from "./revert.js";
import { runLockKeyFor, takePinnedRunLock, takeRunLock, type RunLockOutcome } from "./run-lock.js";
import { Session } from "./session.js";
import { postgresCatalogReader } from "./verify-reads.js";

export interface Database extends DatabasePorts {
  readonly session: Session;
  readonly journal: PostgresJournal;
  /** `waitForServer: false` sends Terminate without waiting for the server to end the session. */
  close(options?: { waitForServer?: boolean }): Promise<void>;
  /** Ctrl-C: cancel what runs (the server rolls it back), close the connection, then what the journal holds. */
  interrupt(): Promise<JournalAfterInterrupt>;
}

export function postgresApplier(session: Session): Applier {
  const inTransaction = new TransactionalApplier(session);
  // Once a holder turned out to be a lock a pooler left behind, this run goes ahead without the run lock.
  let stale = false;
  return {
    sqlDialect: () => session.sqlDialect(),
    leadRun: (onWait) =>
      session.run(async () => {
        if (stale) return false;
        const key = runLockKeyFor(session.journalSchema);
        let outcome: RunLockOutcome;
        if (session.pooled) {
          const pinned = await takePinnedRunLock(session.sql, session.openAlongside("dbkit-run-lock"), key, onWait);
          if (typeof pinned === "object") session.runOwnerPid = pinned.led;
          outcome = typeof pinned === "object" ? "led" : pinned;
        } else outcome = await takeRunLock(session.sql, key, onWait);
        stale = outcome === "stale";
        return outcome !== "led";
      }),
    // txid_current() gives the transaction an id, so its COMMIT is written and flushed (synchronous_commit is on).
    makeDurable: () => session.run(() => session.orLost(session.sql.unsafe("begin; select txid_current(); commit").simple()).then(() => undefined)),
    applyEachInTransaction: (files, options, progress) => inTransaction.applyEachInTransaction(files, options, progress),
    applyAllInTransaction: (files, options, onApplying) => inTransaction.applyAllInTransaction(files, options, onApplying),
    applyWithoutTransaction: (file, statements, options) => applyWithoutTransaction(session, file, statements, options),
    applySeed: (seed, parts, options) => applySeed(session, seed, parts, options),
    revert: (file, down, statements, options) =>
      session.run(() => session.orLost(revertMigration({ sql: session.sql, table: session.table, lockKey: session.lockKey, target: session.target }, file, down, statements, options))),
  };
}

/** The ports on `connection`, whose journal lives in `journalSchema`; `embedded`: dbkit started the server. */
export function openDatabase(connection: Connection, journalSchema: string, embedded: boolean): Database {
  const session = new Session(connection, journalSchema, embedded);
  const journal = new PostgresJournal(session);
  return {
    session,
    get target(): TargetInfo {
      return session.target;
    },
    journal,
    applier: postgresApplier(session),
    catalog: postgresCatalogReader(session, journal),
    close: (options) => session.close(options),
    interrupt: () => session.interrupt(),
  };
}
