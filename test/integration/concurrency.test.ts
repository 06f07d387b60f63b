import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { lockKeyFor } from "../../src/db/journal-sql.js";
import { runLockKeyFor, takeRunLock } from "../../src/db/run-lock.js";
import { spawnCli } from "../support/project.js";
import { journalNames, scenario, tableExists } from "../support/scenario.js";

describe("concurrent runners", () => {
  it("two migrate processes at once apply every migration exactly once and both exit 0", async () => {
    const files: Record<string, string> = { "migrations/0000_counter.sql": "create table effects (name text not null);\n" };
    for (let i = 1; i <= 20; i++) {
      const name = `${String(i).padStart(4, "0")}_step`;
      files[`migrations/${name}.sql`] = `insert into effects values ('${name}');\ncreate table t_${i} (id int);\nselect pg_sleep(0.03);\n`;
    }
    const s = await scenario(files);
    const [a, b] = await Promise.all([s.dbkit(["migrate"]), s.dbkit(["migrate"])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await journalNames(s.db)).toHaveLength(21);
    const effects = await s.db.sql`select name, count(*)::int as n from effects group by name`;
    expect(effects).toHaveLength(20);
    expect(effects.every((row) => row.n === 1)).toBe(true);
    // Each process says what it did: applied, or left to the other runner.
    for (const out of [a.stdout, b.stdout]) expect(out).toMatch(/applied \d+ migration\(s\)|nothing to apply/);
    const reported = (a.stdout + b.stdout).match(/^applied \d{4}_\w+/gm) ?? [];
    expect(reported).toHaveLength(21);
  });

  it("a runner that finds a run under way waits for it once and reads the journal again, instead of racing it file by file", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 30; i++) files[`migrations/${String(i).padStart(4, "0")}_step.sql`] = `create table s_${i} (id int);\nselect pg_sleep(0.02);\n`;
    const s = await scenario(files);
    const [a, b] = await Promise.all([s.dbkit(["migrate"]), s.dbkit(["migrate"])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const appliedBy = [a, b].map((run) => (run.stdout.match(/^applied \d{4}_step/gm) ?? []).length).sort((x, y) => x - y);
    // One runner applied every file; the other applied none of them.
    expect(appliedBy).toEqual([0, 30]);
    expect(await journalNames(s.db)).toHaveLength(30);
  });

  it("while another runner's run is under way (it holds the run lock), a runner applies nothing, then plans again from the journal", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table ra (id int);\n", "migrations/0002_b.sql": "create table rb (id int);\n" });
    const holder = await s.db.sql.reserve();
    await holder.unsafe(`select pg_advisory_lock(${runLockKeyFor("dbkit")})`);
    // Like a run at work (behind a pooler an idle holder would count as a lock left behind).
    await holder`begin`;
    const child = spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let running = true;
    void exited.then(() => (running = false));
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk) => ((stderr += chunk), /waiting for it/.test(stderr) && resolve()));
      void exited.then(() => resolve());
    });
    expect(running, stderr).toBe(true);
    expect(await tableExists(s.db, "ra")).toBe(false);
    // The other run "applies" the first file, then ends.
    await s.db.sql`create table ra (id int)`;
    await s.dbkit(["baseline", "--to", "0001_a"]);
    await holder`commit`;
    await holder.unsafe(`select pg_advisory_unlock(${runLockKeyFor("dbkit")})`);
    holder.release();
    expect(await exited).toBe(0);
    expect(stdout).toContain("skipped 0001_a (applied by another runner)");
    expect(stdout).toContain("applied 0002_b");
  });

  it("a runner that waited for another's run lets go of the run lock at once, so other waiters do not queue behind it", async () => {
    const s = await scenario({});
    const key = runLockKeyFor("dbkit");
    const holder = await s.db.sql.reserve();
    await holder.unsafe(`select pg_advisory_lock(${key})`);
    await holder`begin`;
    const second = postgres(s.db.url, { max: 1, onnotice: () => undefined });
    try {
      let waiting!: () => void;
      const saidWaiting = new Promise<void>((resolve) => (waiting = resolve));
      const outcome = takeRunLock(second, key, waiting);
      await saidWaiting;
      await holder`commit`;
      await holder.unsafe(`select pg_advisory_unlock(${key})`);
      expect(await outcome).toBe("waited");
      // Free for the next: the waiter does not hold it (before, each waiter held it until it exited).
      const [free] = await holder.unsafe(`select pg_try_advisory_lock(${key}) as locked`);
      expect(free?.locked).toBe(true);
      await holder.unsafe(`select pg_advisory_unlock(${key})`);
    } finally {
      holder.release();
      await second.end();
    }
  });

  it("on a direct connection a run-lock holder idle outside any transaction is a live runner: waited for, not taken for a lock a pooler left behind", async () => {
    const s = await scenario({});
    const key = runLockKeyFor("dbkit");
    const holder = await s.db.sql.reserve();
    await holder.unsafe(`select pg_advisory_lock(${key})`);
    const real = postgres(s.db.url, { max: 1, onnotice: () => undefined });
    try {
      // Counts the waiter's probes: 16 of them is more than the 12 idle polls that count as stale behind a pooler.
      let probes = 0;
      let enough!: () => void;
      const sixteen = new Promise<void>((resolve) => (enough = resolve));
      const counting = { unsafe: (query: string) => (++probes >= 16 && enough(), real.unsafe(query)) } as unknown as Parameters<typeof takeRunLock>[0];
      const outcome = takeRunLock(counting, key, () => undefined);
      const first = await Promise.race([sixteen.then(() => "still waiting"), outcome]);
      expect(first).toBe("still waiting");
      await holder.unsafe(`select pg_advisory_unlock(${key})`);
      expect(await outcome).toBe("waited");
    } finally {
      holder.release();
      await real.end();
    }
  });

  it("runs no file while another session holds the migration lock, says it waits, then applies them all", async () => {
    const s = await scenario({
      "migrations/0001_a.sql": "create table a (id int);\n",
      "migrations/0002_b.sql": "create table b (id int);\n",
      "migrations/0003_c.sql": "create table c (id int);\n",
    });
    await s.dbkit(["migrate", "--to", "0001_a"]);
    // Sent with the first file in one round trip, the guard must stop that file from running.
    const holder = await s.db.sql.reserve();
    await holder.unsafe(`select pg_advisory_lock(${lockKeyFor("dbkit")})`);
    const running = s.dbkit(["migrate"]);
    await sleep(1500);
    expect(await tableExists(s.db, "b")).toBe(false);
    expect(await journalNames(s.db)).toEqual(["0001_a"]);
    await holder.unsafe(`select pg_advisory_unlock(${lockKeyFor("dbkit")})`);
    holder.release();
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("another dbkit runner holds the migration lock; waiting for it");
    expect(await journalNames(s.db)).toEqual(["0001_a", "0002_b", "0003_c"]);
  });
});
