/**
 * `dbkit test` on a suite written for `supabase test db` (pg_prove, a session per file) the way
 * many projects write one: a first file with its own copy of basejump's helpers (as basejump's
 * README suggests, `00000-supabase_test_helpers.sql`), a fixtures file defining a function outside
 * its `begin; ... rollback;` block, and files calling it inside theirs. What a file does outside its
 * block stays for the files after it; what it does inside is rolled back; with --url nothing stays.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { scenario } from "../support/scenario.js";

const SUITE: Record<string, string> = {
  "supabase/config.toml": "[db]\nport = 54322\n",
  "supabase/migrations/20240501000000_courses.sql": [
    "create table public.courses (id bigint generated always as identity primary key, title text not null, owner_id uuid not null references auth.users (id));",
    "alter table public.courses enable row level security;",
    "create policy courses_owner on public.courses for all to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));",
    "grant select, insert, update, delete on public.courses to authenticated;",
    "",
  ].join("\n"),
  // The project's own copy of two helpers: another parameter name and one argument fewer than dbkit's.
  "supabase/tests/database/00000-supabase_test_helpers.sql": [
    "create extension if not exists pgtap with schema extensions;",
    "create schema if not exists tests;",
    "create or replace function tests.create_supabase_user(identifier text, email text default null, phone text default null) returns uuid",
    "  security definer set search_path = auth, pg_temp language plpgsql as $$",
    "declare user_id uuid := gen_random_uuid();",
    "begin",
    "  insert into auth.users (id, email, phone, raw_user_meta_data) values (user_id, coalesce(email, identifier || '@test.local'), phone, json_build_object('test_identifier', identifier));",
    "  return user_id;",
    "end $$;",
    "create or replace function tests.authenticate_as(who text) returns void language plpgsql as $$",
    "begin",
    "  perform set_config('role', 'none', true);",
    "  perform set_config('request.jwt.claims', json_build_object('sub', (select id from auth.users where raw_user_meta_data ->> 'test_identifier' = who))::text, true);",
    "  perform set_config('role', 'authenticated', true);",
    "end $$;",
    "begin;",
    "select plan(2);",
    "select function_returns('tests', 'create_supabase_user', array['text', 'text', 'text'], 'uuid');",
    "select function_returns('tests', 'clear_authentication', array[null], 'void');",
    "select * from finish();",
    "rollback;",
    "",
  ].join("\n"),
  "supabase/tests/database/00001-fixtures.sql": [
    "create or replace function tests.make_courses() returns void security definer language plpgsql as $$",
    "begin",
    "  perform tests.create_supabase_user('ann');",
    "  perform tests.create_supabase_user('ben');",
    "  insert into public.courses (title, owner_id) select 'algebra', id from auth.users where email = 'ann@test.local';",
    "end $$;",
    "begin;",
    "select plan(1);",
    "select ok(to_regprocedure('tests.make_courses()') is not null, 'the fixtures are defined');",
    "select * from finish();",
    "rollback;",
    "",
  ].join("\n"),
  "supabase/tests/database/01-owner.sql": [
    "begin;",
    "select plan(2);",
    "select tests.make_courses();",
    "select tests.authenticate_as('ann');",
    "select results_eq($$ select title from public.courses $$, array['algebra'], 'ann sees her course');",
    "select tests.authenticate_as('ben');",
    "select is_empty($$ select * from public.courses $$, 'ben sees none');",
    "select * from finish();",
    "rollback;",
    "",
  ].join("\n"),
  "supabase/tests/database/02-rolled-back.sql": [
    "begin;",
    "select plan(2);",
    "select is((select count(*) from public.courses), 0::bigint, 'the other file''s course is gone');",
    "select is((select count(*) from auth.users), 0::bigint, 'and its users');",
    "select * from finish();",
    "rollback;",
    "",
  ].join("\n"),
};

describe("dbkit test on a suite written for supabase test db", () => {
  it("keeps what a file defines outside its begin/rollback for the files after it, and takes the project's own helpers", async () => {
    const project = await createProject(SUITE);
    const result = await runCli(["test", "--json", "--shadow-url", serverUrl()], { cwd: project });
    const doc = JSON.parse(result.stdout);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(doc.files.map((f: { file: string; assertions: number; failures: unknown[] }) => [f.file.replace("supabase/tests/database/", ""), f.assertions, f.failures])).toEqual([
      ["00000-supabase_test_helpers.sql", 2, []],
      ["00001-fixtures.sql", 1, []],
      ["01-owner.sql", 2, []],
      ["02-rolled-back.sql", 2, []],
    ]);
  });

  it("with --url leaves nothing behind: what the files keep for each other is rolled back at the end", async () => {
    const s = await scenario(SUITE);
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations`, { recursive: true });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const result = await s.dbkit(["test", "--url", s.db.url, "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, passed: 4, failed: 0 });
    const [left] = await s.db.sql`select to_regnamespace('tests') as helpers, (select count(*) from auth.users)::int as users, (select count(*) from public.courses)::int as courses`;
    expect(left).toEqual({ helpers: null, users: 0, courses: 0 });
  });
});
