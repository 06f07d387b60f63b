import { describe, expect, it } from "vitest";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

const FILES = {
  "migrations/20250101000000_a.sql": "create table a (id int);\n",
  "migrations/20250102000000_b.sql": "create table b (id int);\n",
  "migrations/20250103000000_c.sql": "create table c (id int);\n",
};

describe("adopting a database built before dbkit", () => {
  it("baseline --to records migrations as applied without running them", async () => {
    const s = await scenario(FILES);
    await s.db.sql.unsafe("create table a (id int); create table b (id int);"); // built by hand before dbkit
    const dry = await s.dbkit(["baseline", "--to", "20250102000000_b", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("would record 2 migration(s)");
    expect(await tableExists(s.db, "dbkit.migrations")).toBe(false);

    const done = await s.dbkit(["baseline", "--to", "20250102000000_b", "--json"]);
    expect(json(done)).toMatchObject({ command: "baseline", recorded: ["20250101000000_a", "20250102000000_b"] });
    const rows = await s.db.sql`select name, resolution, execution_ms from dbkit.migrations order by name`;
    expect(rows).toEqual([
      { name: "20250101000000_a", resolution: "baselined", execution_ms: null },
      { name: "20250102000000_b", resolution: "baselined", execution_ms: null },
    ]);
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain("applied 1 migration(s)");
    expect(await tableExists(s.db, "c")).toBe(true);
    expect((await s.dbkit(["baseline", "--to", "20250102000000_b"])).stdout).toContain("nothing to baseline");
  });

  it("baseline refuses an unknown --to", async () => {
    const s = await scenario(FILES);
    const result = await s.dbkit(["baseline", "--to", "20990101000000_nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no migration has that name or version");
  });

  it("import supabase records what the Supabase CLI applied and reports what does not match", async () => {
    const s = await scenario(FILES);
    await s.db.sql.unsafe(`
      create table a (id int); create table b (id int);
      create schema supabase_migrations;
      create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
      insert into supabase_migrations.schema_migrations values ('20250101000000', null, 'a'), ('20250102000000', null, 'b'), ('20259999999999', null, 'hotfix');`);
    const result = await s.dbkit(["import", "supabase", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result)).toMatchObject({
      command: "import",
      recorded: ["20250101000000_a", "20250102000000_b"],
      versionsWithoutFile: ["20259999999999_hotfix"],
      filesWithoutVersion: ["20250103000000_c"],
      warnings: ["the Supabase CLI's history has 20259999999999_hotfix, but no local file matches it"],
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.stdout).toContain("applied 20250103000000_c");
    expect(await journalNames(s.db)).toHaveLength(3);
  });

  it("import supabase says so when there is no Supabase history", async () => {
    const s = await scenario(FILES);
    const result = await s.dbkit(["import", "supabase"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no supabase_migrations.schema_migrations table");
  });
});
