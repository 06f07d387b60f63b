/** Writing the newest migration on a local database: redo, accepting a reviewed edit, and empty files. */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { journalNames, json, scenario } from "../support/scenario.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

async function columnsOf(db: { sql: any }, table: string): Promise<string[]> {
  const rows = await db.sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table} order by ordinal_position`;
  return rows.map((row: { column_name: string }) => row.column_name);
}

describe("local iteration on the newest migration", () => {
  it("redo rebuilds to the previous migration and applies the edited newest one", async () => {
    const s = await scenario(FILES);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql`insert into a values (1)`;
    writeFileSync(path.join(s.dir, "migrations/0002_b.sql"), "create table b (id int, name text);\n");
    const refused = await s.dbkit(["migrate"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("dbkit redo");
    expect(refused.stderr).toContain("--accept-checksum");

    const redo = await s.dbkit(["redo"]);
    expect(redo.code, redo.stderr).toBe(0);
    expect(redo.stdout).toContain("redo: rebuilt up to 0001_a, then applied 0002_b as it is now");
    expect(await columnsOf(s.db, "b")).toEqual(["id", "name"]);
    expect(await s.db.sql`select * from a`).toHaveLength(0); // rebuilt: a local database's data goes
    expect(await journalNames(s.db)).toEqual(["0001_a", "0002_b"]);
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
  });

  it("redo refuses a database on another machine, before connecting", async () => {
    const dir = await createProject(FILES);
    const result = await runCli(["redo", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://app:Secret1@db.example.com:5432/prod" } });
    expect(result.code).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_REDO_REMOTE", message: expect.stringContaining("db.example.com: it is not on this machine") });
  });

  it("resolve --accept-checksum records a reviewed edit's checksum, with who and when", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate"]);
    const [before] = await s.db.sql`select checksum from dbkit.migrations where name = '0001_a'`;
    writeFileSync(path.join(s.dir, "migrations/0001_a.sql"), "-- reviewed: comment added after the fact\ncreate table a (id int);\n");
    expect((await s.dbkit(["migrate"])).code).toBe(5);
    const accepted = await s.dbkit(["resolve", "0001_a", "--accept-checksum"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain("0001_a: recorded its new checksum");
    const migrate = await s.dbkit(["migrate"]);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain("nothing to apply");
    const [row] = await s.db.sql`select checksum, resolved_by, resolved_at is not null as resolved from dbkit.migrations where name = '0001_a'`;
    expect(row).toMatchObject({ resolved_by: "postgres", resolved: true });
    expect(row!.checksum).not.toBe(before!.checksum);
    const history = await s.db.sql`select name, resolution, checksum, resolved_by from dbkit.resolutions`;
    expect(history).toEqual([{ name: "0001_a", resolution: "accepted-checksum", checksum: before!.checksum, resolved_by: "postgres" }]);
    expect((await s.dbkit(["resolve", "0001_a", "--accept-checksum"])).code).toBe(2); // nothing left to accept
  });

  it("a file made by dbkit new and left empty is refused as empty, not applied", async () => {
    const s = await scenario(FILES);
    const created = await s.dbkit(["new", "add", "profiles"]);
    expect(created.code).toBe(0);
    const file = created.stdout.trim();
    expect(readFileSync(path.join(s.dir, file), "utf8")).toContain("-- Migration: add profiles");
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: is empty: it holds only the header dbkit new wrote`);
    expect(await journalNames(s.db).catch(() => [])).toEqual([]);
    writeFileSync(path.join(s.dir, file), `${readFileSync(path.join(s.dir, file), "utf8")}create table profiles (id int);\n`);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
  });
});
