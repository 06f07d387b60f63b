import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/databases.js";
import { schemaFingerprint } from "../support/fingerprint.js";
import { BIN, createProject, runCli } from "../support/project.js";
import { journalNames, json, scenario } from "../support/scenario.js";

/**
 * A stand-in for a platform (like Supabase's auth and storage) that the project does not own:
 * created before the migrations, in schemas the migrations do not create.
 */
const PLATFORM = `
create schema platform;
create table platform.users (id uuid primary key, email text);
create table platform.buckets (id text primary key, name text not null, public boolean not null default false);
insert into platform.buckets values ('platform-owned', 'kept', false);
create table platform.objects (id int primary key, bucket_id text);
create function platform.uid() returns uuid language sql stable as $$ select null::uuid $$;
create schema unrelated;
create table unrelated.keep (id int);
`;

const PROJECT = {
  "migrations/0001_tables.sql": "create schema app;\ncreate table public.profiles (id uuid primary key, email text);\ncreate table app.jobs (id serial primary key, profile_id uuid references public.profiles (id));\ncreate type public.mood as enum ('ok', 'meh');\n",
  "migrations/0002_functions.sql":
    "create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$\nbegin\n  insert into public.profiles (id, email) values (new.id, new.email);\n  return new;\nend;\n$$;\n" +
    "create function platform.is_admin() returns boolean language sql stable as $$ select true $$;\n",
  "migrations/0003_triggers.sql": "create trigger on_user_created after insert on platform.users for each row execute function public.handle_new_user();\n",
  "migrations/0004_rls.sql":
    "alter table public.profiles enable row level security;\ncreate policy profiles_self on public.profiles for select using (id = platform.uid());\n" +
    "alter table platform.objects enable row level security;\ncreate policy avatars_read on platform.objects for select using (bucket_id = 'avatars');\n" +
    "create index objects_bucket_idx on platform.objects (bucket_id);\n",
  "migrations/0005_buckets.sql": "insert into platform.buckets (id, name, public) values ('avatars', 'avatars', true), ('docs', 'docs', false);\n",
  "seeds/profiles.sql": "insert into public.profiles values ('00000000-0000-0000-0000-000000000001', 'seed@example.com') on conflict do nothing;\n",
};

