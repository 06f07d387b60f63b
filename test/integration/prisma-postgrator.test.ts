/**
 * Prisma Migrate and Postgrator folders (test/fixtures/prisma, test/fixtures/postgrator), written
 * the way those tools write them, migrated by dbkit to the schema their own tool builds, adopted
 * from their history tables; and a folder's sub-folders of .sql files are never passed over.
 */
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/databases.js";
import { schemaFingerprint } from "../support/fingerprint.js";
import { journalNames, json, scenario } from "../support/scenario.js";
import { FIXTURES, fixtureFiles } from "../support/fixtures.js";

const run = promisify(execFile);
const POSTGRATOR = fileURLToPath(new URL("../../node_modules/.bin/postgrator", import.meta.url));
const PRISMA_DIR = path.join(FIXTURES, "prisma", "prisma", "migrations");
const PRISMA_MIGRATIONS = ["20240101000000_init", "20240202000000_add_posts", "20240303000000_post_slug_index"];

/** The fixture's files as a project (path → content). */
function fixture(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...fixtureFiles(name), ...extra };
}

/** The schema without dbkit's journal and the other tools' history tables. */
async function userSchema(sql: postgres.Sql): Promise<string[]> {
  return (await schemaFingerprint(sql)).filter((line) => !/\bdbkit\b|_prisma_migrations|schemaversion/.test(line));
}

/** What `prisma migrate deploy` does for one migration on PostgreSQL: the file sent whole, then its row. */
async function applyAsPrisma(sql: postgres.Sql | postgres.ReservedSql, name: string, dir = PRISMA_DIR): Promise<void> {
  const text = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  const [row] = await sql`insert into _prisma_migrations (id, checksum, migration_name, started_at) values (${randomUUID()}, ${createHash("sha256").update(text).digest("hex")}, ${name}, now()) returning id`;
  await sql.unsafe(text);
  await sql`update _prisma_migrations set finished_at = now(), applied_steps_count = 1 where id = ${row!.id}`;
}

/** Prisma's own DDL for its history table (schema-engine, PostgreSQL flavour). */
const PRISMA_HISTORY_DDL = `CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id")
)`;

