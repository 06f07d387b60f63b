/** `dbkit new` in other tools' folders writes the files those tools would, which dbkit then reads. */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { journalNames, scenario } from "../support/scenario.js";

describe("dbkit new in other tools' folders", () => {
  it("golang-migrate: an .up.sql and a .down.sql with the next version, which migrate and down then run", async () => {
    const s = await scenario({ "migrations/000001_init.up.sql": "create table a (id int);\n", "migrations/000001_init.down.sql": "drop table a;\n" });
    const created = await s.dbkit(["new", "add b"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim().split("\n")).toEqual(["migrations/000002_add_b.up.sql", "migrations/000002_add_b.down.sql"]);
    await writeFile(path.join(s.dir, "migrations/000002_add_b.up.sql"), "create table b (id int);\n");
    await writeFile(path.join(s.dir, "migrations/000002_add_b.down.sql"), "drop table b;\n");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await journalNames(s.db)).toEqual(["000001_init", "000002_add_b"]);
    expect((await s.dbkit(["down"])).code).toBe(0);
    expect(await journalNames(s.db)).toEqual(["000001_init"]);
  });

  it("dbmate, Flyway and postgres-migrations: their own names and markers; drizzle: refused, naming drizzle-kit", async () => {
    const dbmate = await scenario({ "migrations/20240101000000_init.sql": "-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n" });
    const made = await dbmate.dbkit(["new", "add b"]);
    expect(made.code, made.stderr).toBe(0);
    expect(await readFile(path.join(dbmate.dir, made.stdout.trim()), "utf8")).toContain("-- migrate:up\n\n\n-- migrate:down\n");

    const flyway = await scenario({ "migrations/V1__init.sql": "select 1;\n", "migrations/V1_1__more.sql": "select 1;\n", "migrations/R__views.sql": "select 1;\n" });
    expect((await flyway.dbkit(["new", "orders"])).stdout.trim()).toBe("migrations/V2__orders.sql");

    const hyphens = await scenario({ "migrations/0001-initialise.sql": "select 1;\n" });
    expect((await hyphens.dbkit(["new", "add buckets"])).stdout.trim()).toBe("migrations/0002-add-buckets.sql");
    expect((await hyphens.dbkit(["migrate"])).code).toBe(0);

    const drizzle = await scenario({ "migrations/0000_init.sql": "select 1;\n", "migrations/meta/_journal.json": JSON.stringify({ entries: [{ idx: 0, tag: "0000_init", when: 1 }] }) });
    const refused = await drizzle.dbkit(["new", "x"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("drizzle-kit generate");
    expect((await readdir(path.join(drizzle.dir, "migrations"))).sort()).toEqual(["0000_init.sql", "meta"]);
  });
});