describe("dbkit reset", () => {
  it("rebuilds a schema identical to a fresh migrate, removing what migrations put in schemas the project does not own", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    expect((await s.dbkit(["migrate"])).code).toBe(0);

    const fresh = await createTestDatabase();
    await fresh.sql.unsafe(PLATFORM);
    expect((await runCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: fresh.url } })).code).toBe(0);

    await s.db.sql`insert into public.profiles values ('00000000-0000-0000-0000-000000000002', 'user@example.com')`;
    const reset = await s.dbkit(["reset", "--yes"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain("reset: dropped schema(s) public, app, dbkit");
    expect(reset.stderr).toContain("trigger on_user_created on platform.users");
    expect(reset.stderr).toContain("2 row(s) in platform.buckets");
    expect(reset.stdout).toContain("applied 5 migration(s), 1 seed(s)");

    expect(await schemaFingerprint(s.db.sql)).toEqual(await schemaFingerprint(fresh.sql));
    expect(await s.db.sql`select id from public.profiles`).toHaveLength(1); // data went with the schema
    expect((await s.db.sql`select id from platform.buckets order by id`).map((r) => r.id)).toEqual(["avatars", "docs", "platform-owned"]);
  });

  it("--no-migrate drops only what the project owns and leaves every other schema as it was", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    const before = await schemaFingerprint(s.db.sql);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result)).toMatchObject({ command: "reset", droppedSchemas: ["public", "app", "dbkit"], owned: ["public", "app"] });
    // The state before the first migrate: platform objects back as they were, unrelated untouched.
    // Only RLS stays enabled on platform.objects: turning it off could expose a platform table
    // (Supabase enables it on storage.objects itself), and enabling it again is idempotent.
    const rlsLine = "relation platform.objects kind=r rls=true/false acl=-";
    expect((await schemaFingerprint(s.db.sql)).map((line) => (line === rlsLine ? line.replace("rls=true", "rls=false") : line))).toEqual(before);
    expect((await s.db.sql`select id from platform.buckets`).map((r) => r.id)).toEqual(["platform-owned"]);
  });

  it("restores public's owner, privileges, default privileges and comment exactly", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    const role = `dbkit_api_${Math.random().toString(36).slice(2, 8)}`;
    await s.db.sql.unsafe(`create role ${role} nologin`);
    try {
      await s.db.sql.unsafe(`grant usage on schema public to ${role} with grant option; alter default privileges in schema public grant select, insert on tables to ${role}; alter default privileges in schema public grant usage on sequences to ${role}; alter default privileges for role postgres in schema public grant execute on functions to ${role}`);
      const snapshot = () => s.db.sql`select n.nspowner::regrole::text as owner, n.nspacl::text as acl, obj_description(n.oid, 'pg_namespace') as comment,
        (select array_agg(d.defaclrole::regrole::text || ':' || d.defaclobjtype::text || ':' || d.defaclacl::text order by d.defaclobjtype) from pg_default_acl d where d.defaclnamespace = n.oid) as defaults
        from pg_namespace n where n.nspname = 'public'`;
      const [before] = await snapshot();
      expect((await s.dbkit(["migrate"])).code).toBe(0);
      expect((await s.dbkit(["reset", "--yes"])).code).toBe(0);
      const [after] = await snapshot();
      expect(after).toEqual(before);
      expect(before?.defaults).toHaveLength(3);
    } finally {
      await s.db.sql.unsafe(`drop owned by ${role}; drop role ${role}`);
    }
  });

  it("refuses without confirmation when not in a terminal, changing nothing", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    await s.dbkit(["migrate"]);
    const result = await s.dbkit(["reset"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/database: .*dbkit_test_\w+/);
    expect(result.stderr).toContain("reset needs confirmation");
    expect(await journalNames(s.db)).toHaveLength(6); // 5 migrations and the seed
  });

  it.skipIf(!existsSync("/usr/bin/script"))("in a terminal, asks for the database name and goes ahead only when it matches", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    await s.dbkit(["migrate"]);
    // `script` gives dbkit a terminal; the answer is typed on its standard input.
    const inTerminal = (answer: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn("script", ["-qec", `${process.execPath} ${BIN} reset --no-migrate --no-color`, "/dev/null"], { cwd: s.dir, env: { ...process.env, DATABASE_URL: s.db.url } });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stdin.end(`${answer}\n`);
        child.on("close", (code) => resolve({ code, output }));
      });
    const wrong = await inTerminal("not-the-name");
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain(`Type the database name to continue`);
    expect(wrong.output).toContain("nothing was changed");
    expect(await journalNames(s.db)).toHaveLength(6);
    const right = await inTerminal(s.db.name);
    expect(right.code, right.output).toBe(0);
    expect(right.output).toContain("reset: dropped schema(s) public, app, dbkit");
  });

  it("refuses a database on another machine without --allow-remote, before connecting", async () => {
    const dir = await createProject(PROJECT);
    const result = await runCli(["reset", "--yes"], { cwd: dir, env: { DATABASE_URL: "postgres://app:Sup3rSecret@db.example.com:5432/prod" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("database: db.example.com:5432/prod as app");
    expect(result.stderr).toContain("refusing to reset db.example.com: it is not on this machine");
    expect(result.stderr).not.toContain("Sup3rSecret");
  });

  it("drops only the configured schemas whole; what migrations made elsewhere goes object by object", async () => {
    const s = await scenario({ ...PROJECT, "dbkit.config.json": JSON.stringify({ schemas: ["app"] }) });
    await s.db.sql.unsafe(PLATFORM);
    await s.db.sql`create table public.not_from_migrations (id int)`;
    await s.dbkit(["migrate"]);
    const result = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(json(result)).toMatchObject({ droppedSchemas: ["app", "dbkit"], owned: ["app"] });
    expect(json(result).removed).toEqual(expect.arrayContaining(["table public.profiles"]));
    const [row] = await s.db.sql`select to_regclass('public.not_from_migrations') is not null as kept, to_regclass('public.profiles') is null as removed`;
    expect(row).toEqual({ kept: true, removed: true });
  });
});
