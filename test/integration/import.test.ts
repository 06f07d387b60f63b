/**
 * `dbkit import <tool>` from each tool's real journal table: written by the tool itself where it
 * installs from npm (dbmate, drizzle-orm's migrator, postgres-migrations, node-pg-migrate,
 * graphile-migrate, Postgrator), else with the DDL and rows the tool's source writes
 * (golang-migrate, Flyway, Prisma).
 * And `migrate` / `status` on such a database without a dbkit journal name the import to run.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migrateWithDrizzle } from "drizzle-orm/postgres-js/migrator";
import { migrate as migrateWithPostgresMigrations } from "postgres-migrations";
import { describe, expect, it } from "vitest";
import { journalNames, json, scenario } from "../support/scenario.js";
import { fixtureFiles } from "../support/fixtures.js";

const run = promisify(execFile);
const BIN = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const DBMATE = fileURLToPath(new URL("../../node_modules/dbmate/dist/cli.js", import.meta.url));

/** The fixture's files as a project (path → content), plus a config. */
function fixture(name: string, config: Record<string, unknown>): Record<string, string> {
  return { "dbkit.config.json": JSON.stringify(config), ...fixtureFiles(name) };
}

function noSsl(url: string): string {
  const u = new URL(url);
  u.searchParams.set("sslmode", "disable");
  return u.toString();
}

