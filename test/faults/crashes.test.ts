import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/databases.js";
import { serverUrl } from "../support/databases.js";
import { exitOf } from "../support/child-events.js";
import { spawnCli } from "../support/project.js";
import { scenario } from "../support/scenario.js";

/** Full counts with `npm run test:faults`; a reduced count in the default run keeps CI short. */
const KILLS = Number(process.env.DBKIT_FAULT_KILLS ?? 6);

function numbered(count: number, body: (i: number, name: string) => string): Record<string, string> {
  const files: Record<string, string> = { "migrations/0000_effects.sql": "create table effects (name text not null);\n" };
  for (let i = 1; i <= count; i++) {
    const name = `${String(i).padStart(4, "0")}_step`;
    files[`migrations/${name}.sql`] = body(i, name);
  }
  return files;
}

/**
 * Every migration recorded has all its effects; no unrecorded migration has any. Read in one
 * snapshot: a killed run's server session goes on with the files it had already received (dbkit
 * sends files ahead), so separate reads could straddle one of its commits.
 */
async function expectAllOrNothing(db: TestDatabase): Promise<number> {
  // A transaction runs the same tagged queries; its type lacks only the pool's members.
  return db.sql.begin("isolation level repeatable read read only", async (tx) => checkAllOrNothing(tx as unknown as TestDatabase["sql"]));
}

async function checkAllOrNothing(sql: TestDatabase["sql"]): Promise<number> {
  const [journal] = await sql`select to_regclass('dbkit.migrations') is not null as exists`;
  const recorded = new Set(journal?.exists ? (await sql`select name from dbkit.migrations where name <> '0000_effects'`).map((r) => r.name as string) : []);
  const [exists] = await sql`select to_regclass('effects') is not null as exists`;
  const effects = exists?.exists ? (await sql`select name, count(*)::int as n from effects group by name`).map((r) => [r.name as string, r.n as number] as const) : [];
  for (const [name, n] of effects) {
    expect(recorded.has(name), `${name} has an effect but is not recorded`).toBe(true);
    expect(n, `${name} applied ${n} times`).toBe(1);
  }
  const tables = new Set((await sql`select relname from pg_class where relname like 't\\_%' and relkind = 'r'`).map((r) => r.relname as string));
  for (const name of recorded) {
    expect(effects.some(([effect]) => effect === name), `${name} is recorded without its insert`).toBe(true);
    expect(tables.has(`t_${Number(name.slice(0, 4))}`), `${name} is recorded without its table`).toBe(true);
  }
  return recorded.size;
}

