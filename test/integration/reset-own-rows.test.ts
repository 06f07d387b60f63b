/** reset removes only what its own migrations created: rows, and schemas no other project uses. */
import { describe, expect, it } from "vitest";
import { json, scenario } from "../support/scenario.js";

const PLATFORM = `
create schema platform;
create table platform.buckets (id text primary key, name text not null);
create table platform.objects (id int primary key, bucket_id text references platform.buckets (id));
insert into platform.buckets values ('shared', 'there before the migrations');
insert into platform.objects values (1, 'shared');
`;

describe("reset and rows in tables the project does not own", () => {
  it("leaves a row that was there before (insert ... on conflict do nothing) and says why; removes the rows it inserted", async () => {
    const s = await scenario({
      "migrations/0001_buckets.sql": "insert into platform.buckets (id, name) values ('shared', 'shared'), ('avatars', 'avatars') on conflict do nothing;\n",
      "migrations/0002_tables.sql": "create table public.notes (id int primary key);\n",
    });
    await s.db.sql.unsafe(PLATFORM);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(result.code, result.stdout).toBe(0);
    expect((await s.db.sql`select id from platform.buckets order by id`).map((r) => r.id)).toEqual(["shared"]);
    expect(json(result).removed).toContain("1 row(s) in platform.buckets");
    expect(json(result).warnings.join("\n")).toContain("row platform.buckets (id = shared): not created by a migration's own transaction");
  });

  it("a row it inserted that is still referenced is left alone with a warning, not a failed reset (exit 1)", async () => {
    const s = await scenario({ "migrations/0001_buckets.sql": "insert into platform.buckets (id, name) values ('avatars', 'avatars');\n" });
    await s.db.sql.unsafe(PLATFORM);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql`insert into platform.objects values (2, 'avatars')`;
    const result = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(result.code, result.stdout).toBe(0);
    expect(json(result).warnings.join("\n")).toMatch(/row platform\.buckets \(id = avatars\): still referenced/);
    expect((await s.db.sql`select id from platform.buckets order by id`).map((r) => r.id)).toEqual(["avatars", "shared"]);
  });
});

describe("reset and a Supabase seed's users", () => {
  it("removes the users seed.sql inserted into auth.users (after the tables that reference them), so reset seeds again; a user signed up since stays", async () => {
    const s = await scenario({
      "supabase/config.toml": "[db]\nport = 54322\n",
      "supabase/migrations/20240101000000_profiles.sql":
        "create table public.profiles (id uuid primary key references auth.users (id), name text);\nalter table public.profiles enable row level security;\n",
      "supabase/seed.sql":
        "insert into auth.users (id, email) values ('00000000-0000-0000-0000-0000000000a1', 'ann@example.com'), ('00000000-0000-0000-0000-0000000000b2', 'ben@example.com');\n" +
        "insert into public.profiles (id, name) values ('00000000-0000-0000-0000-0000000000a1', 'Ann');\n",
    });
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations`, { recursive: true });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql`insert into auth.users (id, email) values ('00000000-0000-0000-0000-0000000000c3', 'signed-up@example.com')`;
    for (let round = 0; round < 2; round++) {
      const result = await s.dbkit(["reset", "--yes", "--json"]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(json(result).removed).toContain("2 row(s) in auth.users");
    }
    expect((await s.db.sql`select email from auth.users order by email`).map((r) => r.email)).toEqual(["ann@example.com", "ben@example.com", "signed-up@example.com"]);
    expect((await s.db.sql`select name from public.profiles`).map((r) => r.name)).toEqual(["Ann"]);
  });
});

describe("reset with two dbkit projects in one database", () => {
  it("refuses (exit 2) instead of dropping the shared public schema with the other project's tables", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table public.project_a (id int);\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const { writeFile, mkdir } = await import("node:fs/promises");
    await mkdir(`${s.dir}/other/migrations`, { recursive: true });
    await writeFile(`${s.dir}/other/migrations/0001_b.sql`, "create table public.project_b (id int);\n");
    expect((await s.dbkit(["migrate", "--migrations-dir", "other/migrations"], { DBKIT_JOURNAL_SCHEMA: "other_journal" })).code).toBe(0);

    const result = await s.dbkit(["reset", "--yes", "--no-migrate", "--json"]);
    expect(result.code).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_RESET_SHARED_DATABASE", message: expect.stringContaining("other_journal") });
    const [row] = await s.db.sql`select to_regclass('public.project_b') is not null as b, to_regclass('public.project_a') is not null as a`;
    expect(row).toEqual({ a: true, b: true });
  });
});
