/** `dbkit down`: the downs of golang-migrate, dbmate and Flyway folders, newest first, each in a transaction. */
import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { json, journalNames, scenario, tableExists } from "../support/scenario.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

async function fixtureScenario(fixture: string, config: Record<string, unknown> = {}) {
  const s = await scenario({ "dbkit.config.json": JSON.stringify(config) });
  await cp(path.join(FIXTURES, fixture), s.dir, { recursive: true });
  const migrated = await s.dbkit(["migrate"]);
  expect(migrated.code, migrated.stderr).toBe(0);
  return s;
}

describe("dbkit down", () => {
  it("golang-migrate: reverts the newest migration by default, then --steps N, and migrate brings them back", async () => {
    const s = await fixtureScenario("golang-migrate");
    const one = await s.dbkit(["down"]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("reverted 1 migration(s): 000003_create_orders");
    expect(await tableExists(s.db, "orders")).toBe(false);
    expect(await journalNames(s.db)).toEqual(["000001_create_users_table", "000002_add_mood_to_users"]);
    const dry = json(await s.dbkit(["down", "--steps", "2", "--dry-run", "--json"]));
    expect(dry.planned.map((step: { name: string }) => step.name)).toEqual(["000002_add_mood_to_users", "000001_create_users_table"]);
    expect(await tableExists(s.db, "users")).toBe(true);
    const two = await s.dbkit(["down", "--steps", "2"]);
    expect(two.code, two.stderr).toBe(0);
    expect(await tableExists(s.db, "users")).toBe(false);
    expect(await journalNames(s.db)).toEqual([]);
    expect((await s.dbkit(["down"])).stdout).toContain("nothing to revert");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await tableExists(s.db, "orders")).toBe(true);
  });

  it("dbmate: --to reverts every migration after it, a transaction:false down statement by statement", async () => {
    const s = await fixtureScenario("dbmate", { migrationsDir: "db/migrations" });
    const result = await s.dbkit(["down", "--to", "20240111120000"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("reverted 2 migration(s): 20240113150000_create_status_type, 20240112080000_index_created_at");
    expect(await journalNames(s.db)).toEqual(["20240110093000_create_schema", "20240111120000_add_accounts_email"]);
    const [left] = await s.db.sql`select to_regclass('app.accounts_created_at_idx') is null as index_gone, to_regtype('app.account_status') is null as type_gone, to_regclass('app.accounts_email_key') is not null as kept`;
    expect(left).toEqual({ index_gone: true, type_gone: true, kept: true });
  });

  it("Flyway: refuses when a migration to revert has no U file, reverting nothing; with one, repeatables stay", async () => {
    const s = await fixtureScenario("flyway", { migrationsDir: "sql" });
    const refused = await s.dbkit(["down", "--steps", "2"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("nothing was reverted: sql/V10__invoice_status.sql: has no down");
    expect(await journalNames(s.db)).toHaveLength(5);
    await writeFile(path.join(s.dir, "sql", "U10__invoice_status.sql"), "ALTER TABLE invoices DROP COLUMN status;\n");
    const reverted = await s.dbkit(["down"]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(reverted.stdout).toContain("reverted 1 migration(s): V10__invoice_status");
    expect(await journalNames(s.db)).toEqual(["R__customer_totals", "V1_1__add_customer_email", "V1__create_customers", "V2__create_invoices"]);
    // U2 drops a table the repeatable's view reads: the server refuses, and V2 stays applied.
    const blocked = await s.dbkit(["down"]);
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toContain("sql/U2__create_invoices.sql:1:1: cannot drop table invoices because other objects depend on it");
    expect(await tableExists(s.db, "invoices")).toBe(true);
  });

  it("a failing down is rolled back and the migration stays applied", async () => {
    const s = await scenario({
      "migrations/000001_a.up.sql": "create table a (id int);\n",
      "migrations/000001_a.down.sql": "drop table a;\n\ndrop table no_such_table;\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["down"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/000001_a.down.sql:3:1: table \"no_such_table\" does not exist");
    expect(result.stderr).toContain("fix the down and run dbkit down again");
    expect(await tableExists(s.db, "a")).toBe(true);
    expect(await journalNames(s.db)).toEqual(["000001_a"]);
  });

  it("refuses a folder format without downs, and a database on another machine without --allow-remote", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const noDowns = await s.dbkit(["down"]);
    expect(noDowns.code).toBe(2);
    expect(noDowns.stderr).toContain("migrations/ is a dbkit folder, which has no down migrations");
    const g = await scenario({ "migrations/000001_a.up.sql": "create table a (id int);\n", "migrations/000001_a.down.sql": "drop table a;\n" });
    const remote = await g.dbkit(["down", "--json"], { DATABASE_URL: "postgres://app:secret@db.example.com:5432/prod" });
    expect(remote.code).toBe(2);
    expect(json(remote).error.code).toBe("DBKIT_DOWN_REMOTE");
    expect(remote.stdout).not.toContain("secret");
  });

  it("runs downs with the project's sessionSettings, in a transaction and statement by statement", async () => {
    // Unqualified names resolve through the configured search_path, as they did when migrate ran them.
    const config = JSON.stringify({ sessionSettings: { search_path: "app" } });
    const golang = await scenario({
      "dbkit.config.json": config,
      "migrations/000001_app.up.sql": "create schema app;\n",
      "migrations/000001_app.down.sql": "drop schema app;\n",
      "migrations/000002_items.up.sql": "create table items (id int);\n",
      "migrations/000002_items.down.sql": "drop table items;\n",
    });
    expect((await golang.dbkit(["migrate"])).code).toBe(0);
    const reverted = await golang.dbkit(["down"]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect([...(await golang.db.sql`select to_regclass('app.items') is null as gone`)]).toEqual([{ gone: true }]);

    const dbmate = await scenario({
      "dbkit.config.json": config,
      "migrations/20240101000000_app.sql": "-- migrate:up\ncreate schema app;\n-- migrate:down\ndrop schema app;\n",
      "migrations/20240102000000_items.sql": "-- migrate:up\ncreate table items (id int);\n-- migrate:down transaction:false\ndrop table items;\n",
    });
    expect((await dbmate.dbkit(["migrate"])).code).toBe(0);
    const outside = await dbmate.dbkit(["down"]);
    expect(outside.code, outside.stderr).toBe(0);
    expect([...(await dbmate.db.sql`select to_regclass('app.items') is null as gone`)]).toEqual([{ gone: true }]);
  });
});
