import { describe, expect, it } from "vitest";
import { foreignObjects, ownedSchemas, schemasCreated } from "../../src/core/foreign-objects.js";
import { statements } from "../support/parse.js";


describe("what reset must remove outside the project's schemas", () => {
  it("owns public and the schemas the migrations create, never a platform schema", async () => {
    const parsed = await statements("create schema app; create schema if not exists extensions; create schema billing;");
    expect(schemasCreated(parsed)).toEqual(["app", "extensions", "billing"]);
    expect(ownedSchemas(undefined, parsed)).toEqual(["public", "app", "billing"]);
    expect(ownedSchemas(["app", "auth"], parsed)).toEqual(["app"]);
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
      create type auth.mood as enum ('a'); create domain auth.email as text;
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
      { kind: "rows", schema: "storage", table: "buckets", columns: ["id", "name", "public"], rows: [["avatars", "avatars", "true"], ["docs", "docs", "false"]] },
      { kind: "publication", name: "app_changes" },
    ]);
  });
});

describe("Supabase project detection", async () => {
  const { isSupabaseProject } = await import("../../src/core/supabase-project.js");
  it("follows the config, then the folder layout, then references in the migrations", () => {
    expect(isSupabaseProject(false, "/p/supabase/migrations", [{ text: "select auth.uid()" }])).toBe(false);
    expect(isSupabaseProject(undefined, "/p/supabase/migrations", [])).toBe(true);
    expect(isSupabaseProject(undefined, "/p/migrations", [{ text: "create policy p on t to authenticated using (true)" }])).toBe(true);
    expect(isSupabaseProject(undefined, "/p/migrations", [{ text: "create table oauth_tokens (id int)" }])).toBe(false);
  });
});
