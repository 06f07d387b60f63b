import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario, type Scenario } from "../support/scenario.js";

async function schemaExists(s: Scenario, name: string): Promise<boolean> {
  const [row] = await s.db.sql`select to_regnamespace(${name}) is not null as exists`;
  return Boolean(row?.exists);
}

describe("Supabase detection that cannot misfire", () => {
  it("a drizzle project whose query aliases a table as auth is not taken for a Supabase one", async () => {
    const s = await scenario({
      "migrations/0000_init.sql":
        'CREATE TABLE "accounts" ("id" serial PRIMARY KEY NOT NULL, "email" text NOT NULL, "role" text);\n--> statement-breakpoint\n' +
        'CREATE VIEW "account_emails" AS SELECT auth.email, auth.role FROM "accounts" auth WHERE auth.role <> \'anon\';\n',
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("Supabase base");
    expect(await schemaExists(s, "auth")).toBe(false);
    expect(await schemaExists(s, "storage")).toBe(false);
  });

  it("says why a project was taken for a Supabase one, and gives it the platform's roles and search_path", async () => {
    const s = await scenario({
      "migrations/0001_profiles.sql":
        "create table public.profiles (id uuid primary key default uuid_generate_v4(), owner uuid);\n" +
        "alter table public.profiles enable row level security;\ncreate policy own on public.profiles for select to authenticated using (owner = auth.uid());\n" +
        "grant select on public.profiles to supabase_auth_admin, dashboard_user;\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("installed the Supabase base (API roles, auth, storage, realtime, extensions) for local development: a Supabase project (migrations/0001_profiles.sql:3 calls auth.uid())");
    const [db] = await s.db.sql`select setconfig from pg_db_role_setting where setdatabase = (select oid from pg_database where datname = current_database()) and setrole = 0`;
    expect(db?.setconfig).toEqual(['search_path="$user", public, extensions']);
    const roles = await s.db.sql`select rolname from pg_roles where rolname in ('supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user') order by 1`;
    expect(roles.map((r) => r.rolname)).toEqual(["dashboard_user", "supabase_auth_admin", "supabase_storage_admin"]);
  });

  it("a project that creates its own auth and storage schemas owns them: no base there, and verify compares them", async () => {
    const s = await scenario({
      "migrations/0001_own.sql":
        "create schema auth;\ncreate table auth.users (id int primary key, email text);\n" +
        "create schema storage;\ncreate table storage.files (id int primary key, path text not null);\ncreate index files_path_idx on storage.files (path);\n",
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).not.toContain("Supabase base");
    const clean = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    await s.db.sql.unsafe("alter table storage.files add column hotfix text; drop index storage.files_path_idx; alter table auth.users add column extra int");
    const drift = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--no-cache"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(5);
    expect(drift.stdout).toContain("+ column storage.files.hotfix: not created by the migrations");
    expect(drift.stdout).toContain("- index storage.files_path_idx: missing");
    expect(drift.stdout).toContain("+ column auth.users.extra: not created by the migrations");
    const reset = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(json(reset).droppedSchemas).toEqual(expect.arrayContaining(["auth", "storage", "public"]));
    expect(await schemaExists(s, "storage")).toBe(false);
  });

  it("a Supabase project keeps the base's own auth and storage out of its schemas, and owns a storage it creates itself", async () => {
    const s = await scenario({
      "supabase/config.toml": "[db]\nport = 54322\n",
      "supabase/migrations/20250101000000_own_storage.sql": "create schema storage;\ncreate table storage.things (id int primary key);\n",
    });
    await rm(`${s.dir}/migrations`, { recursive: true }); // a Supabase project has no top-level migrations/
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain("a Supabase project (supabase/config.toml exists)");
    expect(await schemaExists(s, "auth")).toBe(true);
    const [bucket] = await s.db.sql`select to_regclass('storage.buckets') is null as absent`;
    expect(bucket?.absent).toBe(true);
  });

  it("verify --security on a plain Postgres project runs only the checks that hold without an API", async () => {
    const s = await scenario({
      "migrations/0001_app.sql":
        'create table public."User" (id int primary key);\n' +
        "create function public.definer() returns int language sql security definer as $$ select 1 $$;\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["verify", "--security", "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const codes = (json(result).findings as { code: string }[]).map((f) => f.code);
    expect(codes).toEqual(["SEC_DEFINER_SEARCH_PATH"]);
    const human = await s.dbkit(["verify", "--security"]);
    expect(human.stderr).toContain("not a Supabase project");
  });

  it("a Supabase project's RLS finding suggests a fix that runs, with the name quoted", async () => {
    const s = await scenario({
      "migrations/0001_app.sql": 'create table public."User" (id int primary key);\ngrant select on public."User" to anon;\n',
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["verify", "--security", "--json"]);
    expect(result.code).toBe(5);
    const finding = (json(result).findings as { code: string; hint: string }[]).find((f) => f.code === "SEC_RLS_DISABLED");
    expect(finding?.hint).toBe('alter table public."User" enable row level security; then add policies');
    await s.db.sql.unsafe(finding!.hint.replace(/; then.*$/, ""));
    const [row] = await s.db.sql`select relrowsecurity from pg_class where oid = 'public."User"'::regclass`;
    expect(row?.relrowsecurity).toBe(true);
  });
});