describe("Prisma Migrate folders", () => {
  it("a prisma/migrations folder is read (not taken for an empty one): migrate applies each migration.sql, status agrees, a second run has nothing to do", async () => {
    const s = await scenario(fixture("prisma"));
    const migrated = await s.dbkit(["migrate", "--migrations-dir", "prisma/migrations"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain(`reading prisma${path.sep}migrations${path.sep} as a Prisma Migrate folder`);
    expect(migrated.stdout).not.toContain("nothing to apply");
    expect(await journalNames(s.db)).toEqual(PRISMA_MIGRATIONS);

    const reference = await createTestDatabase();
    await reference.sql.unsafe(PRISMA_HISTORY_DDL);
    for (const name of PRISMA_MIGRATIONS) await applyAsPrisma(reference.sql, name);
    expect(await userSchema(s.db.sql)).toEqual(await userSchema(reference.sql));

    const status = await s.dbkit(["status", "--check", "--json", "--migrations-dir", "prisma/migrations"]);
    expect(status.code, status.stdout).toBe(0);
    expect(JSON.stringify(json(status))).toContain("20240303000000_post_slug_index");
    const again = await s.dbkit(["migrate", "--migrations-dir", "prisma/migrations"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to apply");
  });

  it("in a Prisma project with no configuration, prisma/migrations is the migrations folder", async () => {
    const s = await scenario(fixture("prisma"));
    await rm(path.join(s.dir, "migrations"), { recursive: true }); // the helper's empty default folder
    const status = await s.dbkit(["status", "--json"]);
    expect(status.code, status.stdout).toBe(0);
    expect(JSON.stringify(json(status))).toContain("20240303000000_post_slug_index");
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain(`reading prisma${path.sep}migrations${path.sep} as a Prisma Migrate folder`);
    expect(await journalNames(s.db)).toEqual(PRISMA_MIGRATIONS);
  });

  it("an empty migrations/ beside prisma/migrations or supabase/migrations is not read in their place", async () => {
    const prisma = await scenario(fixture("prisma")); // the helper leaves an empty migrations/ folder
    const migrated = await prisma.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await journalNames(prisma.db)).toEqual(PRISMA_MIGRATIONS);
    const supabase = await scenario({ "supabase/migrations/20240101000000_init.sql": "create table notes (id int);\n" });
    const applied = await supabase.dbkit(["migrate"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await journalNames(supabase.db)).toEqual(["20240101000000_init"]);
    // A migrations/ folder with files is the project's choice, as before.
    const own = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n", "supabase/migrations/20240101000000_init.sql": "create table notes (id int);\n" });
    expect((await own.dbkit(["migrate"])).code).toBe(0);
    expect(await journalNames(own.db)).toEqual(["0001_a"]);
  });

  it("dbkit init in a Prisma project configures prisma/migrations (no empty migrations/ beside it), and migrate then runs Prisma's migrations", async () => {
    const s = await scenario(fixture("prisma"));
    await rm(path.join(s.dir, "migrations"), { recursive: true }); // the helper's empty default folder
    const init = await s.dbkit(["init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("found prisma/migrations");
    expect(existsSync(path.join(s.dir, "migrations"))).toBe(false);
    expect(readFileSync(path.join(s.dir, "dbkit.config.json"), "utf8")).toContain('"migrationsDir": "prisma/migrations"');
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await journalNames(s.db)).toEqual(PRISMA_MIGRATIONS);
  });

  it("detected from its migration folders without migration_lock.toml; a failing migration is rolled back whole (exit 4), as PostgreSQL does with Prisma's one-query file", async () => {
    const files = fixture("prisma");
    delete files[path.join("prisma", "migrations", "migration_lock.toml")];
    files[path.join("prisma", "migrations", "20240404000000_broken", "migration.sql")] = '-- CreateTable\nCREATE TABLE "Tag" ("id" SERIAL NOT NULL);\n\n-- AlterTable\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n';
    const s = await scenario(files);
    const failed = await s.dbkit(["migrate", "--migrations-dir", "prisma/migrations"]);
    expect(failed.code, failed.stderr).toBe(4);
    expect(failed.stderr).toContain(`20240404000000_broken${path.sep}migration.sql`);
    expect(failed.stderr).toContain('relation "Nope" does not exist');
    const [tag] = await s.db.sql`select to_regclass('"Tag"') is null as gone`;
    expect(tag!.gone).toBe(true);
    expect(await journalNames(s.db)).toEqual(PRISMA_MIGRATIONS);
  });

  it("adoption: a database Prisma migrated (its real _prisma_migrations) is named by migrate and status, dbkit import prisma records what finished, migrate runs the rest", async () => {
    const s = await scenario(fixture("prisma", { "dbkit.config.json": JSON.stringify({ migrationsDir: "prisma/migrations" }) }));
    await s.db.sql.unsafe(PRISMA_HISTORY_DDL);
    for (const name of PRISMA_MIGRATIONS.slice(0, 2)) await applyAsPrisma(s.db.sql, name);
    // A migration Prisma tried, failed, and `prisma migrate resolve --rolled-back` marked: not applied.
    await s.db.sql`insert into _prisma_migrations (id, checksum, migration_name, logs, rolled_back_at, started_at) values (${randomUUID()}, ${"0".repeat(64)}, ${PRISMA_MIGRATIONS[2]!}, ${"boom"}, now(), now())`;

    const status = await s.dbkit(["status", "--json"]);
    expect(json(status).otherHistories).toEqual([{ tool: "prisma", table: "public._prisma_migrations" }]);
    const refused = await s.dbkit(["migrate", "--json"]);
    expect(refused.code, refused.stdout).toBe(2);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_OTHER_TOOL_HISTORY", hint: expect.stringContaining("dbkit import prisma") });

    // Edited after Prisma applied it: Prisma's checksum (sha256 of the file) no longer matches.
    const edited = path.join(s.dir, "prisma", "migrations", PRISMA_MIGRATIONS[1]!, "migration.sql");
    await writeFile(edited, `${readFileSync(edited, "utf8")}\nCREATE INDEX "Post_title_idx" ON "Post"("title");\n`);
    const imported = await s.dbkit(["import", "prisma", "--json"]);
    expect(imported.code, imported.stdout).toBe(0);
    expect(json(imported)).toMatchObject({ recorded: PRISMA_MIGRATIONS.slice(0, 2), filesWithoutVersion: [PRISMA_MIGRATIONS[2]], changedSinceApplied: [PRISMA_MIGRATIONS[1]] });
    expect(json(imported).warnings.join("\n")).toContain(`${PRISMA_MIGRATIONS[1]} changed since Prisma Migrate applied it`);
    // Recorded as Prisma applied it: the edit is a changed applied file, as any other (exit 5), until restored.
    const changed = await s.dbkit(["migrate", "--json"]);
    expect(changed.code, changed.stdout).toBe(5);
    expect(json(changed).error.code).toBe("DBKIT_CHECKSUM_MISMATCH");
    await writeFile(edited, readFileSync(path.join(PRISMA_DIR, PRISMA_MIGRATIONS[1]!, "migration.sql"), "utf8"));
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(PRISMA_MIGRATIONS);
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
  });

  it("every folder as Prisma reads it, in name order (a name ending in .sql, an 8-digit date), with the BEGIN/COMMIT blocks prisma migrate dev writes for a recreated enum and a backfill that sets its own isolation level: the schema Prisma builds, verify clean", async () => {
    const folder = (name: string) => path.join("prisma", "migrations", name, "migration.sql");
    const extra = {
      // What prisma migrate dev writes when an enum loses a value: the enum recreated in a block of its own, then the rest.
      [folder("20240404000000_role_moderator")]:
        '/*\n  Warnings:\n\n  - The values [ADMIN] on the enum `Role` will be removed. If these variants are still used in the database, this will fail.\n\n*/\n-- AlterEnum\nBEGIN;\nCREATE TYPE "Role_new" AS ENUM (\'USER\', \'MODERATOR\');\nALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");\nALTER TYPE "Role" RENAME TO "Role_old";\nALTER TYPE "Role_new" RENAME TO "Role";\nDROP TYPE "Role_old";\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'USER\';\nCOMMIT;\n\n-- AlterTable\nALTER TABLE "Post" ADD COLUMN     "views" INTEGER NOT NULL DEFAULT 0;\n',
      // A folder renamed by hand: Prisma runs any folder, whatever its name.
      [folder("20240505000000_post_tags.sql")]: '-- CreateTable\nCREATE TABLE "Tag" (\n    "id" SERIAL NOT NULL,\n    "name" TEXT NOT NULL,\n\n    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")\n);\n',
      // A second folder of one timestamp, as two branches' migrations often are: ordinary for Prisma, which orders by name.
      [folder("20240505000000_post_tags_index")]: '-- CreateIndex\nCREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");\n',
      // Written by hand with a date for a name: after 20240505000000_*, as Prisma sorts the names.
      [folder("20240606_tag_defaults")]:
        '-- Prisma does not wrap a migration in a transaction.\nBEGIN;\n-- one snapshot for the statements below\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nALTER TABLE "Tag" ADD COLUMN "postCount" INTEGER NOT NULL DEFAULT 0;\nUPDATE "Post" SET "views" = 1 WHERE "published";\nCOMMIT;\n',
    };
    const names = [...PRISMA_MIGRATIONS, "20240404000000_role_moderator", "20240505000000_post_tags.sql", "20240505000000_post_tags_index", "20240606_tag_defaults"];
    const s = await scenario(fixture("prisma", extra));
    await rm(path.join(s.dir, "migrations"), { recursive: true }); // the helper's empty default folder
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).not.toContain("share a version");
    expect(await journalNames(s.db)).toEqual(names);

    const reference = await createTestDatabase();
    await reference.sql.unsafe(PRISMA_HISTORY_DDL);
    // One connection, as Prisma's: its files send their own BEGIN and COMMIT.
    const connection = await reference.sql.reserve();
    for (const name of names) await applyAsPrisma(connection, name, path.join(s.dir, "prisma", "migrations"));
    connection.release();
    expect(await userSchema(s.db.sql)).toEqual(await userSchema(reference.sql));

    const verified = await s.dbkit(["verify", "--json"]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(json(verified).findings).toEqual([]);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
  });

  it("a baseline folder named as Prisma's baselining guide names it (0_init) runs first", async () => {
    const s = await scenario({
      [path.join("prisma", "migrations", "migration_lock.toml")]: 'provider = "postgresql"\n',
      [path.join("prisma", "migrations", "0_init", "migration.sql")]: '-- CreateTable\nCREATE TABLE "Account" ("id" SERIAL NOT NULL, CONSTRAINT "Account_pkey" PRIMARY KEY ("id"));\n',
      [path.join("prisma", "migrations", "20240101000000_account_name", "migration.sql")]: '-- AlterTable\nALTER TABLE "Account" ADD COLUMN "name" TEXT;\n',
    });
    await rm(path.join(s.dir, "migrations"), { recursive: true });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0_init", "20240101000000_account_name"]);
  });

  it("refuses what Prisma would not run here: a lock file for another database, a migration folder without migration.sql, stray .sql files", async () => {
    const lock = path.join("prisma", "migrations", "migration_lock.toml");
    const mysql = await scenario(fixture("prisma", { [lock]: '# Please do not edit this file manually\nprovider = "mysql"\n' }));
    const wrongProvider = await mysql.dbkit(["migrate", "--migrations-dir", "prisma/migrations", "--json"]);
    expect(wrongProvider.code).toBe(2);
    expect(json(wrongProvider).error).toMatchObject({ code: "DBKIT_FORMAT_PROVIDER", message: expect.stringContaining('written for mysql') });

    const stray = await scenario(fixture("prisma", { [path.join("prisma", "migrations", "notes.sql")]: "select 1;\n", [path.join("prisma", "migrations", "20240101000000_init", "seed.sql")]: "select 1;\n" }));
    const unread = await stray.dbkit(["migrate", "--migrations-dir", "prisma/migrations", "--json"]);
    expect(unread.code).toBe(2);
    expect(json(unread).error).toMatchObject({ code: "DBKIT_UNREAD_FILES" });
    expect(json(unread).error.details.files).toEqual([path.join("20240101000000_init", "seed.sql"), "notes.sql"]);
    expect(await journalNames(stray.db).catch(() => [])).toEqual([]);

    const empty = await scenario({ ...fixture("prisma"), [path.join("prisma", "migrations", "20240505000000_gone", ".gitkeep")]: "" });
    const missing = await empty.dbkit(["status", "--migrations-dir", "prisma/migrations", "--json"]);
    expect(missing.code).toBe(2);
    expect(json(missing).error).toMatchObject({ code: "DBKIT_FILE_MISSING", message: expect.stringContaining(path.join("20240505000000_gone", "migration.sql")) });
  });
});

describe("Prisma Migrate folders: new and non-transactional files", () => {
  it("dbkit new writes <timestamp>_<name>/migration.sql, which migrate then runs", async () => {
    const s = await scenario(fixture("prisma", { "dbkit.config.json": JSON.stringify({ migrationsDir: "prisma/migrations" }) }));
    const created = await s.dbkit(["new", "add tags"]);
    expect(created.code, created.stderr).toBe(0);
    const shown = created.stdout.trim();
    expect(shown).toMatch(new RegExp(`^prisma/migrations/\\d{14}_add_tags/migration\\.sql$`));
    await writeFile(path.join(s.dir, shown), '-- CreateTable\nCREATE TABLE "Tag" ("id" SERIAL NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));\n');
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await journalNames(s.db)).toEqual([...PRISMA_MIGRATIONS, path.basename(path.dirname(shown))]);
  });

  it("a lone CREATE INDEX CONCURRENTLY runs outside a transaction, as Prisma's one-statement query does; beside other statements it is refused before anything runs, as PostgreSQL refuses Prisma's query", async () => {
    const concurrently = path.join("prisma", "migrations", "20240404000000_post_title_index", "migration.sql");
    const config = { "dbkit.config.json": JSON.stringify({ migrationsDir: "prisma/migrations" }) };
    const lone = await scenario(fixture("prisma", { ...config, [concurrently]: '-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title");\n' }));
    const migrated = await lone.dbkit(["migrate", "--json"]);
    expect(migrated.code, migrated.stdout).toBe(0);
    expect(await journalNames(lone.db)).toEqual([...PRISMA_MIGRATIONS, "20240404000000_post_title_index"]);
    const [index] = await lone.db.sql`select count(*)::int as n from pg_indexes where indexname = 'Post_title_idx'`;
    expect(index!.n).toBe(1);

    const mixed = await scenario(fixture("prisma", { ...config, [concurrently]: 'CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title");\nALTER TABLE "Post" ADD COLUMN "views" INTEGER;\n' }));
    const refused = await mixed.dbkit(["migrate"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("-- dbkit:no-transaction");
    expect(await journalNames(mixed.db).catch(() => [])).toEqual([]);
  });
});

describe("sub-folders of .sql files are never skipped silently", () => {
  it("a dbkit folder with a sub-folder of .sql files is refused naming them; excluding the sub-folder lets it run", async () => {
    const files = {
      "migrations/20240101000000_users.sql": "create table users (id int primary key);\n",
      "migrations/archive/20230101000000_old.sql": "create table old (id int);\n",
      "migrations/archive/2022/20220101000000_older.sql": "create table older (id int);\n",
      "migrations/README": "notes\n",
    };
    const s = await scenario(files);
    for (const args of [["migrate"], ["status", "--check"]]) {
      const refused = await s.dbkit([...args, "--json"]);
      expect(refused.code, refused.stdout).toBe(2);
      expect(json(refused).error).toMatchObject({ code: "DBKIT_UNREAD_FILES", hint: expect.stringContaining('"exclude"') });
      expect(json(refused).error.details.files).toEqual([path.join("archive", "2022", "20220101000000_older.sql"), path.join("archive", "20230101000000_old.sql")]);
    }
    const human = await s.dbkit(["migrate"]);
    expect(human.stderr).toContain(`archive${path.sep}20230101000000_old.sql`);
    expect(await journalNames(s.db).catch(() => [])).toEqual([]);

    await writeFile(path.join(s.dir, "dbkit.config.json"), JSON.stringify({ exclude: ["archive"] }));
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["20240101000000_users"]);
  });

  it("the seeds folder kept inside the migrations folder, hidden folders and node_modules are not migrations", async () => {
    const s = await scenario({
      "dbkit.config.json": JSON.stringify({ migrationsDir: "db", seedsDir: "db/seeds" }),
      "db/20240101000000_users.sql": "create table users (id int primary key);\n",
      "db/seeds/users.sql": "insert into users values (1) on conflict do nothing;\n",
      "db/.history/20230101000000_draft.sql": "select 1;\n",
      "db/node_modules/pkg/share/x.sql": "select 1;\n",
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["20240101000000_users", "users.sql"]); // the migration, then the seed
    const [row] = await s.db.sql`select count(*)::int as n from users`;
    expect(row!.n).toBe(1);
  });

  it("a golang-migrate folder with a sub-folder of .sql files is refused too; a sub-folder with no .sql file is not a problem", async () => {
    const s = await scenario({
      "migrations/000001_init.up.sql": "create table a (id int);\n",
      "migrations/000001_init.down.sql": "drop table a;\n",
      "migrations/docs/notes.md": "notes\n",
      "migrations/postgres/000002_more.up.sql": "create table b (id int);\n",
    });
    const refused = await s.dbkit(["migrate", "--json"]);
    expect(refused.code).toBe(2);
    expect(json(refused).error.details.files).toEqual([path.join("postgres", "000002_more.up.sql")]);
    await writeFile(path.join(s.dir, "dbkit.config.json"), JSON.stringify({ exclude: ["postgres/*"] }));
    expect((await s.dbkit(["migrate"])).code).toBe(0);
  });
});

describe("Postgrator folders", () => {
  it("runs the .do. files in version order to the schema Postgrator itself builds, never an .undo. file; dbkit down runs the undo; import reads Postgrator's real schemaversion", async () => {
    const s = await scenario(fixture("postgrator"));
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain(`reading migrations${path.sep} as a Postgrator folder`);
    expect(await journalNames(s.db)).toEqual(["001.do.create-users", "002.do", "003.do.sessions-expiry-index"]);

    const reference = await createTestDatabase();
    const u = new URL(reference.url);
    const postgrator = ["--no-config", "-m", path.join(FIXTURES, "postgrator", "migrations", "*"), "-h", u.hostname, "-o", u.port, "-d", u.pathname.slice(1), "-u", decodeURIComponent(u.username), "-p", decodeURIComponent(u.password)];
    await run(POSTGRATOR, postgrator);
    expect(await userSchema(s.db.sql)).toEqual(await userSchema(reference.sql));
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");

    const down = await s.dbkit(["down"]);
    expect(down.code, down.stderr).toBe(0);
    const [column] = await s.db.sql`select count(*)::int as n from information_schema.columns where table_name = 'users' and column_name = 'last_login'`;
    expect(column!.n).toBe(0);
    expect(await journalNames(s.db)).toEqual(["001.do.create-users", "002.do"]);

    // Adoption from the history Postgrator wrote in the reference database.
    const adopt = await scenario(fixture("postgrator"));
    const a = new URL(adopt.db.url);
    await run(POSTGRATOR, [...postgrator.slice(0, 3), "-h", a.hostname, "-o", a.port, "-d", a.pathname.slice(1), "-u", decodeURIComponent(a.username), "-p", decodeURIComponent(a.password)]);
    const refused = await adopt.dbkit(["migrate", "--json"]);
    expect(json(refused).error).toMatchObject({ code: "DBKIT_OTHER_TOOL_HISTORY", hint: expect.stringContaining("dbkit import postgrator") });
    const imported = await adopt.dbkit(["import", "postgrator", "--json"]);
    expect(imported.code, imported.stdout).toBe(0);
    expect(json(imported)).toMatchObject({ recorded: ["001.do.create-users", "002.do", "003.do.sessions-expiry-index"], versionsWithoutFile: [] });
    expect((await adopt.dbkit(["status", "--check"])).code).toBe(0);
  });

  it("dbkit new writes the next .do. and .undo. files", async () => {
    const s = await scenario(fixture("postgrator"));
    const created = await s.dbkit(["new", "add orders"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim().split("\n")).toEqual(["migrations/004.do.add-orders.sql", "migrations/004.undo.add-orders.sql"]);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await journalNames(s.db)).toContain("004.do.add-orders");
  });

  it("an .undo. file without its .do. file, and a JavaScript migration dbkit cannot run, are refused", async () => {
    const s = await scenario({ "migrations/001.do.a.sql": "create table a (id int);\n", "migrations/002.undo.b.sql": "drop table b;\n", "migrations/003.do.c.js": "module.exports.generateSql = () => 'select 1';\n" });
    const refused = await s.dbkit(["migrate", "--json"]);
    expect(refused.code).toBe(2);
    expect(json(refused).error.details.files).toEqual(["002.undo.b.sql (a down with no migration of version 2)", "003.do.c.js"]);
  });
});
