/**
 * `dbkit down` on a real Postgres: a migration's down SQL and the removal of its journal row, in
 * one transaction under the migration lock (or statement by statement for a down that cannot run
 * in one, like dbmate's `transaction:false`).
 */
import { performance } from "node:perf_hooks";
import type { DownSql, MigrationFile } from "../core/types.js";
import type { ApplyOptions } from "../engine/ports.js";
import { DbkitError, MigrationFailedError, UsageError } from "../errors.js";
import type { SqlStatement } from "../sql/parse-sql.js";
import type { Sql } from "./connect.js";
import type { ConnectTarget } from "./connection-errors.js";
import { sessionSettings } from "./apply-sql.js";
import { migrationErrorFor, type StatementContext } from "./migration-errors.js";
import { waitForLock } from "./wait-for-lock.js";

export interface RevertContext {
  sql: Sql;
  table: string;
  lockKey: string;
  target: ConnectTarget;
}

/** Runs `down` for `file` and removes its journal row; `statements` for a down run outside a transaction. */
export async function revertMigration(context: RevertContext, file: MigrationFile, down: DownSql, statements: SqlStatement[] | undefined, options: ApplyOptions): Promise<{ executionMs: number }> {
  const { sql, table, lockKey } = context;
  const started = performance.now();
  if (!statements) {
    await sql.begin("isolation level read committed", async (tx) => {
      await waitForLock(() => tx.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${lockKey}) as locked`), options.onWait);
      await stillApplied(tx, table, file);
      // The down runs with what its migration ran with: the timeouts and the project's sessionSettings.
      await tx.unsafe(`reset all; reset role; reset session authorization; ${sessionSettings(options, "local")}`).simple();
      await tx.unsafe(down.text).simple().catch((error: unknown) => {
        throw downFailure(error, file, down, context.target);
      });
      await tx.unsafe(`delete from ${table} where name = $1`, [file.name]);
    });
    return { executionMs: Math.round(performance.now() - started) };
  }
  await waitForLock(() => sql.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_lock(${lockKey}) as locked`), options.onWait);
  try {
    await stillApplied(sql, table, file);
    await sql.unsafe(sessionSettings(options, "session")).simple();
    for (const [index, statement] of statements.entries()) {
      await sql
        .unsafe(statement.text)
        .simple()
        .catch((error: unknown) => {
          throw downFailure(error, file, down, context.target, { text: statement.text, offset: statement.offset, index: index + 1 });
        });
    }
    await sql.unsafe(`delete from ${table} where name = $1`, [file.name]);
    return { executionMs: Math.round(performance.now() - started) };
  } finally {
    // The project's settings may include a role: reset whole, so the connection's next use starts clean.
    await sql.unsafe(`reset all; reset role; reset session authorization; select pg_advisory_unlock(${lockKey})`).simple().catch(() => undefined);
  }
}

async function stillApplied(sql: Pick<Sql, "unsafe">, table: string, file: MigrationFile): Promise<void> {
  const [row] = await sql.unsafe<{ status: string }[]>(`select status from ${table} where name = $1`, [file.name]);
  if (row?.status !== "applied") {
    throw new UsageError("DBKIT_JOURNAL_CHANGED", `${file.name} is no longer recorded as applied: another runner changed the journal`, { hint: "run dbkit status to see where the database is now" });
  }
}

/** The error of a down, pointing at the down's own file and line, with a hint about downs. */
function downFailure(error: unknown, file: MigrationFile, down: DownSql, target: ConnectTarget, statement?: StatementContext): DbkitError {
  const mapped = migrationErrorFor(error, { ...file, path: down.path, text: down.text }, target, statement ? { statement } : {});
  if (!(mapped instanceof MigrationFailedError)) return mapped;
  const hint = statement
    ? `the statements of the down before statement ${statement.index} ran and stay; finish or undo them by hand (${file.name} is still recorded as applied)`
    : `fix the down and run dbkit down again: nothing from it was applied, and ${file.name} is still applied`;
  return new MigrationFailedError(mapped.code, mapped.message, { hint, cause: error, ...(mapped.details ? { details: mapped.details } : {}) });
}