describe("dbkit import <tool>: adopting a database another tool migrated", () => {
  it("dbmate (run for real): migrate and status name the import first; import records every file; then nothing to apply", async () => {
    const s = await scenario(fixture("dbmate", { migrationsDir: "db/migrations" }));
    await run(process.execPath, [DBMATE, "--url", noSsl(s.db.url), "--migrations-dir", path.join(s.dir, "db/migrations"), "--no-dump-schema", "up"]);

    const status = await s.dbkit(["status", "--json"]);
    expect(json(status).otherHistories).toEqual([{ tool: "dbmate", table: "public.schema_migrations" }]);
    expect(json(status).warnings.join("\n")).toContain("this database has dbmate's history (public.schema_migrations, 4 migration(s)) and no dbkit journal");
    const human = await s.dbkit(["status"]);
    expect(human.stderr).toContain("dbkit import dbmate");
    const refused = await s.dbkit(["migrate", "--json"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_OTHER_TOOL_HISTORY", hint: expect.stringContaining("dbkit import dbmate") });
    expect(json(refused).error.hint).toContain("dbkit baseline --to");

    const dry = await s.dbkit(["import", "dbmate", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("would record 4 migration(s) from dbmate's history (public.schema_migrations)");
    const imported = await s.dbkit(["import", "dbmate", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ tool: "dbmate", recorded: readdirSync(path.join(s.dir, "db/migrations")).map((f) => f.replace(/\.sql$/, "")).sort(), versionsWithoutFile: [], filesWithoutVersion: [] });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain("nothing to apply");
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
    // dbmate's table stays in public: it is dbmate's bookkeeping, not drift from the migrations.
    const verified = await s.dbkit(["verify", "--json"]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(json(verified).findings).toEqual([]);
    expect((await s.dbkit(["verify"])).stderr).toContain("left out public.schema_migrations: dbmate's history table, not created by the migrations");
  });

  it("golang-migrate: every file up to the recorded version; a dirty history is refused", async () => {
    const s = await scenario(fixture("golang-migrate", { migrationsDir: "migrations" }));
    // golang-migrate's postgres driver: one row, the current version and its dirty flag.
    await s.db.sql.unsafe("create table schema_migrations (version bigint not null primary key, dirty boolean not null); insert into schema_migrations values (2, true);");
    const dirty = await s.dbkit(["import", "golang-migrate"]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain("version 2 is dirty");
    expect(dirty.stderr).toContain("migrate force");
    await s.db.sql.unsafe("update schema_migrations set dirty = false");
    const wrongTool = await s.dbkit(["import", "dbmate"]);
    expect(wrongTool.code).toBe(2);
    expect(wrongTool.stderr).toContain("dbkit import golang-migrate");
    const imported = await s.dbkit(["import", "golang-migrate", "--json"]);
    expect(json(imported)).toMatchObject({ recorded: ["000001_create_users_table", "000002_add_mood_to_users"], filesWithoutVersion: ["000003_create_orders"] });
  });

  it("drizzle (drizzle-orm's migrator, for real): every migration of meta/_journal.json; then nothing to apply", async () => {
    const s = await scenario(fixture("drizzle", { migrationsDir: "drizzle" }));
    const journal = JSON.parse(readFileSync(path.join(s.dir, "drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
    await migrateWithDrizzle(drizzle(s.db.sql), { migrationsFolder: path.join(s.dir, "drizzle") });
    expect((await s.dbkit(["migrate"])).stderr).toContain("dbkit import drizzle");
    const imported = await s.dbkit(["import", "drizzle", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ tool: "drizzle", table: "drizzle.__drizzle_migrations", recorded: journal.entries.map((e) => e.tag), versionsWithoutFile: [] });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain("nothing to apply");
  });

  it("drizzle told to keep its table elsewhere (public.migrations, as migrationsTable does): migrate names the import with --table; verify leaves the table out", async () => {
    const s = await scenario(fixture("drizzle", { migrationsDir: "drizzle" }));
    await migrateWithDrizzle(drizzle(s.db.sql), { migrationsFolder: path.join(s.dir, "drizzle"), migrationsTable: "migrations", migrationsSchema: "public" });
    const refused = await s.dbkit(["migrate", "--json"]);
    expect(refused.code, refused.stdout).toBe(2);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_OTHER_TOOL_HISTORY", message: expect.stringContaining("drizzle's history (public.migrations,") });
    expect(json(refused).error.hint).toContain("dbkit import drizzle --table public.migrations");
    expect(json(await s.dbkit(["status", "--json"])).otherHistories).toEqual([{ tool: "drizzle", table: "public.migrations" }]);
    expect((await s.dbkit(["import", "drizzle", "--table", "public.migrations"])).code).toBe(0);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
    const verified = await s.dbkit(["verify", "--json"]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(json(verified).findings).toEqual([]);
  });

  it("drizzle: a history that stops part-way records the files up to it, by hash or journal time", async () => {
    const s = await scenario(fixture("drizzle", { migrationsDir: "drizzle" }));
    const journal = JSON.parse(readFileSync(path.join(s.dir, "drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
    const first = journal.entries[0]!;
    const hash = createHash("sha256").update(readFileSync(path.join(s.dir, "drizzle", `${first.tag}.sql`))).digest("hex");
    // drizzle-orm's migrator (pg-core dialect): this schema and table, one row per migration.
    await s.db.sql.unsafe(`create schema if not exists "drizzle"; create table if not exists "drizzle"."__drizzle_migrations" (id serial primary key, hash text not null, created_at bigint);
      insert into "drizzle"."__drizzle_migrations" (hash, created_at) values ('${hash}', ${first.when});`);
    const imported = await s.dbkit(["import", "drizzle", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ recorded: [first.tag] });
    expect(json(imported).filesWithoutVersion).toContain(journal.entries[1]!.tag);
  });

  it("postgres-migrations (run for real): by id, its own row 0 left out", async () => {
    const s = await scenario(fixture("postgres-migrations", {}));
    const u = new URL(s.db.url);
    await migrateWithPostgresMigrations(
      { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1) },
      path.join(s.dir, "migrations"),
    );
    const imported = await s.dbkit(["import", "postgres-migrations", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ table: "public.migrations", versionsWithoutFile: [], filesWithoutVersion: [] });
    expect(json(imported).recorded).toHaveLength(readdirSync(path.join(s.dir, "migrations")).length);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
  });

  it("Flyway: versioned and repeatable scripts that succeeded; a failed row is refused", async () => {
    const s = await scenario(fixture("flyway", { migrationsDir: "sql" }));
    await s.db.sql.unsafe(`create table flyway_schema_history (installed_rank int not null primary key, version varchar(50), description varchar(200) not null, type varchar(20) not null,
        script varchar(1000) not null, checksum int, installed_by varchar(100) not null, installed_on timestamp not null default now(), execution_time int not null, success boolean not null);
      insert into flyway_schema_history values (1, '1', 'create customers', 'SQL', 'V1__create_customers.sql', 1, 'me', now(), 5, true),
        (2, '1.1', 'add customer email', 'SQL', 'V1_1__add_customer_email.sql', 2, 'me', now(), 5, true),
        (3, null, 'customer totals', 'SQL', 'R__customer_totals.sql', 3, 'me', now(), 5, true);`);
    const imported = await s.dbkit(["import", "flyway", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported).recorded).toEqual(expect.arrayContaining(["V1__create_customers", "V1_1__add_customer_email"]));
    expect(json(imported).filesWithoutVersion).toEqual(expect.arrayContaining(["V2__create_invoices", "V10__invoice_status"]));
    await s.db.sql.unsafe("insert into flyway_schema_history values (4, '2', 'create invoices', 'SQL', 'V2__create_invoices.sql', 4, 'me', now(), 5, false)");
    const failed = await s.dbkit(["import", "flyway"]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("V2__create_invoices.sql failed");
  });

  it("Prisma: finished migrations by name; rolled back ones left out; one unfinished refuses", async () => {
    const s = await scenario({
      "migrations/20240101000000_init.sql": "create table users (id int primary key);\n",
      "migrations/20240102000000_posts.sql": "create table posts (id int primary key);\n",
    });
    await s.db.sql.unsafe(`create table _prisma_migrations (id varchar(36) primary key, checksum varchar(64) not null, finished_at timestamptz, migration_name varchar(255) not null,
        logs text, rolled_back_at timestamptz, started_at timestamptz not null default now(), applied_steps_count integer not null default 0);
      insert into _prisma_migrations values ('a', 'x', now(), '20240101000000_init', null, null, now() - interval '2 min', 1), ('b', 'y', null, '20240102000000_posts', 'boom', now(), now() - interval '1 min', 0);`);
    const imported = await s.dbkit(["import", "prisma", "--json"]);
    expect(json(imported)).toMatchObject({ recorded: ["20240101000000_init"], filesWithoutVersion: ["20240102000000_posts"] });
    await s.db.sql.unsafe("insert into _prisma_migrations values ('c', 'z', null, '20240102000000_posts', null, null, now(), 0)");
    expect((await s.dbkit(["import", "prisma"])).stderr).toContain("20240102000000_posts failed or is still running");
  });

  it("node-pg-migrate (run for real): by name; then nothing to apply and verify clean (its down sections never run)", async () => {
    const s = await scenario(fixtureFiles("node-pg-migrate"));
    await run(BIN("node-pg-migrate"), ["up", "-m", path.join(s.dir, "migrations"), "--no-check-order"], { env: { ...process.env, DATABASE_URL: noSsl(s.db.url) } });
    const imported = await s.dbkit(["import", "node-pg-migrate", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ table: "public.pgmigrations", recorded: ["1718000000000_create-authors", "1718000100000_create-books", "1718000200000_books-isbn"], versionsWithoutFile: [] });
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
    const verified = await s.dbkit(["verify", "--json"]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(json(verified).findings).toEqual([]);
  });

  it("graphile-migrate (run for real): its committed migrations by number", async () => {
    const body = "create table notes (id int primary key);\n";
    const hash = `sha1:${createHash("sha1").update(`${`\n${body.trim()}`.trim()}\n`).digest("hex")}`;
    const s = await scenario({ "migrations/000001_notes.sql": body, "migrations/000002_more.sql": "create table more (id int);\n" });
    const graphile = path.join(s.dir, "graphile");
    await mkdir(path.join(graphile, "migrations", "committed"), { recursive: true });
    await writeFile(path.join(graphile, ".gmrc"), "{}\n");
    await writeFile(path.join(graphile, "migrations", "committed", "000001.sql"), `--! Previous: -\n--! Hash: ${hash}\n\n${body}`);
    await run(BIN("graphile-migrate"), ["migrate"], { cwd: graphile, env: { ...process.env, DATABASE_URL: noSsl(s.db.url) } });
    const imported = await s.dbkit(["import", "graphile-migrate", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ table: "graphile_migrate.migrations", recorded: ["000001_notes"], filesWithoutVersion: ["000002_more"] });
  });

  it("Postgrator (run for real): by version, its own version 0 left out", async () => {
    const s = await scenario({ "migrations/001_users.sql": "create table users (id int primary key);\n" });
    const folder = path.join(s.dir, "postgrator");
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "001.do.users.sql"), "create table users (id int primary key);\n");
    const u = new URL(s.db.url);
    await run(BIN("postgrator"), ["--no-config", "-m", path.join(folder, "*"), "-h", u.hostname, "-o", u.port, "-d", u.pathname.slice(1), "-u", decodeURIComponent(u.username), "-p", decodeURIComponent(u.password)]);
    const imported = await s.dbkit(["import", "postgrator", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ table: "public.schemaversion", recorded: ["001_users"], versionsWithoutFile: [] });
    expect(await journalNames(s.db)).toEqual(["001_users"]);
  });

  it("a Supabase database the CLI migrated: migrate refuses naming dbkit import supabase, instead of failing on what exists", async () => {
    const s = await scenario({ "migrations/20250101000000_profiles.sql": "create table profiles (id int primary key);\n" });
    await s.db.sql.unsafe(`create table profiles (id int primary key); create schema supabase_migrations;
      create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
      insert into supabase_migrations.schema_migrations values ('20250101000000', null, 'profiles');`);
    const refused = await s.dbkit(["migrate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the Supabase CLI's history (supabase_migrations.schema_migrations, 1 migration(s)) and no dbkit journal");
    expect(refused.stderr).toContain("dbkit import supabase");
    expect(refused.stderr).not.toContain("already exists");
    expect((await s.dbkit(["import", "supabase"])).code).toBe(0);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
  });

  it("an unknown tool, and a table given with --table", async () => {
    const s = await scenario({ "migrations/20240101000000_a.sql": "create table a (id int);\n" });
    const unknown = await s.dbkit(["import", "liquibase"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("dbmate, golang-migrate, drizzle");
    await s.db.sql.unsafe("create schema app; create table app.schema_migrations (version varchar(128) primary key); insert into app.schema_migrations values ('20240101000000');");
    expect((await s.dbkit(["import", "dbmate"])).stderr).toContain("no public.schema_migrations table");
    const imported = await s.dbkit(["import", "dbmate", "--table", "app.schema_migrations", "--json"]);
    expect(json(imported)).toMatchObject({ table: "app.schema_migrations", recorded: ["20240101000000_a"] });
  });
});
