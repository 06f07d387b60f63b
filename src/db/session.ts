/**
 * One connection to the target and what every database operation on it shares: the connection,
 * the lost-connection signal, transactions, the migration lock, error mapping, and the query
 * running now (for Ctrl-C). The journal, the appliers, the catalog reads and the admin functions
 * all work over a Session.
 */
import type postgres from "postgres";
import type { TargetInfo } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import type { Connection, Sql } from "./connect.js";
import { connectionErrorFor, isConnectionGone } from "./connection-errors.js";
import { onDriverSocketCrash } from "./driver-guard.js";
import { journalTable, lockKeyFor } from "./journal-sql.js";
import { readJournalAfterInterrupt, type JournalAfterInterrupt } from "./journal-after-interrupt.js";
import { Liveness } from "./liveness.js";
import { LockMonitor } from "./lock-monitor.js";
import { LostSignal } from "./lost-signal.js";
import { waitForLock } from "./wait-for-lock.js";

export type TxSql = postgres.TransactionSql;
export type { Sql };

/** A query sent and not yet answered; cancel() stops it on an interrupt. */
export type PendingResults = Promise<unknown> & { cancel(): unknown };

export class Session {
  readonly target: TargetInfo;
  readonly sql: Sql;
  /** The journal table, quoted; its schema also names the migration lock. */
  readonly table: string;
  /** The advisory-lock key of the migration lock. */
  readonly lockKey: string;
  /** Watches who blocks this connection while a file waits for a lock. */
  readonly monitor: LockMonitor;
  private readonly another: Connection["another"];
  /** Tells a statement still running on the server from one lost on a dead network. */
  private readonly liveness: Liveness;
  /** The server process of this connection. */
  readonly backendPid: number;
  /** Behind a pooler: this connection may hop between server sessions (see Connection.pooled). */
  readonly pooled: boolean;
  /**
   * Behind a pooler, while this runner holds the run lock: the server session of the run lock's
   * connection, which stands for this runner in a `running` row (it ends when the runner does).
   */
  runOwnerPid: number | undefined;
  /** Set when the driver's connection broke in a way its own promises cannot report. */
  private readonly lost = new LostSignal();
  /** The migration SQL running now, so an interrupt can cancel it. */
  private running: { cancel(): unknown } | undefined;
  private readonly stopGuard: () => void;
  /** Connections opened by openAlongside. */
  private readonly alongside = new Set<Sql>();

  constructor(
    connection: Connection,
    readonly journalSchema: string,
    embedded: boolean,
  ) {
    this.sql = connection.sql;
    this.target = { ...connection.target, embedded };
    this.table = journalTable(journalSchema);
    this.lockKey = lockKeyFor(journalSchema);
    this.backendPid = connection.backendPid;
    this.pooled = connection.pooled;
    this.monitor = new LockMonitor(() => connection.another("dbkit-lock-monitor"));
    this.another = connection.another;
    const markLost = (error: Error) => this.lost.mark(error);
    this.stopGuard = onDriverSocketCrash(() => markLost(Object.assign(new Error("connection closed"), { code: "CONNECTION_CLOSED" })));
    // Behind a pooler the statement may run in another server session than the first query's:
    // then only whether the server answers at all is checked.
    this.liveness = new Liveness(() => connection.another("dbkit-liveness"), connection.pooled ? undefined : connection.backendPid, (why) => {
      markLost(Object.assign(new Error(`connection lost: ${why}`), { code: "CONNECTION_CLOSED" }));
      // The driver may still wait on the dead socket: end it so nothing is sent on it again.
      void this.sql.end({ timeout: 0 }).catch(() => undefined);
    });
  }

  /** From the server's ParameterStatus at start-up (and after any SET): no query needed. */
  sqlDialect(): { backslashEscapes: boolean } {
    return { backslashEscapes: (this.sql.parameters as Record<string, string | undefined>).standard_conforming_strings === "off" };
  }

  /** `work`'s outcome, or a rejection as soon as the connection is lost: what waits on the server goes through here. */
  orLost<T>(work: Promise<T>): Promise<T> {
    return this.lost.race(work);
  }

