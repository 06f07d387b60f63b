/** How a folder's format is chosen: the config's `format`, else detection, and the refusals around it. */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { fixtureFiles } from "../support/fixtures.js";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

/** A fixture's files under other folders (`{ drizzle: "src/db/migrations" }` moves drizzle/ there). */
function movedFixture(name: string, moves: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(fixtureFiles(name))) {
    const from = Object.keys(moves).find((folder) => file.startsWith(`${folder}${path.sep}`));
    files[from ? path.join(moves[from]!, file.slice(from.length + 1)) : file] = text;
  }
  return files;
}

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

  it("with no migrations/ and no configuration, the folder another tool's setup names: drizzle-kit's out (drizzle/ by default), dbmate's db/migrations, Flyway's", async () => {
    const cases: { files: Record<string, string>; folder: string; format: string }[] = [
      { files: fixtureFiles("drizzle"), folder: "drizzle", format: "a drizzle-kit" },
      { files: { ...movedFixture("drizzle", { drizzle: "src/db/migrations" }), "drizzle.config.ts": 'import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({\n  dialect: "postgresql",\n  schema: "./src/db/schema.ts",\n  out: "./src/db/migrations",\n});\n' }, folder: "src/db/migrations", format: "a drizzle-kit" },
      { files: fixtureFiles("dbmate"), folder: "db/migrations", format: "a dbmate" },
      { files: { ...movedFixture("dbmate", { "db/migrations": "database/changes" }), ".env": "DBMATE_MIGRATIONS_DIR=./database/changes\n" }, folder: "database/changes", format: "a dbmate" },
      { files: movedFixture("flyway", { sql: "src/main/resources/db/migration" }), folder: "src/main/resources/db/migration", format: "a Flyway" },
      { files: { ...movedFixture("flyway", { sql: "db/flyway" }), "flyway.conf": "flyway.url=jdbc:postgresql://localhost/app\nflyway.locations=filesystem:db/flyway\n" }, folder: "db/flyway", format: "a Flyway" },
    ];
    for (const [index, { files, folder, format }] of cases.entries()) {
      const s = await scenario(files);
      // The helper leaves an empty migrations/ folder: beside another tool's folder it counts as none. Half the cases go without it.
      if (index % 2 === 1) await rm(path.join(s.dir, "migrations"), { recursive: true });
      const status = await s.dbkit(["status"]);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stderr).toContain(`reading ${path.join(...folder.split("/"))}${path.sep} as ${format} folder`);
    }
  });

  it("dbkit init in a drizzle-kit project configures drizzle-kit's folder, and migrate then runs it", async () => {
    const s = await scenario({ ...movedFixture("drizzle", { drizzle: "src/db/migrations" }), "drizzle.config.ts": 'export default {\n  dialect: "postgresql",\n  out: "./src/db/migrations",\n};\n' });
    await rm(path.join(s.dir, "migrations"), { recursive: true });
    const init = await s.dbkit(["init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`found ${path.join("src", "db", "migrations")}: configured to read it as it is`);
    expect(readFileSync(path.join(s.dir, "dbkit.config.json"), "utf8")).toContain('"migrationsDir": "src/db/migrations"');
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect((await journalNames(s.db)).length).toBeGreaterThan(0);
  });

  it("a migrations folder that is not there names the folders below that hold migrations, with the flag", async () => {
    const s = await scenario({ ...movedFixture("golang-migrate", { migrations: "services/api/db/migration" }), "services/api/go.mod": "module example.com/api\n" });
    await rm(path.join(s.dir, "migrations"), { recursive: true });
    const missing = await s.dbkit(["migrate", "--json"]);
    expect(missing.code).toBe(2);
    const shown = path.join("services", "api", "db", "migration");
    expect(json(missing).error).toMatchObject({ code: "DBKIT_DIR_NOT_FOUND", hint: expect.stringContaining(`migrations found in ${shown}`) });
    expect(json(missing).error.hint).toContain(`--migrations-dir ${shown}`);
    const pointed = await s.dbkit(["migrate", "--migrations-dir", shown]);
    expect(pointed.code, pointed.stderr).toBe(0);
  });

  it("a drizzle-kit folder generated for another database (dialect sqlite) is refused before anything runs", async () => {
    const files = fixtureFiles("drizzle");
    const journal = path.join("drizzle", "meta", "_journal.json");
    files[journal] = files[journal]!.replace(/"dialect":\s*"[^"]*"/, '"dialect": "sqlite"');
    expect(files[journal]).toContain('"dialect": "sqlite"');
    const s = await scenario(files);
    const refused = await s.dbkit(["migrate", "--migrations-dir", "drizzle", "--json"]);
    expect(refused.code).toBe(2);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_FORMAT_PROVIDER", message: expect.stringContaining("written for sqlite, not PostgreSQL") });
  });

  it("a migration that changes its tool's own history table (golang-migrate's schema_migrations) fails saying so, not only that the relation is missing", async () => {
    const s = await scenario({
      "migrations/0001_create_projects.up.sql": "CREATE TABLE projects (id serial PRIMARY KEY, name text NOT NULL);\n",
      // Some projects keep their own data version in golang-migrate's table.
      "migrations/0002_data_version.up.sql": "ALTER TABLE schema_migrations ADD COLUMN data_version int;\nALTER TABLE projects ADD COLUMN owner text;\n",
    });
    const failed = await s.dbkit(["migrate", "--json"]);
    expect(failed.code).toBe(4);
    expect(json(failed).error.message).toContain('relation "schema_migrations" does not exist');
    expect(json(failed).error.hint).toContain("schema_migrations is the history table dbmate or golang-migrate keeps for itself, which dbkit does not create");
    expect(await journalNames(s.db)).toEqual(["0001_create_projects"]);
  });

  it("one database, two folders (one per schema, as dbmate's --migrations-table keeps them apart): the second is told its journal is the other's and how to keep one each", async () => {
    const s = await scenario({
      "billing/schema/20240301000000_create_billing.sql": "-- migrate:up\nCREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id serial PRIMARY KEY);\n\n-- migrate:down\nDROP SCHEMA billing CASCADE;\n",
      "scheduling/schema/20240101000000_create_scheduling.sql": "-- migrate:up\nCREATE SCHEMA scheduling;\nCREATE TABLE scheduling.visits (id serial PRIMARY KEY);\n\n-- migrate:down\nDROP SCHEMA scheduling CASCADE;\n",
    });
    expect((await s.dbkit(["migrate", "--migrations-dir", "billing/schema"])).code).toBe(0);
    const refused = await s.dbkit(["migrate", "--migrations-dir", "scheduling/schema", "--json"]);
    expect(refused.code).toBe(5);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_OUT_OF_ORDER", hint: expect.stringContaining("it may be the journal of another folder migrating this database; give each folder a journal of its own with --journal-schema") });
    const own = await s.dbkit(["migrate", "--migrations-dir", "scheduling/schema", "--journal-schema", "dbkit_scheduling"]);
    expect(own.code, own.stderr).toBe(0);
    expect(await tableExists(s.db, "scheduling.visits")).toBe(true);
  });
});
