/** dbkit diff <name> from the CLI against real Postgres: the schema folder against the migrations, each use and refusal. */
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { migrationsOf, NOTES, project, read } from "../support/diff-project.js";
import { json, scenario } from "../support/scenario.js";

describe("dbkit diff <name>: the schema folder against the migrations", () => {
  it("writes the migration, proven; after dbkit migrate, diff has nothing to change and verify finds no drift", async () => {
    const s = await project({
      "migrations/0001_notes.sql": NOTES,
      "schema/notes.sql": NOTES.replace("not null", "not null, owner text") + "create table public.tags (id int primary key, name text, note_id bigint references public.notes (id));\n",
    });
    const result = await s.diff(["add", "owner"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("+ table public.tags");
    expect(result.stdout).toContain("+ column public.notes.owner");
    expect(result.stdout).toContain("wrote migrations/0002_add_owner.sql");
    expect(result.stdout).toContain("proven: the migration gives the declared schema (0 differences)");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql", "0002_add_owner.sql"]);
    expect(read(s, "migrations/0002_add_owner.sql")).toMatch(/^-- Migration: add owner\n/);

    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const again = await s.diff(["check"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to change");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql", "0002_add_owner.sql"]);
  });

  it("builds on the scratch embedded server when no --shadow-url is given, and stops it", async () => {
    const s = await scenario({ "migrations/0001_notes.sql": NOTES, "schema/notes.sql": NOTES + "create table public.tags (id int primary key);\n" });
    const result = await s.dbkit(["diff", "tags"], { DATABASE_URL: "" });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("proven: the migration gives the declared schema (0 differences)");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql", "0002_tags.sql"]);
    expect(existsSync(path.join(s.dir, ".dbkit", "scratch", "data", "postmaster.pid"))).toBe(false);
  });

  it("--dry-run prints only the SQL on stdout and writes nothing", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES, "schema/notes.sql": NOTES + "create table public.tags (id int not null);\n" });
    const result = await s.diff(["--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^-- Migration: /);
    expect(result.stdout).toMatch(/CREATE TABLE public\.tags/i);
    expect(result.stderr).toContain("+ table public.tags");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql"]);
  });

  it("--json prints one document: statements with object, action and hazard; files; proven", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES, "schema/notes.sql": NOTES + "create table public.tags (id int not null);\n" });
    const result = await s.diff(["tags", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = json(result);
    expect(doc).toMatchObject({ ok: true, command: "diff", proven: true, written: true, unsupported: [], files: [{ path: path.join("migrations", "0002_tags.sql"), noTransaction: false }] });
    expect(doc.statements).toContainEqual(expect.objectContaining({ object: "table public.tags", action: "create", hazard: null }));
    expect(doc.statements[0].sql).toMatch(/;$/);
  });

  it("refuses a drop without --allow-drop (exit 5, nothing written); with it, marks the statement in the file", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES + "create table public.old (id int);\n", "schema/notes.sql": NOTES });
    const refused = await s.diff(["drop", "old"]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect(refused.stdout).toContain("nothing written: the change loses data: table public.old");
    expect(refused.stdout).toContain("--allow-drop");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql"]);

    const allowed = await s.diff(["drop", "old", "--allow-drop"]);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain("- table public.old");
    expect(read(s, "migrations/0002_drop_old.sql")).toMatch(/-- dbkit: drops data: table public\.old .*\nDROP TABLE public\.old/i);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
  });

  it("a rename without a terminal is refused with the --rename hint; --rename writes ALTER ... RENAME", async () => {
    const plain = NOTES.replace(" primary key", " not null");
    const s = await project({ "migrations/0001_notes.sql": plain, "schema/notes.sql": plain.replace("public.notes", "public.memos") });
    const refused = await s.diff(["rename"]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect(refused.stdout).toContain("look renamed: table public.notes → table public.memos");
    expect(refused.stdout).toContain("--rename public.notes=public.memos");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql"]);

    const typo = await s.diff(["rename", "--rename", "public.notes=public.memo"]);
    expect(typo.code).toBe(5);
    expect(typo.stderr).toContain("--rename table public.notes → table public.memo: no table public.memo in schema/; ignored");

    const renamed = await s.diff(["rename", "--rename", "public.notes=public.memos"]);
    expect(renamed.code, renamed.stdout + renamed.stderr).toBe(0);
    expect(read(s, "migrations/0002_rename.sql")).toMatch(/ALTER TABLE public\.notes RENAME TO memos;/i);
    expect(renamed.stdout).toContain("proven: the migration gives");
  });

  it("an index on an existing table goes to a second, no-transaction file, built CONCURRENTLY; migrate applies both", async () => {
    const s = await project({
      "migrations/0001_notes.sql": NOTES,
      "schema/notes.sql": NOTES.replace("not null", "not null, owner text") + "create index notes_owner_idx on public.notes (owner);\n",
    });
    const result = await s.diff(["owner", "index"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("+ index public.notes_owner_idx");
    expect(result.stdout).toContain("proven: the migration gives");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql", "0002_owner_index.sql", "0003_owner_index_concurrently.sql"]);
    expect(read(s, "migrations/0002_owner_index.sql")).not.toMatch(/CREATE INDEX/i);
    const online = read(s, "migrations/0003_owner_index_concurrently.sql");
    expect(online.startsWith("-- dbkit:no-transaction\n")).toBe(true);
    expect(online).toMatch(/CREATE INDEX CONCURRENTLY notes_owner_idx ON public\.notes/i);
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(0);
  });

  it("a change it cannot write is refused by object (exit 5); --allow-incomplete writes the rest with it listed at the top", async () => {
    const s = await project({
      "migrations/0001_mood.sql": "create type public.mood as enum ('happy', 'sad', 'meh');\n",
      "schema/mood.sql": "create type public.mood as enum ('happy', 'sad');\ncreate table public.tags (id int primary key);\n",
    });
    const refused = await s.diff(["tags"]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect(refused.stdout).toContain("? type public.mood: not written (an enum label was removed or reordered");
    expect(refused.stdout).toContain("--allow-incomplete");
    expect(migrationsOf(s)).toEqual(["0001_mood.sql"]);

    const written = await s.diff(["tags", "--allow-incomplete"]);
    expect(written.code, written.stdout + written.stderr).toBe(0);
    const text = read(s, "migrations/0002_tags.sql");
    expect(text).toMatch(/^-- NOT WRITTEN \(dbkit diff --allow-incomplete\).*\n--   type public\.mood: an enum label was removed/m);
    expect(text.indexOf("type public.mood")).toBeLessThan(text.indexOf("CREATE TABLE public.tags"));
    expect((await s.dbkit(["migrate"])).code).toBe(0);
  });

  it("a migration the proof cannot apply is not written (exit 5): a NOT NULL column on a table the migrations fill", async () => {
    const s = await project({
      "migrations/0001_notes.sql": NOTES + "insert into public.notes values (1, 'kept');\n",
      "schema/notes.sql": NOTES.replace("not null", "not null, owner text not null"),
    });
    const result = await s.diff(["owner"]);
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(result.stdout).toMatch(/nothing written: the migration failed on top of the migrations in a scratch database: .*owner/);
    expect(migrationsOf(s)).toEqual(["0001_notes.sql"]);
  });

  it("a schema file that fails names the side and the file (exit 4)", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES, "schema/a.sql": NOTES, "schema/b.sql": "create table public.broken (id int references public.nowhere);\n" });
    const result = await s.diff(["broken"]);
    expect(result.code, result.stdout + result.stderr).toBe(4);
    expect(result.stderr).toMatch(/the build of schema\/ \(the desired state\) failed in a scratch database: .*schema\/b\.sql/);
  });

  it("needs a name unless --dry-run (exit 2), and says where the schema folder was looked for", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES });
    const unnamed = await s.diff([]);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain("needs a name");
    const missing = await s.diff(["x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("schema folder not found: schema/");
  });
});

