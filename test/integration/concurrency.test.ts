import { describe, expect, it } from "vitest";
import { journalNames, scenario } from "../support/scenario.js";

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
});
