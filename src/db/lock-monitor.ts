/**
 * Names the sessions that block a migration. When a file runs longer than a moment, a second
 * connection polls pg_blocking_pids() for the migrating backend; fast migrations never open it.
 */
import postgres from "postgres";

export interface Blocker {
  pid: number;
  application: string;
  user: string;
  state: string;
  since: string | null;
  query: string;
}

export class LockMonitor {
  private sql: postgres.Sql | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly seen = new Map<number, Blocker>();

  constructor(private readonly connect: () => postgres.Sql) {}

  /** Starts watching `pid` after `delayMs`; call stop() when the work ends. */
  start(pid: number, delayMs = 100): void {
    this.running = true;
    this.schedule(pid, delayMs);
  }

  /** Stops watching and returns the blockers seen since start(). */
  stop(): Blocker[] {
    this.running = false;
    clearTimeout(this.timer);
    const blockers = [...this.seen.values()];
    this.seen.clear();
    return blockers;
  }

  /** readLockHolders on the monitor's connection; empty when it cannot tell. */
  async holders(pid: number): Promise<Blocker[]> {
    try {
      this.sql ??= this.connect();
      return await readLockHolders(this.sql, pid);
    } catch {
      return [];
    }
  }

  async close(): Promise<void> {
    this.stop();
    await this.sql?.end({ timeout: 1 }).catch(() => undefined);
  }

  private schedule(pid: number, delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(pid), delayMs);
    this.timer.unref();
  }

  private async poll(pid: number): Promise<void> {
    try {
      this.sql ??= this.connect();
      const rows = await this.sql.unsafe<{ pid: number; application: string; user: string; state: string; since: Date | null; query: string }[]>(
        `select pid, application_name as application, usename as user, coalesce(state, '') as state, coalesce(xact_start, query_start) as since, left(query, 200) as query
           from pg_stat_activity where pid = any(pg_blocking_pids($1::int))`,
        [pid],
      );
      for (const row of rows) this.seen.set(row.pid, { ...row, since: row.since ? row.since.toISOString() : null });
    } catch {
      // The monitor only adds detail to an error; its own failure must not cause one.
    }
    if (this.running) this.schedule(pid, 100);
  }
}

/**
 * Sessions of this database that hold a lock now, other than `pid` (the migrating backend) and
 * the monitor: asked when a lock wait ended before a poll saw its blocker (a short lock_timeout,
 * a busy machine), so that a lock timeout always names who holds locks. Weak locks (ACCESS SHARE,
 * a transaction's own id) block no migration and are left out.
 */
export async function readLockHolders(sql: postgres.Sql, pid: number): Promise<Blocker[]> {
  const rows = await sql.unsafe<{ pid: number; application: string; user: string; state: string; since: Date | null; query: string }[]>(
    `select distinct a.pid, a.application_name as application, a.usename as user, coalesce(a.state, '') as state, coalesce(a.xact_start, a.query_start) as since, left(a.query, 200) as query
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.granted and l.pid not in ($1::int, pg_backend_pid()) and a.datname = current_database()
        and l.locktype in ('relation', 'tuple', 'object', 'page', 'extend') and l.mode <> 'AccessShareLock'
      order by a.pid`,
    [pid],
  );
  return rows.map((row) => ({ ...row, since: row.since ? row.since.toISOString() : null }));
}

/** "pid 4242 (psql, user alice, idle in transaction since 2026-01-01T10:00:00Z: lock table t)" */
export function describeBlockers(blockers: readonly Blocker[]): string {
  return blockers
    .map((b) => `pid ${b.pid} (${b.application || "no application name"}, user ${b.user}, ${b.state}${b.since ? ` since ${b.since}` : ""}${b.query ? `: ${b.query.replace(/\s+/g, " ").trim()}` : ""})`)
    .join("; ");
}
