import { describe, expect, it } from "vitest";
import { foreignObjects, ownedSchemas, schemasCreated } from "../../src/core/foreign-objects.js";
import { statements } from "../support/parse.js";


describe("what reset must remove outside the project's schemas", () => {
  it("owns public and the schemas the migrations create; a platform-named one only when the project creates it", async () => {
    const parsed = await statements("create schema app; create schema if not exists extensions; create schema billing;");
    expect(schemasCreated(parsed)).toEqual(["app", "extensions", "billing"]);
    // In a Supabase project `create schema if not exists extensions` is the platform's schema.
    expect(ownedSchemas(undefined, parsed, true)).toEqual(["public", "app", "billing"]);
    // Elsewhere nobody else made it: it is the project's.
    expect(ownedSchemas(undefined, parsed)).toEqual(["public", "app", "extensions", "billing"]);
    expect(ownedSchemas(["app", "auth"], parsed)).toEqual(["app"]);
    const own = await statements("create schema storage; create schema auth; create table storage.files (id int);");
    expect(ownedSchemas(undefined, own, true)).toEqual(["public", "storage", "auth"]);
    expect(foreignObjects(own, ownedSchemas(undefined, own))).toEqual([]);
  });

  it("finds triggers, policies, functions, indexes, relations, types, rows and publications in other schemas", async () => {
    const parsed = await statements(`
      create trigger on_auth_user_created after insert on auth.users for each row execute function public.handle_new_user();
      create trigger local_trigger before update on public.profiles for each row execute function public.touch();
      create policy "Avatar images are public" on storage.objects for select using (bucket_id = 'avatars');
      create or replace function auth.is_admin() returns boolean language sql as $$ select true $$;
      create function public.mine() returns int language sql as $$ select 1 $$;
      create index users_email_idx on auth.users (email);
      create table auth.extra (id int); create view auth.v as select 1; create sequence auth.s;
      create type auth.mood as enum ('a'); create domain auth.email as text; create type auth.span as range (subtype = int4);
      insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true), ('docs', 'docs', false);
      insert into public.settings (key) values ('x');
      create publication app_changes for all tables;
    `);
    expect(foreignObjects(parsed, ["public"])).toEqual([
      { kind: "trigger", schema: "auth", table: "users", name: "on_auth_user_created" },
      { kind: "policy", schema: "storage", table: "objects", name: "Avatar images are public" },
      { kind: "function", schema: "auth", name: "is_admin" },
      { kind: "index", schema: "auth", name: "users_email_idx" },
      { kind: "table", schema: "auth", name: "extra" },
      { kind: "view", schema: "auth", name: "v" },
      { kind: "sequence", schema: "auth", name: "s" },
      { kind: "type", schema: "auth", name: "mood" },
      { kind: "type", schema: "auth", name: "email" },
      { kind: "type", schema: "auth", name: "span" },
      { kind: "rows", schema: "storage", table: "buckets", columns: ["id", "name", "public"], rows: [["avatars", "avatars", "true"], ["docs", "docs", "false"]] },
      { kind: "publication", name: "app_changes" },
    ]);
  });
});

describe("Supabase project detection", async () => {
  const { detectSupabaseProject } = await import("../../src/core/supabase-project.js");
  const detect = async (sql: string, more: Partial<{ configured: boolean; hasSupabaseConfig: boolean }> = {}) =>
    detectSupabaseProject({ configured: more.configured, hasSupabaseConfig: more.hasSupabaseConfig ?? false, files: [{ path: "migrations/0001_a.sql", statements: await statements(sql) }] });

  it("follows the config, then supabase/config.toml, then real uses of the platform in the migrations", async () => {
    expect(await detect("select auth.uid()", { configured: false })).toMatchObject({ supabase: false, reason: '"supabase": false in dbkit.config.json' });
    expect(await detect("create table t (id int)", { hasSupabaseConfig: true })).toEqual({ supabase: true, reason: "supabase/config.toml exists" });
    expect(await detect("create table t (id int);\ncreate policy p on t to authenticated using (true)")).toEqual({ supabase: true, reason: "migrations/0001_a.sql:2 uses the Supabase API role authenticated" });
    expect(await detect("grant select on t to anon")).toMatchObject({ supabase: true });
    expect(await detect("create table p (id uuid references auth.users (id))")).toMatchObject({ supabase: true, reason: expect.stringContaining("references auth.users") });
    expect(await detect("create policy p on t using (auth.uid() = owner)")).toMatchObject({ supabase: true, reason: expect.stringContaining("calls auth.uid()") });
    expect(await detect("create table oauth_tokens (id int)")).toMatchObject({ supabase: false });
  });

  it("does not take a table alias named auth, or the project's own auth schema and roles, for Supabase's", async () => {
    // drizzle-style query: `auth` is an alias of a table, auth.email a column.
    expect(await detect("create view v as select auth.email, auth.id from accounts auth where auth.role = 'anon'")).toMatchObject({ supabase: false });
    expect(await detect("create schema auth; create table auth.users (id int); create function auth.uid() returns int language sql as 'select 1'; create view v as select auth.uid(), * from auth.users")).toMatchObject({ supabase: false });
    expect(await detect("create role anon; grant select on t to anon")).toMatchObject({ supabase: false });
  });
});
