/**
 * pgTAP's column, function and policy assertions, written as Supabase's testing guide writes them,
 * against a table with policies: each passes where the schema holds and fails, with what was
 * expected and found, where it does not.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";

const MIGRATION = [
  "create table public.profiles (id uuid primary key references auth.users (id), username varchar(40) not null, bio text, score numeric(6, 2));",
  "alter table public.profiles enable row level security;",
  "create policy \"profiles are readable\" on public.profiles for select using (true);",
  "create policy \"own profile\" on public.profiles for update to authenticated using ((select auth.uid()) = id);",
  "create function public.username_of(uid uuid) returns text language sql stable as $$ select username from public.profiles where id = uid $$;",
  "",
].join("\n");

const PASSING = [
  "begin;",
  "select plan(17);",
  "select has_column('public', 'profiles', 'username', 'profiles has a username');",
  "select has_column('profiles', 'bio');",
  "select hasnt_column('profiles', 'password');",
  "select col_is_pk('public', 'profiles', 'id', 'id is the key');",
  "select col_is_pk('profiles', 'id');",
  "select col_not_null('public', 'profiles', 'username', 'a username is required');",
  "select col_type_is('public', 'profiles', 'username', 'varchar(40)', 'username type');",
  "select col_type_is('profiles', 'bio', 'text');",
  "select col_type_is('profiles', 'score', 'numeric(6,2)');",
  "select has_function('public', 'username_of', array['uuid'], 'username_of(uuid) exists');",
  "select has_function('username_of');",
  "select policies_are('public', 'profiles', array['profiles are readable', 'own profile']);",
  "select policy_roles_are('public', 'profiles', 'own profile', array['authenticated']);",
  "select policy_roles_are('public', 'profiles', 'profiles are readable', array['public']);",
  "select policy_cmd_is('public', 'profiles', 'own profile'::name, 'update');",
  "select policy_cmd_is('profiles', 'profiles are readable', 'SELECT');",
  "select col_type_is('public', 'profiles', 'id'::name, 'uuid');",
  "select * from finish();",
  "rollback;",
  "",
].join("\n");

const FAILING = [
  "select col_not_null('public', 'profiles', 'bio', 'bio is required');",
  "select col_type_is('public', 'profiles', 'username', 'text', 'username is text');",
  "select policies_are('public', 'profiles', array['own profile'], 'one policy');",
  "select policy_cmd_is('public', 'profiles', 'own profile'::name, 'ALL', 'own profile is for all');",
  "select has_function('public', 'username_of', array['text'], 'username_of(text)');",
  "",
].join("\n");

describe("pgTAP column, function and policy assertions", () => {
  it("pass where the schema holds and fail with expected and found where it does not", async () => {
    const project = await createProject({
      "supabase/config.toml": "[db]\nport = 54322\n",
      "supabase/migrations/20240601000000_profiles.sql": MIGRATION,
      "supabase/tests/01-passing.sql": PASSING,
      "supabase/tests/02-failing.sql": FAILING,
    });
    const result = await runCli(["test", "--json", "--shadow-url", serverUrl()], { cwd: project });
    const doc = JSON.parse(result.stdout);
    expect(doc.files[0]).toMatchObject({ file: "supabase/tests/01-passing.sql", assertions: 17, failures: [] });
    expect(doc.files[1].failures).toEqual([
      { line: 1, message: "not ok 1 - bio is required", expected: "NOT NULL", found: "nullable" },
      { line: 2, message: "not ok 2 - username is text", expected: "text", found: "character varying" },
      { line: 3, message: "not ok 3 - one policy", expected: "own profile", found: "own profile, profiles are readable" },
      { line: 4, message: "not ok 4 - own profile is for all", expected: "ALL", found: "UPDATE" },
      { line: 5, message: "not ok 5 - username_of(text)", expected: "function public.username_of", found: "no such function" },
    ]);
    expect(result.code).toBe(5);
  });
});