describe("dbkit diff in another tool's folder", () => {
  it("writes a dbmate migration (its up and down sections) that dbkit migrate then applies", async () => {
    const s = await project({
      "migrations/20240101000000_notes.sql": `-- migrate:up\n${NOTES}\n-- migrate:down\ndrop table public.notes;\n`,
      "schema/notes.sql": NOTES + "create table public.tags (id int primary key);\n",
    });
    const result = await s.diff(["tags"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const written = migrationsOf(s);
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^\d{14}_tags\.sql$/);
    const text = read(s, `migrations/${written[1]}`);
    expect(text.startsWith("-- migrate:up\n")).toBe(true);
    expect(text).toContain("-- migrate:down\n");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(0);
  });
});

describe("dbkit diff in a Supabase layout", () => {
  it("writes what Supabase projects declare and other diff tools lose: column grants, storage policies, auth triggers, publications", async () => {
    const init = "create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);\n";
    const s = await project({
      "supabase/config.toml": "[db]\nmajor_version = 17\n",
      "supabase/migrations/20250101000000_init.sql": init,
      "supabase/schemas/profiles.sql":
        init +
        "alter table public.profiles enable row level security;\n" +
        "create policy \"own profile\" on public.profiles for select to authenticated using ((select auth.uid()) = id);\n" +
        "grant select (id, name) on public.profiles to authenticated;\n" +
        "create policy \"avatars are public\" on storage.objects for select using (bucket_id = 'avatars');\n" +
        "create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$ begin insert into public.profiles (id) values (new.id); return new; end $$;\n" +
        "create trigger on_auth_user_created after insert on auth.users for each row execute function public.handle_new_user();\n" +
        "alter publication supabase_realtime add table public.profiles;\n",
    });
    await rm(path.join(s.dir, "migrations"), { recursive: true });
    const result = await s.diff(["profiles", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = json(result);
    expect(doc).toMatchObject({ ok: true, proven: true, written: true, unsupported: [] });
    expect(doc.statements.map((statement: { object: string }) => statement.object)).toEqual(
      expect.arrayContaining([
        "function public.handle_new_user()",
        "trigger auth.users.on_auth_user_created",
        "policy storage.objects.avatars are public",
        "privilege column public.profiles.name to authenticated",
        "publication supabase_realtime table public.profiles",
      ]),
    );
    const written = readFileSync(path.join(s.dir, doc.files[0].path), "utf8");
    expect(written).toMatch(/GRANT SELECT \(name\) ON TABLE public\.profiles TO authenticated;/);
    expect(written).toMatch(/ALTER PUBLICATION supabase_realtime ADD TABLE public\.profiles;/);
  });

  it("reads supabase/schemas in the order of config.toml's schema_paths and writes to supabase/migrations", async () => {
    const s = await project({
      "supabase/config.toml": '[db]\nmajor_version = 17\n\n[db.migrations]\nschema_paths = ["./schemas/types.sql", "./schemas/*.sql"]\n',
      "supabase/migrations/20250101000000_init.sql": "create type public.mood as enum ('happy', 'sad');\n",
      "supabase/schemas/types.sql": "create type public.mood as enum ('happy', 'sad');\n",
      // Sorted by name, it would run before the type it uses.
      "supabase/schemas/a_tables.sql": "create table public.entries (id bigint primary key, mood public.mood, owner uuid not null default auth.uid());\nalter table public.entries enable row level security;\n" +
        "create policy entries_own on public.entries for select to authenticated using (owner = auth.uid());\ngrant select on public.entries to authenticated;\n",
    });
    await rm(path.join(s.dir, "migrations"), { recursive: true }); // a Supabase project has no top-level migrations/
    const result = await s.diff(["entries"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toContain("desired state: 2 file(s) of supabase/schemas/ (schema_paths of supabase/config.toml)");
    const written = migrationsOf(s, "supabase/migrations");
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^\d{14}_entries\.sql$/);
    expect(read(s, `supabase/migrations/${written[1]}`)).toMatch(/CREATE TABLE public\.entries/i);
    expect(result.stdout).toContain("proven: the migration gives");
  });
});
