/**
 * Who is applying a no-transaction migration: its `running` row names the runner (backend pid,
 * application name, host, and the backend's start time, which tells a reused pid from the same
 * session), so another runner or `status` can tell a live run from an interrupted one through
 * pg_stat_activity instead of taking every `running` row for a crash.
 */
import os from "node:os";
import type postgres from "postgres";
import type { RunningOwner } from "../engine/ports.js";

type Sql = postgres.Sql | postgres.TransactionSql;

/** The owner columns, for journals created before they existed (added once, under the migration lock). */
export const OWNER_COLUMNS_SQL = "owner_pid integer, owner_application text, owner_host text, owner_started timestamptz";

/**
 * Marks `name`'s row as this session's: run in the transaction that inserts the `running` row.
 * `ownerPid`: the server session that stands for this runner instead of the one running this
 * transaction (behind a transaction pooler that one belongs to the pool, not to the runner).
 */
export async function claimRow(tx: postgres.TransactionSql, table: string, name: string, ownerPid?: number): Promise<void> {
  const [has] = await tx.unsafe<{ ok: boolean }[]>(`select exists (select from pg_attribute where attrelid = $1::regclass and attname = 'owner_pid' and not attisdropped) as ok`, [table]);
  if (!has?.ok) {
    await tx.unsafe(`alter table ${table} ${OWNER_COLUMNS_SQL.split(", ").map((column) => `add column if not exists ${column}`).join(", ")}`);
  }
  await tx.unsafe(
    `update ${table} set owner_pid = coalesce($3::int, pg_backend_pid()),
       owner_application = coalesce((select nullif(application_name, '') from pg_stat_activity where pid = coalesce($3::int, pg_backend_pid())), current_setting('application_name')),
       owner_host = $2, owner_started = (select backend_start from pg_stat_activity where pid = coalesce($3::int, pg_backend_pid())) where name = $1`,
    [name, os.hostname(), ownerPid ?? null],
  );
}

/** The runner recorded on `name`'s `running` row and whether its session is still there; undefined when the row is not running. */
export async function readRunningOwner(sql: Sql, table: string, name: string): Promise<RunningOwner | undefined> {
  try {
    const [row] = await sql.unsafe<{ pid: number | null; application: string | null; host: string | null; alive: boolean }[]>(
      `select j.owner_pid as pid, j.owner_application as application, j.owner_host as host,
         exists (select from pg_stat_activity a where a.pid = j.owner_pid
           and (a.backend_start is null or j.owner_started is null or a.backend_start = j.owner_started)) as alive
       from ${table} j where j.name = $1 and j.status = 'running'`,
      [name],
    );
    if (!row) return undefined;
    return { pid: row.pid, application: row.application, host: row.host, alive: row.pid !== null && row.alive };
  } catch (error) {
    // A journal from before the owner columns: the owner is unknown, and so is whether it lives.
    if ((error as { code?: string }).code === "42703") return { pid: null, application: null, host: null, alive: false };
    throw error;
  }
}
