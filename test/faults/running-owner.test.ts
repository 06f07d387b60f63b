/**
 * A no-transaction migration being applied by one runner is work in progress for every other
 * runner and for status: waited for, not reported as interrupted. Only a `running` row whose
 * runner's session is gone is an interrupted migration. Every wait below is on an event (a row,
 * a message, a process exit), never on a clock.
 */
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/databases.js";
import { spawnCli } from "../support/project.js";
import { journalNames, scenario } from "../support/scenario.js";

const FILES = {
  "migrations/0001_items.sql": "create table items (id int, name text);\n",
  // The test holds advisory lock 4242, so this statement waits until the test lets it go.
  "migrations/0002_slow.sql": "-- dbkit:no-transaction\nselect pg_advisory_lock(4242);\nselect pg_advisory_unlock(4242);\ncreate index concurrently items_name_idx on items (name);\n",
  "migrations/0003_after.sql": "create table after_slow (id int);\n",
};

function run(dir: string, url: string, args: string[]) {
  const child = spawnCli(args, { cwd: dir, env: { DATABASE_URL: url } });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.pattern.test(stderr + stdout)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  };
  child.stdout!.on("data", (c) => ((stdout += c), check()));
  child.stderr!.on("data", (c) => ((stderr += c), check()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    done,
    /** Resolves when the output matches (or the process ended). */
    says: (pattern: RegExp) => new Promise<void>((resolve) => (waiters.push({ pattern, resolve }), check(), void done.then(() => resolve()))),
  };
}

async function untilRunning(db: TestDatabase, name: string): Promise<number> {
  for (;;) {
    const [row] = await db.sql.unsafe(`select owner_pid from dbkit.migrations where name = $1 and status = 'running'`, [name]).catch(() => []);
    if (row?.owner_pid) return row.owner_pid as number;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a no-transaction migration in progress", () => {
  it("a second runner waits for it and finishes; status --check says in progress (pending, exit 6), not drift", async () => {
    const s = await scenario(FILES);
    const holder = await s.db.sql.reserve();
    await holder`select pg_advisory_lock(4242)`;
    const first = run(s.dir, s.db.url, ["migrate", "--lock-timeout", "0"]);
    const ownerPid = await untilRunning(s.db, "0002_slow");

    const status = await s.dbkit(["status", "--check"]);
    expect(status.code, status.stdout + status.stderr).toBe(6);
    expect(status.stdout).toMatch(new RegExp(`0002_slow\\s+running \\(in progress by pid ${ownerPid} \\(dbkit on `));

    const second = run(s.dir, s.db.url, ["migrate", "--lock-timeout", "0"]);
    await second.says(/0002_slow is being applied by pid \d+/);
    await holder`select pg_advisory_unlock(4242)`;
    holder.release();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).not.toContain("interrupted");
    expect(await journalNames(s.db)).toEqual(["0001_items", "0002_slow", "0003_after"]);
  });

  it("a running row whose runner's session is gone is reported as interrupted, naming the runner", async () => {
    const s = await scenario(FILES);
    const holder = await s.db.sql.reserve();
    await holder`select pg_advisory_lock(4242)`;
    const first = run(s.dir, s.db.url, ["migrate", "--lock-timeout", "0"]);
    const ownerPid = await untilRunning(s.db, "0002_slow");
    first.child.kill("SIGKILL");
    await first.done;
    // The killed runner's backend still waits on the lock: the second runner must wait too.
    const second = run(s.dir, s.db.url, ["migrate", "--lock-timeout", "0"]);
    await second.says(/0002_slow is being applied by pid \d+/);
    await s.db.sql`select pg_terminate_backend(${ownerPid})`;
    const b = await second.done;
    expect(b.code).toBe(4);
    expect(b.stderr).toMatch(new RegExp(`0002_slow is recorded as running and its runner, pid ${ownerPid} \\(dbkit on [^)]+\\), is gone`));
    await holder`select pg_advisory_unlock(4242)`;
    holder.release();
    expect((await s.dbkit(["status", "--check"])).code).toBe(5);
  });

  it("a runner that meets another runner's no-transaction file in progress in the middle of its run waits for it, then skips it (no interrupted)", async () => {
    // The other runner works without the run lock (an older dbkit, or a run lock found stale):
    // played by the test, which claims 0002_nt while this runner is inside 0001_wait.
    const s = await scenario({
      "migrations/0000_first.sql": "create table first (id int);\n",
      "migrations/0001_wait.sql": "select pg_advisory_xact_lock(4242);\n",
      "migrations/0002_nt.sql": "-- dbkit:no-transaction\ncreate table nt (id int);\n",
      "migrations/0003_after.sql": "create table after_nt (id int);\n",
    });
    expect((await s.dbkit(["migrate", "--to", "0000_first"])).code).toBe(0);
    // The test database's pool has two connections: both are taken here.
    const holder = await s.db.sql.reserve();
    const other = await s.db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(4242)`;
      const runner = run(s.dir, s.db.url, ["migrate"]);
      for (;;) {
        const [waiting] = await holder`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 4242 and not granted`;
        if (waiting?.n) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await other`insert into dbkit.migrations (name, version, kind, checksum, status, dbkit_version, owner_pid, owner_application, owner_started)
        select '0002_nt', '0002', 'migration', 'x', 'running', 'other', pid, 'other-runner', backend_start from pg_stat_activity where pid = pg_backend_pid()`;
      await holder`select pg_advisory_unlock(4242)`;
      await runner.says(/waiting for it/);
      await other`create table nt (id int)`;
      await other`update dbkit.migrations set status = 'applied' where name = '0002_nt'`;
      const done = await runner.done;
      expect(done.code, done.stdout + done.stderr).toBe(0);
      expect(done.stdout + done.stderr).not.toMatch(/interrupted/);
      expect(done.stdout).toContain("skipped 0002_nt (applied by another runner)");
      expect(done.stdout).toContain("applied 0003_after");
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
      other.release();
    }
  });
});
