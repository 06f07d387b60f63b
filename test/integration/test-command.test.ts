/** `dbkit test`: SQL test files run against the database the migrations build, each rolled back. */
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { test as runTests } from "../../src/index.js";
import { serverUrl } from "../support/databases.js";
import { scenario } from "../support/scenario.js";
import { createProject, runCli } from "../support/project.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function copyInto(project: string, ...folders: [from: string, to: string][]) {
  // A Supabase CLI project has no migrations/ folder of its own.
  if (folders.some(([, to]) => to === "supabase")) await rm(path.join(project, "migrations"), { recursive: true });
  for (const [from, to] of folders) await cp(path.join(ROOT, from), path.join(project, to), { recursive: true });
}

describe("dbkit test", () => {
  it("passes the example project's tests on the embedded default, and fails a policy loosened in a new migration naming file and line", async () => {
    const project = await createProject({});
    await copyInto(project, ["migrations", "migrations"], ["seeds", "seeds"], ["tests", "tests"]);
    const passed = await runCli(["test", "--matrix"], { cwd: project });
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/^PASS {2}tests\/admin\.test\.sql {2}5 assertion\(s\), \d+ ms$/m);
    expect(passed.stdout).toMatch(/^PASS {2}tests\/chats\.test\.sql {2}13 assertion\(s\), \d+ ms$/m);
    expect(passed.stdout).toMatch(/^public\."Chat" +---- +SIUD +---- +SIUD$/m);

    await writeFile(path.join(project, "migrations/0006_share_chats.sql"), `create policy "Signed-in users read chats" on public."Chat" for select to authenticated using (true);\n`);
    const failed = await runCli(["test", "--matrix", "--shadow-url", serverUrl()], { cwd: project });
    expect(failed.code, failed.stdout + failed.stderr).toBe(5);
    expect(failed.stdout).toMatch(/^FAIL {2}tests\/chats\.test\.sql/m);
    expect(failed.stdout).toContain("tests/chats.test.sql:16  not ok 1 - alice sees only her chat");
    expect(failed.stdout).toContain("expected: alice's chat");
    expect(failed.stdout).toContain("found:    alice's chat, bob's chat");
    // The matrix names table, role and command of the access that appeared.
    expect(failed.stdout).toContain(`✗ public."Chat": authenticated, as another user can SELECT, which tests/access-matrix.json does not allow`);
    expect(failed.stdout.match(/✗ public\./g)).toHaveLength(1);
  });

  it("runs a pgTAP folder written as Supabase's guide and basejump's helpers show, zero-config from supabase/tests", async () => {
    const project = await createProject({});
    await copyInto(project, ["test/fixtures/supabase-pgtap/supabase", "supabase"]);
    const result = await runCli(["test", "--json", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: true, command: "test", passed: 3, failed: 0 });
    expect(doc.files.map((f: { file: string; assertions: number }) => [f.file, f.assertions])).toEqual([
      ["supabase/tests/database/00-schema.test.sql", 2],
      ["supabase/tests/database/todos-helpers.test.sql", 5],
      ["supabase/tests/database/todos-rls.test.sql", 4],
    ]);
  });

  it("reports a loosened policy in the pgTAP folder, a wrong error expected, a plan not met, and an unsupported pgTAP function by name", async () => {
    const project = await createProject({});
    await copyInto(project, ["test/fixtures/supabase-pgtap/supabase", "supabase"]);
    const migration = path.join(project, "supabase/migrations/20240101000000_todos.sql");
    await writeFile(migration, (await readFile(migration, "utf8")).replace(`for select using ((select auth.uid()) = user_id)`, `for select using (true)`));
    await writeFile(
      path.join(project, "supabase/tests/database/zz-more.test.sql"),
      [
        "begin;",
        "select plan(3);",
        "select throws_ok($$ select 1/0 $$, '42501', 'permission denied', 'denied');",
        "select ok(true);",
        "select * from finish();",
        "select table_privs_are('public', 'todos', 'anon', array['SELECT']);",
        "rollback;",
        "",
      ].join("\n"),
    );
    const result = await runCli(["test", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(result.stdout).toMatch(/supabase\/tests\/database\/todos-rls\.test\.sql:22 {2}not ok 1 - User 1 should only see their 2 todos\n {4}expected: 2\n {4}found: {4}3/);
    expect(result.stdout).toMatch(/todos-helpers\.test\.sql:\d+ {2}not ok 3 - another user does not see it/);
    expect(result.stdout).toMatch(/zz-more\.test\.sql:3 {2}not ok 1 - denied\n {4}expected: 42501: permission denied\n {4}found: {4}22012: division by zero/);
    expect(result.stdout).toMatch(/zz-more\.test\.sql:5 {2}not ok - planned 3 test\(s\) but ran 2/);
    expect(result.stdout).toContain("zz-more.test.sql:6  table_privs_are() is a pgTAP function dbkit test does not provide");
  });

  it("tells denied by RLS from denied by a missing grant in a plain project, and a statement error has its line", async () => {
    const project = await createProject({
      "migrations/0001_notes.sql": [
        "do $$ begin create role app_reader nologin; exception when duplicate_object then null; end $$;",
        "create table public.notes (id int primary key, owner text not null default current_user);",
        "alter table public.notes enable row level security;",
        "create policy own on public.notes for all to app_reader using (owner = current_user);",
        "grant select, insert on public.notes to app_reader;",
        "",
      ].join("\n"),
      "tests/notes.sql": [
        "insert into public.notes (id, owner) values (1, 'someone');",
        "set local role app_reader;",
        "select tests.rows_visible('select * from public.notes', 0, 'hidden by the policy');",
        "select tests.denied($$ insert into public.notes (id, owner) values (2, 'someone') $$, 'rls', 'a forged owner');",
        "select tests.denied($$ delete from public.notes $$, 'grant', 'no delete privilege');",
        "select tests.allowed($$ insert into public.notes (id) values (3) $$, 'an own note');",
        "select tests.denied($$ insert into public.notes (id, owner) values (4, 'someone') $$, 'grant', 'wrong reason');",
        "select 1 +",
        "  no_such_column;",
        "select tests.allowed('select 1');",
        "",
      ].join("\n"),
    });
    const result = await runCli(["test", "--json", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(5);
    const [file] = JSON.parse(result.stdout).files;
    expect(file.failures).toEqual([
      { line: 7, message: "not ok 5 - wrong reason", expected: "denied by grant", found: 'denied by rls: new row violates row-level security policy for table "notes"' },
      { line: 9, message: 'error 42703: column "no_such_column" does not exist' },
    ]);
  });

  it("leaves nothing behind between files: each file's writes are rolled back", async () => {
    const project = await createProject({
      "migrations/0001_t.sql": "create table public.t (id int);\n",
      "tests/a.sql": "insert into public.t values (1);\nselect is((select count(*) from public.t), 1::bigint, 'one row');\n",
      "tests/b.sql": "select is_empty('select * from public.t', 'the other file''s row is gone');\n",
    });
    const result = await runCli(["test", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("2 test file(s) passed");
  });

  it("is the programmatic API's test(): the same document --json prints", async () => {
    const project = await createProject({
      "migrations/0001_t.sql": "create table public.t (id int);\n",
      "tests/t.sql": "select is(1, 2, 'one is two');\n",
    });
    const report = await runTests({ cwd: project, shadowUrl: serverUrl() });
    expect(report).toMatchObject({ ok: false, command: "test", passed: 0, failed: 1 });
    expect(report.files[0]?.failures).toEqual([{ line: 1, message: "not ok 1 - one is two", expected: "2", found: "1" }]);
  });

  it("--url tests a named database as it is, each file and the helpers in a rolled-back transaction: nothing is left behind", async () => {
    const s = await scenario({});
    await copyInto(s.dir, ["test/fixtures/supabase-pgtap/supabase", "supabase"]);
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    await writeFile(
      path.join(s.dir, "supabase/tests/database/zz-leaves-nothing.test.sql"),
      "create table public.scratch_left (id int);\ncreate schema made_by_test;\nselect tests.create_user('dave');\ncommit;\nselect ok(to_regclass('public.scratch_left') is not null, 'a commit in the file does not end the transaction');\n",
    );
    const before = await s.db.sql`select (select count(*) from pg_namespace)::int as schemas, (select count(*) from pg_class)::int as relations, (select count(*) from pg_proc)::int as functions`;
    const result = await s.dbkit(["test", "--url", s.db.url, "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, passed: 4, failed: 0 });
    const after = await s.db.sql`select (select count(*) from pg_namespace)::int as schemas, (select count(*) from pg_class)::int as relations, (select count(*) from pg_proc)::int as functions`;
    expect(after).toEqual(before);
    const [left] = await s.db.sql`select to_regnamespace('tests') as helpers, (select count(*) from auth.users)::int as users, (select count(*) from public.todos)::int as todos`;
    expect(left).toEqual({ helpers: null, users: 0, todos: 0 });
  });

  it("--url with --shadow-url is refused (exit 2)", async () => {
    const project = await createProject({ "tests/t.sql": "select 1;\n" });
    const result = await runCli(["test", "--url", serverUrl(), "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--url and --shadow-url name two databases to test: give one");
  });

  it("--junit writes a JUnit report CI systems read: a test case per file, a failure per failed file with its lines", async () => {
    const project = await createProject({
      "migrations/0001_t.sql": "create table public.t (id int);\n",
      "tests/fine.sql": "select ok(true, 'fine');\n",
      "tests/broken <&>.sql": "select ok(true);\nselect is(1, 2, 'one < two & \"quoted\"');\n",
    });
    const result = await runCli(["test", "--junit", "reports/junit.xml", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(5);
    const xml = await readFile(path.join(project, "reports/junit.xml"), "utf8");
    expect(xml).toMatch(/<testsuite name="dbkit test" tests="2" failures="1" errors="0" skipped="0" time="[\d.]+">/);
    expect(xml).toMatch(/<testcase classname="dbkit.test" name="tests\/fine.sql" file="tests\/fine.sql" assertions="1" time="[\d.]+"\/>/);
    expect(xml).toContain('<failure message="tests/broken &lt;&amp;&gt;.sql:2: not ok 2 - one &lt; two &amp; &quot;quoted&quot;" type="assertion">');
    expect(xml).toContain("  expected: 2\n  found:    1</failure>");
  });

  it("--matrix writes tests/access-matrix.json when there is none, tried as each role; later runs compare; a plain project is refused", async () => {
    const project = await createProject({});
    await copyInto(project, ["test/fixtures/supabase-pgtap/supabase", "supabase"]);
    const first = await runCli(["test", "--matrix", "--json", "--shadow-url", serverUrl()], { cwd: project });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).matrix).toMatchObject({ file: "supabase/tests/access-matrix.json", written: true, appeared: [] });
    const written = JSON.parse(await readFile(path.join(project, "supabase/tests/access-matrix.json"), "utf8"));
    expect(written.tables).toEqual({ "public.todos": { anon: "----", owner: "SIUD", other: "----", service_role: "SIUD" } });
    // A grant and a policy opening todos to anon: the comparison fails naming each new access.
    await writeFile(path.join(project, "supabase/migrations/20240102000000_open.sql"), "create policy \"anyone reads\" on public.todos for select to anon using (true);\n");
    const second = await runCli(["test", "--matrix", "--json", "--shadow-url", serverUrl()], { cwd: project });
    expect(second.code, second.stdout + second.stderr).toBe(5);
    expect(JSON.parse(second.stdout).matrix.appeared).toEqual([{ table: "public.todos", role: "anon", command: "select", message: "public.todos: anon can SELECT, which tests/access-matrix.json does not allow" }]);
    const updated = await runCli(["test", "--update-matrix", "--shadow-url", serverUrl()], { cwd: project });
    expect(updated.code, updated.stdout + updated.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(project, "supabase/tests/access-matrix.json"), "utf8")).tables["public.todos"].anon).toBe("S---");

    const plain = await createProject({ "migrations/0001_t.sql": "create table public.t (id int);\n", "tests/t.sql": "select 1;\n" });
    const refused = await runCli(["test", "--matrix", "--shadow-url", serverUrl()], { cwd: plain });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this is not a Supabase project");
  });

  it("exits 2 when there is no tests folder", async () => {
    const project = await createProject({ "migrations/0001_t.sql": "create table public.t (id int);\n" });
    const result = await runCli(["test", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no tests folder: tests does not exist");
  });
});