  /** Every transaction goes through here, so a broken connection ends it instead of hanging it. */
  transaction<T>(mode: string, work: (tx: TxSql) => Promise<T>): Promise<T> {
    return this.orLost(this.sql.begin(mode, work) as Promise<T>);
  }

  /** Runs `work`, turning driver and server errors into DbkitErrors. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /** A transaction holding the migration lock (waiting for it), with errors mapped. */
  locked<T>(work: (tx: TxSql) => Promise<T>): Promise<T> {
    return this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        await this.acquireLock(tx);
        return work(tx);
      }),
    );
  }

  /** Takes the migration lock for the transaction, waiting (and saying so once) while another runner holds it. */
  async acquireLock(tx: TxSql | Sql, onWait: () => void = () => undefined): Promise<void> {
    await waitForLock(() => tx.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${this.lockKey}) as locked`), onWait);
  }

  /** Another connection with the same settings, ended with this session (close or interrupt). */
  openAlongside(applicationName: string): Sql {
    const sql = this.another(applicationName);
    this.alongside.add(sql);
    return sql;
  }

  private async endAlongside(): Promise<void> {
    const all = [...this.alongside];
    this.alongside.clear();
    await Promise.all(all.map((sql) => sql.end({ timeout: 0 }).catch(() => undefined)));
  }

  /** Remembers the query running now, so interrupt() can cancel it. */
  async track<T>(query: Promise<T> & { cancel(): unknown }): Promise<T> {
    this.running = query;
    this.liveness.start();
    try {
      return await query;
    } finally {
      this.liveness.stop();
      this.running = undefined;
    }
  }

  /** Rolls back after `error`, unless the connection is gone: the server rolled back already. */
  async rollbackAfter(error: unknown): Promise<void> {
    if (isConnectionGone(error)) return;
    await this.orLost(this.sql.unsafe("rollback")).catch(() => undefined);
  }

  mapError(error: unknown): unknown {
    if (error instanceof Error && "exitCode" in error) return error;
    const code = (error as { code?: string }).code;
    if (code === "42501") {
      return new UsageError("DBKIT_PERMISSION_DENIED", `permission denied for user "${this.target.user ?? ""}": ${(error as Error).message}`, {
        hint: `grant the role CREATE on the database, or create the journal schema "${this.journalSchema}" for it beforehand`,
        cause: error,
      });
    }
    return connectionErrorFor(error, this.target) ?? error;
  }

  /** `waitForServer: false` sends Terminate without waiting for the server to end the session. */
  async close({ waitForServer = true }: { waitForServer?: boolean } = {}): Promise<void> {
    this.stopGuard();
    await this.monitor.close();
    await this.liveness.close();
    await this.endAlongside();
    // Nothing is pending in normal operation; after a lost connection the driver may still wait
    // for a ROLLBACK that can never be answered. A timeout of 0 still sends Terminate first.
    const ended = this.sql.end({ timeout: waitForServer ? 1 : 0 }).catch(() => undefined);
    // Without waiting for the server, the driver's timeout of 0 still cost a timer's millisecond:
    // one turn of the event loop is enough, as the driver writes Terminate a microtask after end().
    await (waitForServer ? ended : Promise.race([ended, new Promise(setImmediate)]));
  }

  /**
   * Ctrl-C: cancel what runs (the server rolls it back) and close the connection; then read what
   * the journal holds on a fresh connection, for the interrupted run's message.
   */
  async interrupt(): Promise<JournalAfterInterrupt> {
    // Cancelling makes the server roll the transaction back now, instead of when it next
    // notices the client is gone; then the connection closes cleanly.
    await Promise.resolve(this.running?.cancel()).catch(() => undefined);
    await this.sql.end({ timeout: 2 }).catch(() => undefined);
    await this.monitor.close();
    await this.liveness.close();
    await this.endAlongside();
    // A program that aborted one API call goes on: the process-wide guard leaves with the session.
    this.stopGuard();
    return readJournalAfterInterrupt(() => this.another("dbkit-interrupted"), this.journalSchema);
  }
}
