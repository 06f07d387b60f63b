/** How a folder's format is chosen: the config's `format`, else detection, and the refusals around it. */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { journalNames, json, scenario } from "../support/scenario.js";

describe("the folder format", () => {
  it("format in dbkit.config.json reads an underscore-named postgres-migrations folder with its marker", async () => {
    const s = await scenario({
      "dbkit.config.json": JSON.stringify({ format: "postgres-migrations" }),
      "migrations/1_create-table.sql": "create table t (id int);\n",
      "migrations/2_index.sql": "-- postgres-migrations disable-transaction\ncreate index concurrently t_id on t (id);\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("reading migrations/ as a postgres-migrations folder");
    expect(await journalNames(s.db)).toEqual(["1_create-table", "2_index"]);
  });

  it("refuses a folder with two formats' marks, asking for format", async () => {
    const s = await scenario({ "migrations/V1__init.sql": "select 1;\n", "migrations/000001_init.up.sql": "select 1;\n" });
    const result = await s.dbkit(["status", "--json"]);
    expect(result.code).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_AMBIGUOUS_FORMAT", hint: 'set "format" in dbkit.config.json to one of: golang-migrate, flyway' });
  });

  it("refuses postgres-migrations' .js migrations and a down with no migration, instead of skipping them", async () => {
    const js = await scenario({ "migrations/0001-init.sql": "select 1;\n", "migrations/0002-data.js": "module.exports.generateSql = () => 'select 1'\n" });
    const refused = await js.dbkit(["migrate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("1 file(s) in migrations would not be read as a postgres-migrations folder: 0002-data.js");
    const orphan = await scenario({ "migrations/000001_a.up.sql": "select 1;\n", "migrations/000002_b.down.sql": "select 1;\n" });
    const result = await orphan.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("000002_b.down.sql (a down with no migration of version 2)");
  });

  it("rejects an unknown format in the config, listing the known ones", async () => {
    const s = await scenario({ "dbkit.config.json": JSON.stringify({ format: "liquibase" }), "migrations/0001_a.sql": "select 1;\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("format");
    expect(result.stderr).toContain("golang-migrate");
  });
});

describe("verify on other tools' folders", () => {
  it("builds the expected schema from what migrate runs: dbmate's up sections, golang-migrate's up files", async () => {
    const folders: Record<string, string>[] = [
      { "migrations/20240101000000_a.sql": "-- migrate:up\ncreate table a (id int);\n\n-- migrate:down\ndrop table a;\n", "migrations/20240102000000_b.sql": "-- migrate:up\nalter table a add column b text;\n-- migrate:down\nalter table a drop column b;\n" },
      { "migrations/000001_a.up.sql": "BEGIN;\ncreate table a (id int);\nCOMMIT;\n", "migrations/000001_a.down.sql": "drop table a;\n" },
    ];
    for (const files of folders) {
      const s = await scenario(files);
      expect((await s.dbkit(["migrate"])).code).toBe(0);
      const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      await s.db.sql`create table extra (id int)`;
      expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(5);
    }
  });
});
