/**
 * The yardstick of bench:sizes' cold verify row (bench/migra-route.mjs), with a stand-in for migra:
 * the route builds every migration, in name order and in one transaction, into a scratch database
 * of the server, gives migra the live database and that one, fails when migra prints a difference,
 * and drops the scratch database whatever happened. Skipped where psql is not installed.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIFFERENT, writeMigraRoute } from "../../bench/migra-route.mjs";
import { createTestDatabase, serverUrl, urlForDatabase } from "../support/databases.js";

const psqlInstalled = spawnSync("psql", ["--version"]).status === 0;

/** Says its arguments, the tables migra's target database has, then `output`. */
const standIn = (dir: string, output: string) => `#!/bin/sh
printf '%s\\n' "$@" > ${dir}/args
psql -X -A -t -c "select string_agg(tablename, ',' order by tablename) from pg_tables where schemaname = 'public'" "$2" > ${dir}/tables
printf '%s' '${output}'
`;

describe.skipIf(!psqlInstalled)("the psql -1 build + migra route of bench:sizes (stand-in migra)", () => {
  let dir: string;
  let scratch: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-migra-route-"));
    await mkdir(path.join(dir, "migrations"));
    scratch = `migra_route_${randomBytes(4).toString("hex")}`;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const route = async (files: Record<string, string>, output: string) => {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, "migrations", name), text);
    const migra = path.join(dir, "migra");
    await writeFile(migra, standIn(dir, output), { mode: 0o755 });
    const live = await createTestDatabase();
    const script = await writeMigraRoute(dir, { psql: "psql", migra, migrationsDir: path.join(dir, "migrations"), serverUrl: serverUrl(), liveUrl: live.url, scratch });
    const ran = spawnSync("sh", [script], { encoding: "utf8", timeout: 60_000 });
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
    const left = await admin`select datname from pg_database where datname = ${scratch}`.finally(() => admin.end());
    return { ...ran, live, left: left.length };
  };

  it("builds every file in name order into a scratch database, gives migra <live> <scratch>, then drops the scratch database", async () => {
    // 002 needs 001's table, 003 needs 002's: out of order, the build fails.
    const result = await route({ "003_c.sql": "create table c (a_id int references b (a_id));\n", "001_a.sql": "create table a (id int primary key);\n", "002_b.sql": "create table b (a_id int primary key references a (id));\n" }, "\n\n");
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect((await readFile(path.join(dir, "args"), "utf8")).trim().split("\n")).toEqual([result.live.url, urlForDatabase(scratch), "--unsafe", "--with-privileges", "--exclude-schema", "dbkit"]);
    expect((await readFile(path.join(dir, "tables"), "utf8")).trim()).toBe("a,b,c");
    expect(result.left).toBe(0);
  });

  it("fails when migra prints a difference, and still drops the scratch database", async () => {
    const result = await route({ "001_a.sql": "create table a (id int);" }, "drop table a;");
    expect(result.status).toBe(DIFFERENT);
    expect(result.stderr).toContain("migra found differences between the live database and the migrations:\ndrop table a;");
    expect(result.left).toBe(0);
  });

  it("fails when a migration fails, before migra runs, and drops the scratch database", async () => {
    const result = await route({ "001_a.sql": "create table a (id int);", "002_bad.sql": "create table b (id nonsense_type);" }, "");
    expect(result.status).toBe(3); // psql -v ON_ERROR_STOP=1: the script failed
    expect(result.stderr).toContain('type "nonsense_type" does not exist');
    await expect(readFile(path.join(dir, "args"), "utf8")).rejects.toThrow();
    expect(result.left).toBe(0);
  });
});
