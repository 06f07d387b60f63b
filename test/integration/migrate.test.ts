import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

const BASIC = {
  "migrations/0001_users.sql": "create table users (id int primary key, email text not null);\n",
  "migrations/0002_posts.sql": "create table posts (id int primary key, user_id int references users (id));\n",
  "migrations/0003_index.sql": "create index posts_user_id_idx on posts (user_id);\n",
};

describe("dbkit migrate", () => {
  it("applies every pending migration in order, then a re-run has nothing to do", async () => {
    const s = await scenario(BASIC);
    const first = await s.dbkit(["migrate"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("applied 0001_users");
    expect(first.stdout).toContain("applied 3 migration(s)");
    expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts", "0003_index"]);
    const rows = await s.db.sql`select kind, status, checksum, applied_by, dbkit_version, execution_ms from dbkit.migrations`;
    for (const row of rows) expect(row).toMatchObject({ kind: "migration", status: "applied", applied_by: "postgres", checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const second = await s.dbkit(["migrate"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing to apply");
  });

  it("prints which database it talks to, never the password", async () => {
    const s = await scenario(BASIC);
    const result = await s.dbkit(["migrate"]);
    expect(result.stderr).toMatch(/database: .*:\d+\/dbkit_test_\w+ as postgres/);
    const password = new URL(s.db.url).password;
    expect(result.stdout + result.stderr).not.toContain(password);
  });

  it("rolls a failing migration back completely and points at file, line and column", async () => {
    const s = await scenario({
      ...BASIC,
      "migrations/0004_broken.sql": "create table broken_a (id int);\n\ninsert into broken_a values (1);\nselect * fro broken_a;\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0004_broken.sql:4:10: syntax error at or near \"fro\" (SQLSTATE 42601)");
    expect(result.stderr).toMatch(/4 \| select \* fro broken_a;\n\s+\|\s{10}\^/);
    expect(await tableExists(s.db, "broken_a")).toBe(false);
    expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts", "0003_index"]);
  });

  it("stops at a failing file in the middle: the files before it stay applied, none after it runs", async () => {
    // The files are sent without waiting for each answer; the ones after the failure must not run.
    const s = await scenario({ ...BASIC, "migrations/0004_broken.sql": "select * fro users;\n", "migrations/0005_after.sql": "create table after_it (id int);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0004_broken.sql:1:10: syntax error");
    expect(result.stdout).toMatch(/applied 0003_index/);
    expect(result.stdout + result.stderr).not.toContain("0005_after");
    expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts", "0003_index"]);
    expect(await tableExists(s.db, "after_it")).toBe(false);
    const again = await s.dbkit(["migrate"]);
    expect(again.code).toBe(4);
    expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts", "0003_index"]);
  });

  it("reports PL/pgSQL errors with their context", async () => {
    const s = await scenario({
      "migrations/0001_raise.sql": "create table t (a int);\ndo $$ begin\n  raise exception 'data check failed: %', 42 using hint = 'clean the data first';\nend $$;\n",
    });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(4);
    const doc = json(result);
    expect(doc.error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", exitCode: 4, details: { sqlstate: "P0001", message: "data check failed: 42", hint: "clean the data first", context: expect.stringContaining("PL/pgSQL") } });
    expect(await tableExists(s.db, "t")).toBe(false);
  });

  it("keeps line numbers right with a BOM and CRLF line endings", async () => {
    const content = "\ufeffcreate table crlf_a (id int);\r\n\r\nselect nope from crlf_a;\r\n";
    const s = await scenario({ "migrations/0001_crlf.sql": content });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0001_crlf.sql:3:8:");
  });

  it("refuses to run when an applied file changed, showing both checksums", async () => {
    const s = await scenario(BASIC);
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_posts.sql`, "create table posts (id bigint primary key);\n");
    await writeFile(`${s.dir}/migrations/0004_more.sql`, "create table more (id int);\n");
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(5);
    const doc = json(result);
    expect(doc.error.code).toBe("DBKIT_CHECKSUM_MISMATCH");
    expect(doc.error.details.changed[0]).toMatchObject({ name: "0002_posts", recordedChecksum: expect.any(String), fileChecksum: expect.any(String), appliedAt: expect.any(String) });
    expect(await tableExists(s.db, "more")).toBe(false);
  });

  it("does not treat a CRLF checkout of an applied file as a change", async () => {
    const s = await scenario(BASIC);
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0001_users.sql`, "\ufeffcreate table users (id int primary key, email text not null);\r\n");
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("nothing to apply");
  });

  it("refuses out-of-order files unless --allow-out-of-order", async () => {
    const s = await scenario(BASIC);
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_a_late.sql`, "create table late (id int);\n");
    const refused = await s.dbkit(["migrate"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("0002_a_late");
    expect(refused.stderr).toContain("--allow-out-of-order");
    expect(await tableExists(s.db, "late")).toBe(false);
    const allowed = await s.dbkit(["migrate", "--allow-out-of-order"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await tableExists(s.db, "late")).toBe(true);
  });

  it("warns about applied migrations whose file is gone", async () => {
    const s = await scenario(BASIC);
    await s.dbkit(["migrate"]);
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations/0003_index.sql`);
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning: 0003_index is recorded as applied but its file is gone");
  });

  it("--dry-run prints the plan with transaction modes and changes nothing", async () => {
    const s = await scenario({ ...BASIC, "migrations/0004_concurrent.sql": "-- dbkit:no-transaction\ncreate index concurrently users_email_idx on users (email);\n" });
    const result = await s.dbkit(["migrate", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("would apply 4 migration(s)");
    expect(result.stdout).toMatch(/0004_concurrent\s+\(no transaction\)/);
    expect(await tableExists(s.db, "dbkit.migrations")).toBe(false);
    expect(await tableExists(s.db, "users")).toBe(false);
  });

  it("--to applies up to and including a name or version", async () => {
    const s = await scenario(BASIC);
    const byName = await s.dbkit(["migrate", "--to", "0001_users"]);
    expect(byName.code).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_users"]);
    const byVersion = await s.dbkit(["migrate", "--to", "2"]);
    expect(byVersion.code).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts"]);
    const unknown = await s.dbkit(["migrate", "--to", "0099_nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--to 0099_nope: no migration has that name or version");
    const already = await s.dbkit(["migrate", "--to", "0001_users"]);
    expect(already.code).toBe(0);
    expect(already.stderr).toContain("already applied");
  });

  it("--json prints exactly one document on stdout", async () => {
    const s = await scenario(BASIC);
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(0);
    const doc = json(result);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: true, command: "migrate", dryRun: false, target: { database: s.db.name, user: "postgres" } });
    expect(doc.applied.map((a: { name: string }) => a.name)).toEqual(["0001_users", "0002_posts", "0003_index"]);
    expect(result.stderr).toBe("");
  });

  it("resets session state between files: SET in one file does not leak into the next", async () => {
    const s = await scenario({
      "migrations/0001_schema.sql": "create schema other;\nset search_path = other;\ncreate table in_other (id int);\n",
      "migrations/0002_next.sql": "create table in_public (id int);\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await tableExists(s.db, "other.in_other")).toBe(true);
    expect(await tableExists(s.db, "public.in_public")).toBe(true);
  });

  it("refuses .sql files it would not read unless excluded, warns about shared versions, and applies both shared", async () => {
    const s = await scenario({
      "migrations/0006_seed_data_openai.sql": "create table openai (id int);\n",
      "migrations/0006_seed_data_google.sql": "create table google (id int);\n",
      "migrations/notes.sql": "select 1;\n",
      "migrations/scratch-notes.sql": "select 2;\n",
      "migrations/README.md": "not sql",
    });
    const refused = await s.dbkit(["migrate"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("2 file(s) in migrations would not be read as a dbkit folder: notes.sql, scratch-notes.sql");
    expect(refused.stderr).toContain('"exclude"');
    expect(await tableExists(s.db, "openai")).toBe(false);
    expect((await s.dbkit(["status", "--check"])).code).toBe(2);
    await writeFile(path.join(s.dir, "dbkit.config.json"), JSON.stringify({ exclude: ["notes.sql", "scratch-*.sql"] }));
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("share a version and run in name order: 0006_seed_data_google, 0006_seed_data_openai");
    expect(await journalNames(s.db)).toEqual(["0006_seed_data_google", "0006_seed_data_openai"]);
  });

  it("applies nothing and exits 0 for an empty migrations folder", async () => {
    const s = await scenario({});
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("nothing to apply");
  });

  it("exits 2 when the migrations folder is missing", async () => {
    const s = await scenario({});
    const result = await s.dbkit(["migrate", "--migrations-dir", "nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/migrations folder not found: .*nope/);
  });

  it("uses a configured journal schema and keeps it away from PUBLIC", async () => {
    const s = await scenario(BASIC);
    const result = await s.dbkit(["migrate", "--journal-schema", "ops_journal"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await journalNames(s.db, "ops_journal")).toHaveLength(3);
    const [acl] = await s.db.sql`select nspacl::text as acl from pg_namespace where nspname = 'ops_journal'`;
    expect(acl?.acl ?? "").not.toMatch(/(^|[{,])=/); // no grant to PUBLIC
    await s.db.sql.unsafe("create role dbkit_probe_reader login");
    try {
      const [row] = await s.db.sql`select has_schema_privilege('dbkit_probe_reader', 'ops_journal', 'usage') as usage`;
      expect(row?.usage).toBe(false);
    } finally {
      await s.db.sql.unsafe("drop role dbkit_probe_reader");
    }
  });

  describe("--single-transaction", () => {
    it("applies every pending migration in one transaction, each with its journal row", async () => {
      const s = await scenario(BASIC);
      const result = await s.dbkit(["migrate", "--single-transaction"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("applied 3 migration(s)");
      expect(await journalNames(s.db)).toEqual(["0001_users", "0002_posts", "0003_index"]);
      // One transaction: every row carries the same transaction's start time.
      const [row] = await s.db.sql`select count(distinct applied_at)::int as distinct from dbkit.migrations`;
      expect(row?.distinct).toBe(1);
      expect((await s.dbkit(["migrate", "--single-transaction"])).stdout).toContain("nothing to apply");
    });

    it("applies nothing at all when a late file fails, and says so", async () => {
      const s = await scenario({ ...BASIC, "migrations/0004_broken.sql": "create table fine (id int);\nselect * fro fine;\n" });
      const result = await s.dbkit(["migrate", "--single-transaction"]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain("migrations/0004_broken.sql:2:");
      expect(result.stderr).toContain("nothing from this run was applied");
      expect(await tableExists(s.db, "users")).toBe(false);
      expect(await tableExists(s.db, "fine")).toBe(false);
      expect(await journalNames(s.db)).toEqual([]);
    });

    it("blames the file that failed, not the files sent after it", async () => {
      const s = await scenario({ ...BASIC, "migrations/0004_broken.sql": "select * fro fine;\n", "migrations/0005_after.sql": "create table after_it (id int);\n" });
      const result = await s.dbkit(["migrate", "--single-transaction", "--json"]);
      expect(result.code).toBe(4);
      expect(json(result).error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", details: { file: "migrations/0004_broken.sql", line: 1 } });
      expect(result.stdout).not.toContain("current transaction is aborted");
      expect(await tableExists(s.db, "after_it")).toBe(false);
      expect(await journalNames(s.db)).toEqual([]);
    });

    it("refuses a no-transaction file before anything runs", async () => {
      const s = await scenario({ ...BASIC, "migrations/0004_concurrent.sql": "-- dbkit:no-transaction\ncreate index concurrently users_email_idx on users (email);\n" });
      const result = await s.dbkit(["migrate", "--single-transaction"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("0004_concurrent.sql is a no-transaction file");
      expect(await tableExists(s.db, "users")).toBe(false);
    });

    it("names every no-transaction file in one refusal", async () => {
      const s = await scenario({
        ...BASIC,
        "migrations/0004_concurrent.sql": "-- dbkit:no-transaction\ncreate index concurrently users_email_idx on users (email);\n",
        "migrations/0005_vacuum.sql": "-- dbkit:no-transaction\nvacuum users;\n",
      });
      const result = await s.dbkit(["migrate", "--single-transaction"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("migrations/0004_concurrent.sql, migrations/0005_vacuum.sql are no-transaction files");
    });
  });
});
