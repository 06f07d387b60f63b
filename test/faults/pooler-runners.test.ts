/**
 * Concurrent runners through a real PgBouncer. In transaction mode each transaction (and each
 * statement outside one) may run on another server connection, so session state (a session
 * advisory lock, a SET, pg_backend_pid()) does not follow the client: every file must still be
 * applied exactly once, the journal stay consistent, and no runner take another's work in
 * progress for an interrupted migration. In session mode a client keeps its server connection,
 * so it must behave exactly like a direct connection. Skipped where pgbouncer is not installed
 * (CI has only Node and npm); Debian: apt install pgbouncer.
 */
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/databases.js";
import { hasPgbouncer, throughPgbouncer } from "../support/pgbouncer.js";
import { exitOf } from "../support/child-events.js";
import { runCli, spawnCli, type CliResult } from "../support/project.js";
import { journalNames, scenario } from "../support/scenario.js";

const STEPS = 12;

/** Transactional files around two no-transaction ones; each file inserts its name into `effects`. */
function project(): Record<string, string> {
  const files: Record<string, string> = { "migrations/0000_effects.sql": "create table effects (name text not null);\ncreate table items (id int, name text);\n" };
  for (let i = 1; i <= STEPS; i++) {
    const name = `${String(i * 10).padStart(4, "0")}_step`;
    files[`migrations/${name}.sql`] = `insert into effects values ('${name}');\ncreate table t_${i} (id int);\nselect pg_sleep(0.01);\n`;
  }
  files["migrations/0055_index.sql"] =
    "-- dbkit:no-transaction\ninsert into effects values ('0055_index');\nselect pg_sleep(0.2);\ncreate index concurrently items_name_idx on items (name);\n";
  files["migrations/0095_type.sql"] = "-- dbkit:no-transaction\ninsert into effects values ('0095_type');\ncreate type mood as enum ('ok');\nalter type mood add value 'sad';\n";
  return files;
}

async function expectAppliedOnce(db: TestDatabase, runs: CliResult[]): Promise<void> {
  for (const run of runs) {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/interrupted|may be partly applied|resolve/i);
  }
  const names = Object.keys(project()).map((file) => file.slice("migrations/".length, -".sql".length));
  expect(await journalNames(db)).toEqual(names.sort());
  const statuses = await db.sql`select status, count(*)::int as n from dbkit.migrations group by status`;
  expect(statuses).toEqual([{ status: "applied", n: names.length }]);
  const effects = await db.sql`select name, count(*)::int as n from effects group by name order by name`;
  expect(effects).toEqual(names.filter((name) => name !== "0000_effects").map((name) => ({ name, n: 1 })));
  // Every file is reported applied by exactly one runner, and one runner applied them all: the
  // others waited for its run once (the run lock holds through the pooler too).
  const reported = runs.flatMap((run) => run.stdout.match(/^applied \d{4}_\w+/gm) ?? []);
  expect(reported.sort()).toEqual(names.map((name) => `applied ${name}`));
  const appliedBy = runs.map((run) => (run.stdout.match(/^applied \d{4}_/gm) ?? []).length).sort((x, y) => x - y);
  expect(appliedBy).toEqual([...runs.slice(1).map(() => 0), names.length]);
}

/**
 * No session of the pool (or anyone) is left holding an advisory lock once every runner exited.
 * In session mode PgBouncer resets a server connection (DISCARD ALL) after its client left, which
 * may come a moment after the client's exit: waited for, up to 10 s.
 */
async function expectNoLocksLeft(db: TestDatabase): Promise<void> {
  let held: unknown[] = [];
  for (let waited = 0; waited <= 10_000; waited += 100) {
    held = [...(await db.sql`select l.pid, a.application_name, a.state, a.query from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())`)];
    if (held.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(held).toEqual([]);
}

function runAll(dir: string, url: string, runners: number): Promise<CliResult[]> {
  return Promise.all(Array.from({ length: runners }, () => runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: url }, timeoutMs: 120_000 })));
}

describe.skipIf(!hasPgbouncer)("concurrent runners through PgBouncer (skipped where pgbouncer is not installed)", () => {
  for (const runners of [2, 8]) {
    it(`${runners} runners at once through transaction pooling, with no-transaction files: one applies each file once, the others wait for its run, all exit 0, none says interrupted, no lock is left behind`, async () => {
      const s = await scenario(project());
      const url = await throughPgbouncer(s.db.url, { poolMode: "transaction", poolSize: 3 });
      const runs = await runAll(s.dir, url, runners);
      await expectAppliedOnce(s.db, runs);
      await expectNoLocksLeft(s.db);
      const again = await runCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: url } });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain("nothing to apply");
      const status = await s.dbkit(["status", "--check"], { DATABASE_URL: url });
      expect(status.code, status.stdout + status.stderr).toBe(0);
    });
  }

  it("through session pooling 8 runners behave as on a direct connection", async () => {
    const s = await scenario(project());
    const url = await throughPgbouncer(s.db.url, { poolMode: "session", poolSize: 10 });
    const runs = await runAll(s.dir, url, 8);
    await expectAppliedOnce(s.db, runs);
    await expectNoLocksLeft(s.db);
  });

  it("in transaction mode a no-transaction file's running row names the runner's own pinned session: in progress while the runner lives, interrupted once it is killed", async () => {
    const s = await scenario({
      "migrations/0001_items.sql": "create table items (id int, name text);\n",
      // Waits for an advisory lock the test holds: the file is surely under way (an event, not a time).
      "migrations/0002_slow.sql": "-- dbkit:no-transaction\nselect pg_advisory_lock(4244);\nselect pg_advisory_unlock(4244);\n",
    });
    const url = await throughPgbouncer(s.db.url, { poolMode: "transaction", poolSize: 3 });
    const holder = await s.db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(4244)`;
      const child = spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: url } });
      const exit = exitOf(child);
      let owner: { owner_pid: number; owner_application: string } | undefined;
      while (!owner) {
        [owner] = (await holder`select owner_pid, owner_application from dbkit.migrations where name = '0002_slow' and status = 'running' and owner_pid is not null`.catch(() => [])) as typeof owner[];
        if (!owner) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Not whichever pooled session ran the claim: the run lock's connection, which lives as long as the runner.
      expect(owner.owner_application).toBe("dbkit-run-lock");
      const inProgress = await s.dbkit(["status", "--check"], { DATABASE_URL: url });
      expect(inProgress.code, inProgress.stdout + inProgress.stderr).toBe(6);
      expect(inProgress.stdout).toMatch(/0002_slow\s+running \(in progress by pid \d+/);
      child.kill("SIGKILL");
      await exit;
      // PgBouncer closes the server session of a client gone in the middle of a transaction.
      while ((await holder`select 1 from pg_stat_activity where pid = ${owner.owner_pid}`).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const interrupted = await s.dbkit(["migrate"], { DATABASE_URL: url });
      expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(4);
      expect(interrupted.stderr).toContain(`0002_slow is recorded as running and its runner, pid ${owner.owner_pid} (dbkit-run-lock on `);
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });
});
