/** Places where the README and dbkit once disagreed; each now says the same as the other. */
import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { json, scenario } from "../support/scenario.js";

const FILES = {
  "migrations/0001_users.sql": "create table users (id int primary key);\n",
  "migrations/0002_posts.sql": "create table posts (id int primary key);\n",
};

describe("README promises", () => {
  it("an applied file removed: migrate warns and exits 0, status --check exits 5 (README: Exit codes)", async () => {
    const s = await scenario(FILES);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await rm(`${s.dir}/migrations/0002_posts.sql`);
    const migrate = await s.dbkit(["migrate"]);
    expect(migrate.code).toBe(0);
    expect(migrate.stderr).toContain("0002_posts is recorded as applied but its file is gone");
    expect((await s.dbkit(["status", "--check"])).code).toBe(5);
  });

  it("a journal dropped by hand: the hint points at baseline, not at fixing the migration", async () => {
    const s = await scenario(FILES);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql`drop table dbkit.migrations`;
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(4);
    const { error } = json(result);
    expect(error.details.sqlstate).toBe("42P07");
    expect(error.hint).toContain("dbkit baseline --to");
    expect(error.hint).not.toContain("fix the migration");
  });

  it("--lock-retries -1 says what a valid count is", async () => {
    const s = await scenario(FILES);
    const result = await s.dbkit(["migrate", "--lock-retries", "-1", "--json"]);
    expect(result.code).toBe(2);
    expect(json(result).error.message).toContain("lockRetries: must be 0 or a positive whole number");
  });
});
