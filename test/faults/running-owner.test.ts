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
});
