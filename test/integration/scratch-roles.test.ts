/**
 * Roles belong to a server, not to a database: a build on dbkit's own scratch server drops the
 * roles it created with its database, so the next build runs the same unguarded CREATE ROLE again
 * (the other side of a diff, the next verify).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scenario } from "../support/scenario.js";

const ROLE_AND_TABLE = "create role dbkit_scratch_reader nologin;\ncreate table public.a (id int primary key);\ngrant select on public.a to dbkit_scratch_reader;\n";

describe("roles created by a scratch build", () => {
  it("dbkit diff builds a schema folder and migrations that both create the role", async () => {
    const s = await scenario({ "migrations/0001_init.sql": ROLE_AND_TABLE, "schema/init.sql": ROLE_AND_TABLE + "create table public.b (id int);\n" });
    const result = await s.dbkit(["diff", "add b"], { DATABASE_URL: "" });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("proven: the migration gives the declared schema (0 differences)");
    expect(readdirSync(path.join(s.dir, "migrations"))).toContain("0002_add_b.sql");
  });

  it("verify --no-cache builds such migrations again on the next run", async () => {
    const s = await scenario({ "migrations/0001_init.sql": ROLE_AND_TABLE.replace(/dbkit_scratch_reader/g, "dbkit_scratch_reader2") });
    const env = { DATABASE_URL: "" };
    expect((await s.dbkit(["migrate"], env)).code).toBe(0);
    for (const run of [1, 2]) {
      const verified = await s.dbkit(["verify", "--no-cache"], env);
      expect(verified.code, `run ${run}: ${verified.stdout}${verified.stderr}`).toBe(0);
    }
    expect(existsSync(path.join(s.dir, ".dbkit", "scratch", "data", "postmaster.pid"))).toBe(false);
  });
});
