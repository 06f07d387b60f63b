import { describe, expect, it } from "vitest";
import { splitDbmateSections } from "../../src/core/dbmate-sections.js";
import { detectFolderFormat, matchesPattern } from "../../src/core/folder-format.js";
import { roleOfFile } from "../../src/core/format-file-names.js";
import { isNodePgMigrateText, splitNodePgMigrateSections } from "../../src/core/node-pg-migrate-sections.js";
import { isAllNonTransactional, isLoneNonTransactionalStatement } from "../../src/core/statement-rules.js";
import { compareMigrations, compareVersions } from "../../src/core/migration-name.js";
import { setsItsOwnTransaction, unwrapTransaction } from "../../src/core/transaction-wrapper.js";

const clues = (entries: string[], more: { drizzle?: boolean; supabase?: boolean; subFolders?: { name: string; sqlFiles: string[] }[] } = {}) => ({
  entries,
  hasDrizzleJournal: Boolean(more.drizzle),
  isSupabaseLayout: Boolean(more.supabase),
  subFolders: more.subFolders ?? [],
});

describe("folder formats", () => {
  it("detects a format from its file names, and asks when two formats are present", () => {
    expect(detectFolderFormat(clues(["000001_init.up.sql", "000001_init.down.sql"]))).toEqual({ ok: true, format: "golang-migrate" });
    expect(detectFolderFormat(clues(["V1__init.sql", "R__views.sql"]))).toEqual({ ok: true, format: "flyway" });
    expect(detectFolderFormat(clues(["0001-initialise.sql"]))).toEqual({ ok: true, format: "postgres-migrations" });
    expect(detectFolderFormat(clues(["0000_init.sql", "meta"], { drizzle: true }))).toEqual({ ok: true, format: "drizzle" });
    expect(detectFolderFormat(clues(["20240101000000_init.sql"], { supabase: true }))).toEqual({ ok: true, format: "supabase" });
    expect(detectFolderFormat(clues(["0001_init.sql", "2025-11-05_telemetry.sql"]))).toEqual({ ok: true, format: "dbkit" });
    expect(detectFolderFormat(clues(["V1__init.sql", "000001_init.up.sql"]))).toEqual({ ok: false, candidates: ["golang-migrate", "flyway"] });
  });

  it("detects Prisma by its lock file or its <timestamp>_<name>/migration.sql folders, and Postgrator by its .do./.undo. names", () => {
    expect(detectFolderFormat(clues(["migration_lock.toml"]))).toEqual({ ok: true, format: "prisma" });
    const init = { name: "20240101000000_init", sqlFiles: ["migration.sql"] };
    expect(detectFolderFormat(clues(["20240101000000_init"], { subFolders: [init] }))).toEqual({ ok: true, format: "prisma" });
    // A sub-folder named like a migration without migration.sql, or a short timestamp, is not Prisma's.
    expect(detectFolderFormat(clues(["x"], { subFolders: [{ name: "20240101000000_init", sqlFiles: ["up.sql"] }] }))).toEqual({ ok: true, format: "dbkit" });
    expect(detectFolderFormat(clues(["x"], { subFolders: [{ name: "2024010100_init", sqlFiles: ["migration.sql"] }] }))).toEqual({ ok: true, format: "dbkit" });
    expect(detectFolderFormat(clues(["001.do.users.sql", "001.undo.users.sql", "002.do.sql"]))).toEqual({ ok: true, format: "postgrator" });
    expect(detectFolderFormat(clues(["001.do.users.sql", "20240101000000_init"], { subFolders: [init] }))).toEqual({ ok: false, candidates: ["postgrator", "prisma"] });
  });

  it("names each format's files: migrations, downs and repeatables", () => {
    expect(roleOfFile("golang-migrate", "000002_add_mood.up.sql")).toEqual({ role: "up", name: "000002_add_mood", version: "000002" });
    expect(roleOfFile("golang-migrate", "000002_add_mood.down.sql")).toEqual({ role: "down", version: "000002" });
    expect(roleOfFile("golang-migrate", "000002_add_mood.sql")).toBeUndefined();
    expect(roleOfFile("flyway", "V1_1__add_email.sql")).toEqual({ role: "up", name: "V1_1__add_email", version: "1.1" });
    expect(roleOfFile("flyway", "U2__orders.sql")).toEqual({ role: "down", version: "2" });
    expect(roleOfFile("flyway", "R__views.sql")).toEqual({ role: "repeatable", name: "R__views" });
    expect(roleOfFile("flyway", "V2_orders.sql")).toBeUndefined();
    expect(roleOfFile("postgres-migrations", "0001-initialise.sql")).toEqual({ role: "up", name: "0001-initialise", version: "0001" });
    expect(roleOfFile("postgres-migrations", "1_create-table.sql")).toEqual({ role: "up", name: "1_create-table", version: "1" });
    expect(roleOfFile("postgrator", "001.do.create-users.sql")).toEqual({ role: "up", name: "001.do.create-users", version: "001" });
    expect(roleOfFile("postgrator", "002.do.sql")).toEqual({ role: "up", name: "002.do", version: "002" });
    expect(roleOfFile("postgrator", "002.undo.sql")).toEqual({ role: "down", version: "002" });
    expect(roleOfFile("postgrator", "002_orders.sql")).toBeUndefined();
    // Prisma's migrations are folders, read by the folder layout; a loose .sql file is not one.
    expect(roleOfFile("prisma", "20240101000000_init.sql")).toBeUndefined();
  });

  it("orders dotted versions part by part and repeatables (version \"\") last", () => {
    expect(["10", "1.1", "2", "1"].sort(compareVersions)).toEqual(["1", "1.1", "2", "10"]);
    const sorted = [{ version: "", name: "R__a" }, { version: "2", name: "V2__b" }, { version: "1.1", name: "V1_1__c" }].sort(compareMigrations);
    expect(sorted.map((file) => file.name)).toEqual(["V1_1__c", "V2__b", "R__a"]);
  });

  it("splits dbmate's sections, keeping the file's line numbers in the down", () => {
    const text = "-- migrate:up\ncreate schema app;\n\n-- migrate:down transaction:false\ndrop schema app;\n";
    const parsed = splitDbmateSections(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.sections.up).toEqual({ text: "-- migrate:up\ncreate schema app;\n\n", noTransaction: false });
    expect(parsed.sections.down).toEqual({ text: "\n\n\n\ndrop schema app;\n", noTransaction: true, line: 4 });
    expect(splitDbmateSections("-- migrate:up transaction:false\ncreate index concurrently i on t (c);\n-- migrate:down\n")).toMatchObject({ ok: true, sections: { up: { noTransaction: true } } });
    const emptyDown = splitDbmateSections("-- migrate:up\nselect 1;\n-- migrate:down\n");
    expect(emptyDown.ok && emptyDown.sections.down).toBeUndefined();
    expect(splitDbmateSections("create table t ();\n")).toMatchObject({ ok: false, line: 1 });
    expect(splitDbmateSections("-- migrate:up\nselect 1;\n-- migrate:up\n")).toMatchObject({ ok: false, line: 3 });
  });

  it("blanks out an outer BEGIN/COMMIT, keeping positions, and leaves other files alone", () => {
    const text = "BEGIN;\n\nCREATE TABLE t (id int);\n\nCOMMIT;\n";
    const unwrapped = unwrapTransaction(text);
    expect(unwrapped).toBe("      \n\nCREATE TABLE t (id int);\n\n       \n");
    expect(unwrapped!.length).toBe(text.length);
    expect(unwrapTransaction("create table t (id int);\ncommit;\n")).toBeUndefined();
    expect(unwrapTransaction("begin;\ncreate table t (id int);\n")).toBeUndefined();
    expect(unwrapTransaction("create function f() returns int language plpgsql as $$ begin return 1; end $$;\n")).toBeUndefined();
  });

  it("blanks out BEGIN/COMMIT blocks among other statements, as prisma migrate dev writes them for a recreated enum", () => {
    const text = '-- AlterEnum\nBEGIN;\nCREATE TYPE "Role_new" AS ENUM (\'USER\');\nCOMMIT;\n\n-- AlterTable\nALTER TABLE "Post" ADD COLUMN "views" INTEGER;\nBEGIN;\nDROP TYPE "Old";\nCOMMIT;\n';
    const unwrapped = unwrapTransaction(text);
    expect(unwrapped).toBe('-- AlterEnum\n      \nCREATE TYPE "Role_new" AS ENUM (\'USER\');\n       \n\n-- AlterTable\nALTER TABLE "Post" ADD COLUMN "views" INTEGER;\n      \nDROP TYPE "Old";\n       \n');
    // Not a plain sequence of blocks: left as written, and refused with its line.
    expect(unwrapTransaction("begin;\nbegin;\nselect 1;\ncommit;\ncommit;\n")).toBeUndefined();
    expect(unwrapTransaction("begin;\nselect 1;\ncommit;\ncommit;\n")).toBeUndefined();
    expect(unwrapTransaction("begin;\nselect 1;\ncommit;\nbegin;\nselect 2;\n")).toBeUndefined();
  });

  it("tells a file that sets its own transaction's isolation level (it cannot inside dbkit's transaction)", () => {
    expect(setsItsOwnTransaction("-- backfill\nBEGIN;\n-- one snapshot\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\ninsert into a select * from b;\nCOMMIT;\n")).toBe(true);
    expect(setsItsOwnTransaction("BEGIN ISOLATION LEVEL SERIALIZABLE;\nselect 1;\nCOMMIT;\n")).toBe(true);
    expect(setsItsOwnTransaction("START TRANSACTION READ WRITE;\nselect 1;\nCOMMIT;\n")).toBe(true);
    expect(setsItsOwnTransaction("BEGIN;\ncreate table t (id int);\nCOMMIT;\n")).toBe(false);
    expect(setsItsOwnTransaction("comment on table t is 'set transaction isolation level by hand';\nset local statement_timeout = 0;\n")).toBe(false);
  });

  it("splits node-pg-migrate's SQL sections by its own markers, both needed", () => {
    const text = "-- created by hand\n-- Up Migration\nCREATE TABLE a (id int);\n\n-- Down Migration\nDROP TABLE a;\n";
    expect(isNodePgMigrateText(text)).toBe(true);
    const { up, down } = splitNodePgMigrateSections(text);
    // Each section keeps the file's lines; what node-pg-migrate does not run (the text above its up marker) is blank.
    expect(up.split("\n").indexOf("CREATE TABLE a (id int);")).toBe(2);
    expect(up).not.toContain("created by hand");
    expect(up).not.toContain("DROP");
    expect(down!.split("\n").indexOf("DROP TABLE a;")).toBe(5);
    expect(down).not.toContain("CREATE");
    expect(splitNodePgMigrateSections("-- up migration\nselect 1;\n-- down migration\n-- nothing to undo\n").down).toBeUndefined();
    // One marker alone is a comment of a dbkit file, which runs whole.
    expect(isNodePgMigrateText("-- Down Migration for users: see 0003\ncreate table users (id int);\n")).toBe(false);
    expect(isNodePgMigrateText("-- Down Migration\ndrop table a;\n-- Up Migration\ncreate table a (id int);\n")).toBe(false);
  });

  it("tells a file of only statements that cannot run in a transaction (Flyway runs it outside one)", () => {
    expect(isAllNonTransactional("-- swap\nDROP INDEX CONCURRENTLY IF EXISTS a;\nCREATE INDEX CONCURRENTLY b ON t (c);\n-- done\n")).toBe(true);
    expect(isAllNonTransactional("DROP INDEX CONCURRENTLY a;\nALTER TABLE t ADD COLUMN d int;\n")).toBe(false);
    expect(isAllNonTransactional("-- nothing\n")).toBe(false);
  });

  it("tells a file of one statement that needs to run outside a transaction (Prisma and Postgrator run it so)", () => {
    expect(isLoneNonTransactionalStatement('-- CreateIndex\nCREATE INDEX CONCURRENTLY "a" ON "t"("c");\n-- end\n')).toBe(true);
    expect(isLoneNonTransactionalStatement("vacuum analyze t")).toBe(true);
    expect(isLoneNonTransactionalStatement("create index concurrently a on t (c);\nselect 1;\n")).toBe(false);
    expect(isLoneNonTransactionalStatement("create index a on t (c);\n")).toBe(false);
    expect(isLoneNonTransactionalStatement("-- nothing\n")).toBe(false);
  });

  it("matches excluded names with * wildcards", () => {
    expect(matchesPattern("notes.sql", "notes.sql")).toBe(true);
    expect(matchesPattern("scratch-1.sql", "scratch-*.sql")).toBe(true);
    expect(matchesPattern("scratch-1.sql", "scratch.sql")).toBe(false);
    expect(matchesPattern("a.b.sql", "a?b.sql")).toBe(false);
  });
});
