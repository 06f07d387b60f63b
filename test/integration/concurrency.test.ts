import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { lockKeyFor } from "../../src/db/journal-sql.js";
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
