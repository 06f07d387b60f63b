/** What the appliers share: session settings, the guarded re-read of the journal, journal rows. */
import { sessionSettingsSql } from "../core/session-settings.js";
import type { JournalRow, MigrationFile, SeedFile } from "../core/types.js";
import type { ApplyOptions } from "../engine/ports.js";
import { UnresolvedMigrationError } from "../errors.js";
import { quoteLiteral } from "./journal-sql.js";
import { refuseRunningRow } from "./runner-at-work.js";
import type { Session, Sql, TxSql } from "./session.js";
import { waitForLock } from "./wait-for-lock.js";

/** The SQLSTATE of the pipelined guard (see TransactionalApplier.sendOpening). */
export const GUARD_REFUSED = "DBK01";

export interface RereadRow {
  name: string;
  status: string;
  checksum: string;
}

type Recordable = Pick<MigrationFile | SeedFile, "name" | "version" | "kind" | "checksum">;

/** SET statements for one file; LOCAL inside a transaction, session-wide (reset later) outside. */
export function sessionSettings(options: ApplyOptions, scope: "local" | "session"): string {
  const set = scope === "local" ? "set local" : "set";
  // Commits before the last of a run need not wait for their WAL flush: the last commit flushes
  // every earlier one, and a crash before it loses a migration together with its journal row.
  const asyncCommit = options.asyncCommit && scope === "local" ? `; set local synchronous_commit = off` : "";
  const project = sessionSettingsSql(options.sessionSettings, scope === "local");
  return `${set} lock_timeout = ${quoteLiteral(options.lockTimeout)}; ${set} statement_timeout = ${quoteLiteral(options.statementTimeout)}${asyncCommit}${project ? `; ${project}` : ""}`;
}

/** Takes the migration lock, then reads this file's row (if any) and refuses on unresolved rows. */
export async function lockAndReread(session: Session, tx: TxSql, name: string, options: ApplyOptions): Promise<RereadRow | undefined> {
  return (await lockAndRereadAll(session, tx, [name], options)).find((row) => row.name === name);
}

/**
 * Takes the migration lock, then reads the rows of `names` and refuses on unresolved rows (a live
 * runner's `running` row with RunnerAtWork: see retryWhileRunnerAtWork).
 */
export async function lockAndRereadAll(session: Session, tx: TxSql | Sql, names: string[], options: ApplyOptions, settings = "", begin = ""): Promise<RereadRow[]> {
  // First try, re-read and a session reset in one round trip; the re-read counts only when
  // the lock was taken, since READ COMMITTED gives each statement a fresh snapshot.
  const reread = `select name, status, checksum from ${session.table} where name in (${names.map(quoteLiteral).join(", ")}) or status <> 'applied'`;
  const results = (await tx
    .unsafe(`${begin ? `${begin}; ` : ""}select pg_try_advisory_xact_lock(${session.lockKey}) as locked; ${reread}; reset all; reset role; reset session authorization${settings ? `; ${settings}` : ""}`)
    .simple()) as unknown as unknown[][];
  const [locked, found] = (begin ? results.slice(1) : results) as [{ locked: boolean }[], RereadRow[]];
  let rows = found;
  if (!locked[0]?.locked) {
    await waitForLock(() => tx.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${session.lockKey}) as locked`), options.onWait);
    rows = await tx.unsafe<RereadRow[]>(reread);
  }
  const unresolved = rows.find((row) => row.status !== "applied");
  // A running row may be another runner's file in progress: RunnerAtWork, waited for by the caller.
  if (unresolved?.status === "running") await refuseRunningRow(tx, session.table, unresolved.name);
  if (unresolved) throw new UnresolvedMigrationError(unresolved.name, unresolved.status);
  return rows;
}

/** Records a file; a seed that runs again replaces its row. */
export async function insertRow(session: Session, tx: TxSql, file: Recordable, status: JournalRow["status"], executionMs: number | null, dbkitVersion: string, error: string | null): Promise<void> {
  await tx.unsafe(
    `insert into ${session.table} (name, version, kind, checksum, status, execution_ms, dbkit_version, error) values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (name) do update set checksum = excluded.checksum, status = excluded.status, execution_ms = excluded.execution_ms,
       dbkit_version = excluded.dbkit_version, error = excluded.error, applied_at = now(), applied_by = current_user`,
    [file.name, file.version, file.kind, file.checksum, status, executionMs, dbkitVersion, error],
  );
}

/** The journal row of a file applied by the statement this is appended to; returns its execution_ms. */
export function recordSql(table: string, file: MigrationFile, dbkitVersion: string): string {
  const values = [file.name, file.version, file.kind, file.checksum].map(quoteLiteral).join(", ");
  return `insert into ${table} (name, version, kind, checksum, status, execution_ms, dbkit_version)
      values (${values}, 'applied', (extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::int, ${quoteLiteral(dbkitVersion)})
      ${file.repeatable ? "on conflict (name) do update set checksum = excluded.checksum, status = 'applied', applied_at = now(), applied_by = current_user, execution_ms = excluded.execution_ms, dbkit_version = excluded.dbkit_version" : ""}
      returning execution_ms`;
}