describe("crashes and concurrent runners", () => {
  it("16 migrate processes at once apply 50 migrations exactly once, all exit 0 and say what they did", async () => {
    const s = await scenario(numbered(50, (i, name) => `insert into effects values ('${name}');\ncreate table t_${i} (id int);\n`));
    const runs = await Promise.all(Array.from({ length: 16 }, () => exitOf(spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } }))));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/applied \d+ migration\(s\)|nothing to apply/);
    }
    expect(await expectAllOrNothing(s.db)).toBe(50);
    const applied = runs.flatMap((run) => run.stdout.match(/^applied \d{4}_\w+/gm) ?? []);
    expect(applied).toHaveLength(51);
    expect(new Set(applied).size).toBe(51);
  }, 120_000);

  it(`SIGKILL at random moments (${KILLS} times) never leaves a half-applied migration; the next run finishes`, async () => {
    const s = await scenario(numbered(200, (i, name) => `insert into effects values ('${name}');\ncreate table t_${i} (id int, note text default 'x');\ncreate index on t_${i} (id);\n`));
    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
      const exit = exitOf(child);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      child.kill("SIGKILL");
      await exit;
      await expectAllOrNothing(s.db);
    }
    const final = await exitOf(spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } }));
    expect(final.code, final.stderr).toBe(0);
    expect(await expectAllOrNothing(s.db)).toBe(200);
  }, 300_000);

  it("a SIGKILL during a no-transaction migration leaves it `running`; status and migrate say so; resolve clears it", async () => {
    // The statement waits for an advisory lock the test holds: killed while it surely runs, and
    // its server session stays until the test lets it go (events, no time window).
    const s = await scenario({
      "migrations/0001_t.sql": "create table t (id int);\n",
      "migrations/0002_nt.sql": "-- dbkit:no-transaction\ncreate index concurrently t_id_idx on t (id);\nselect pg_advisory_lock(4243);\n",
      "migrations/0003_after.sql": "create table after_nt (id int);\n",
    });
    const holder = await s.db.sql.reserve();
    await holder`select pg_advisory_lock(4243)`;
    const child = spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    const exit = exitOf(child);
    for (;;) {
      const [row] = await holder`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 4243 and not granted`;
      if (row?.n) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exit;
    const [row] = await holder`select status, owner_pid from dbkit.migrations where name = '0002_nt'`;
    expect(row?.status).toBe("running");
    // Its server session still waits for the lock: the run is in progress (status --check: pending).
    const inProgress = await s.dbkit(["status", "--check"]);
    expect(inProgress.code, inProgress.stdout + inProgress.stderr).toBe(6);
    expect(inProgress.stdout).toMatch(/0002_nt\s+running \(in progress by pid \d+/);
    // Let go, the session finishes the statement, finds its client gone and ends.
    await holder`select pg_advisory_unlock(4243)`;
    holder.release();
    while ((await s.db.sql`select 1 from pg_stat_activity where pid = ${row!.owner_pid}`).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));

    const status = await s.dbkit(["status", "--check"]);
    expect(status.code).toBe(5);
    expect(status.stdout).toMatch(/0002_nt\s+running/);
    const blocked = await s.dbkit(["migrate"]);
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toMatch(/0002_nt is recorded as running and its runner, pid \d+ \(dbkit on [^)]+\), is gone: a no-transaction migration was interrupted and may be partly applied/);
    expect(blocked.stderr).toContain("dbkit resolve 0002_nt --applied");

    expect((await s.dbkit(["resolve", "0002_nt", "--applied"])).code).toBe(0);
    const finished = await s.dbkit(["migrate"]);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain("applied 0003_after");
  }, 60_000);

  it("status and verify running in a loop during migrate never block it and never see a half-applied migration", async () => {
    const s = await scenario(numbered(40, (i, name) => `insert into effects values ('${name}');\ncreate table t_${i} (id int);\nselect pg_sleep(0.02);\n`));
    await writeFile(`${s.dir}/migrations/0000_effects.sql`, "create table effects (name text not null);\n");
    const migrate = exitOf(spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } }));
    let done = false;
    void migrate.then(() => (done = true));
    let reads = 0;
    while (!done) {
      const [status, verify] = await Promise.all([
        exitOf(spawnCli(["status", "--json"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } })),
        exitOf(spawnCli(["verify", "--json", "--shadow-url", serverUrl()], { cwd: s.dir, env: { DATABASE_URL: s.db.url } })),
      ]);
      expect(status.code, status.stderr).toBe(0);
      expect([0, 5], verify.stderr).toContain(verify.code);
      // verify reads one snapshot: whatever it saw applied, it saw whole.
      const findings = (JSON.parse(verify.stdout).findings as { section: string; object: string }[]).filter((f) => f.section === "Tables");
      const unapplied = new Set((JSON.parse(verify.stdout).findings as { section: string; object: string; message: string }[]).filter((f) => f.section === "History" && f.message === "not applied").map((f) => Number(f.object.slice(0, 4))));
      for (const finding of findings) expect(unapplied.has(Number(/t_(\d+)/.exec(finding.object)?.[1]))).toBe(true);
      await expectAllOrNothing(s.db);
      reads++;
    }
    const result = await migrate;
    expect(result.code, result.stderr).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(await expectAllOrNothing(s.db)).toBe(40);
  }, 120_000);

  it("a lock released while dbkit waits to retry: the retry applies the migration", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table held (id int);\n" });
    await s.dbkit(["migrate"]);
    await writeFile(`${s.dir}/migrations/0002_b.sql`, "alter table held add column name text;\n");
    const holder = await s.db.sql.reserve();
    await holder`begin`;
    await holder`lock table held in access exclusive mode`;
    const child = spawnCli(["migrate", "--lock-timeout", "500ms", "--lock-retries", "5"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    const run = exitOf(child);
    // Released once dbkit says it waits to retry (an event, not a guess at how long that takes).
    await new Promise<void>((resolve) => {
      let seen = "";
      child.stderr!.on("data", (chunk) => {
        seen += chunk;
        if (/retrying in/.test(seen)) resolve();
      });
      child.on("close", () => resolve());
    });
    await holder`rollback`;
    holder.release();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/0002_b: lock timeout; blocked by pid \d+/);
    expect(result.stdout).toContain("applied 0002_b");
  }, 60_000);
});
