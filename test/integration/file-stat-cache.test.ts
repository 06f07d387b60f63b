import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FRESH_MS } from "../../src/fs/file-stat-cache.js";
import { json, scenario, tableExists } from "../support/scenario.js";

/** Waits (on the clock, not a window: nothing races it) until `dir` and every file in it are old enough to be recorded. */
async function ageFiles(dir: string): Promise<void> {
  const newest = Math.max(...[dir, ...readdirSync(dir).map((name) => path.join(dir, name))].map((file) => Number(statSync(file, { bigint: true }).ctimeNs / 1_000_000n)));
  const wait = newest + FRESH_MS + 100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

describe("no-op runs from the file stat cache", () => {
  it("records unchanged files, applies a cached pending file with its text, and catches a same-size edit with the mtime set back", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n", "migrations/0002_b.sql": "create table b (id int);\n" });
    const migrations = path.join(s.dir, "migrations");
    // Whole seconds, which utimes can set back exactly.
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    for (const name of readdirSync(migrations)) utimesSync(path.join(migrations, name), time, time);
    expect((await s.dbkit(["migrate", "--to", "0001_a"])).code).toBe(0);
    await ageFiles(migrations);

    // status records both files; migrate then applies 0002 from the cache, its text read on demand.
    expect(json(await s.dbkit(["status", "--json"])).entries.map((e: { state: string }) => e.state)).toEqual(["applied", "pending"]);
    const cacheFile = readdirSync(path.join(s.dir, ".dbkit", "file-stats")).find((name) => !name.endsWith(".listing.json"));
    expect((JSON.parse(readFileSync(path.join(s.dir, ".dbkit", "file-stats", cacheFile!), "utf8")) as { names: string[] }).names).toHaveLength(2);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await tableExists(s.db, "b")).toBe(true);
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);

    // The same size, the mtime set back to what was recorded: ctime still moves.
    const file = path.join(migrations, "0001_a.sql");
    writeFileSync(file, "create table z (id int);\n");
    utimesSync(file, time, time);
    const status = await s.dbkit(["status"]);
    expect(status.stdout).toMatch(/0001_a\s+changed/);
    expect((await s.dbkit(["status", "--check"])).code).toBe(5);
    const migrate = await s.dbkit(["migrate"]);
    expect(migrate.code).toBe(5);
    expect(migrate.stderr).toMatch(/changed since they were applied/);
  });

  it("notices a file added to a folder whose listing was recorded, and a .sql file added to a sub-folder", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n", "migrations/archive/notes.txt": "old files go here\n" });
    const migrations = path.join(s.dir, "migrations");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await ageFiles(migrations);
    await ageFiles(path.join(migrations, "archive"));
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
    // A file in a sub-folder changes the sub-folder, not the folder: it must not be missed.
    writeFileSync(path.join(migrations, "archive", "0002_old.sql"), "create table old (id int);\n");
    const refused = await s.dbkit(["status"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/archive.0002_old\.sql/);
    rmSync(path.join(migrations, "archive"), { recursive: true });
    await ageFiles(migrations);
    // Recorded now (no sub-folder, old enough); a new file moves the folder's stat.
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
    expect(readdirSync(path.join(s.dir, ".dbkit", "file-stats")).some((name) => name.endsWith(".listing.json"))).toBe(true);
    writeFileSync(path.join(migrations, "0002_b.sql"), "create table b (id int);\n");
    expect(json(await s.dbkit(["status", "--json"])).entries.map((e: { name: string; state: string }) => `${e.name} ${e.state}`)).toEqual(["0001_a applied", "0002_b pending"]);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await tableExists(s.db, "b")).toBe(true);
  });
});
