import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";
import { readOnlyUrl, READ_ONLY_PASSWORD } from "../support/read-only-role.js";

const ROLE = "dbkit_verify_reader";
const PROJECT = {
  "migrations/0001_tables.sql":
    "create table public.settings (key text primary key, value text not null default 'on', updated_at timestamptz not null default now());\n" +
    "create table public.notes (id bigint generated always as identity primary key, owner text not null, body text);\n",
  "migrations/0002_functions.sql": "create function public.note_count() returns bigint language sql stable as $$ select count(*) from public.notes $$;\n" +
    "create function public.touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;\n",
  "migrations/0003_indexes.sql": "create index notes_owner_idx on public.notes (owner);\n",
  "migrations/0004_triggers.sql": "create trigger settings_touch before update on public.settings for each row execute function public.touch();\n",
  "migrations/0005_rls.sql": "alter table public.notes enable row level security;\ncreate policy notes_owner on public.notes for select using (owner = current_user);\n",
  "migrations/0006_grants.sql": `do $$ begin if not exists (select from pg_roles where rolname = '${ROLE}') then create role ${ROLE}; end if; end $$;\ngrant select on public.settings to ${ROLE};\n`,
  "seeds/settings.sql": "insert into public.settings (key, value) values ('theme', 'dark'), ('lang', 'en') on conflict (key) do update set value = excluded.value;\n",
};

async function migrated() {
  const s = await scenario(PROJECT);
  const result = await s.dbkit(["migrate"]);
  expect(result.code, result.stderr).toBe(0);
  return { ...s, verify: (extra: string[] = []) => s.dbkit(["verify", "--shadow-url", serverUrl(), ...extra]) };
}

describe("dbkit verify", () => {
  it("passes on a database migrated by dbkit, with one line per check", async () => {
    const s = await migrated();
    const result = await s.verify();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✅ PASSED +History +6 migrations, 1 seeds/);
    expect(result.stdout).toMatch(/✅ PASSED +Tables +2 tables/);
    expect(result.stdout).toMatch(/✅ PASSED +Seed Data +2 rows in 1 tables/);
    expect(result.stdout).toContain("the database matches the migrations");
  });

  it.each([
    ["an added column", "alter table public.notes add column hotfix text", "Tables", "+ column public.notes.hotfix: not created by the migrations"],
    ["a changed default", "alter table public.settings alter column value set default 'off'", "Tables", "~ column public.settings.value: default differs"],
    ["a dropped index", "drop index public.notes_owner_idx", "Indexes", "- index public.notes_owner_idx: missing (defined in migrations/0003_indexes.sql)"],
    ["an INVALID index", "update pg_index set indisvalid = false where indexrelid = 'public.notes_owner_idx'::regclass", "Indexes", "~ index public.notes_owner_idx: validity differs"],
    ["an edited function body", "create or replace function public.note_count() returns bigint language sql stable as $$ select 42::bigint $$", "Functions", "~ function public.note_count(): body differs (defined in migrations/0002_functions.sql)"],
    ["a disabled trigger", "alter table public.settings disable trigger settings_touch", "Triggers", "~ trigger public.settings.settings_touch: enabled state differs (defined in migrations/0004_triggers.sql)"],
    ["RLS switched off", "alter table public.notes disable row level security", "RLS Policies", "~ rls public.notes: enabled state differs (defined in migrations/0005_rls.sql)"],
    ["a policy with a changed USING", "alter policy notes_owner on public.notes using (true)", "RLS Policies", "~ policy public.notes.notes_owner: USING differs"],
    ["a revoked grant", `revoke select on public.settings from ${ROLE}`, "Privileges", `- privilege table public.settings to ${ROLE}: missing`],
    ["a missing seed row", "delete from public.settings where key = 'lang'", "Seed Data", `- row public.settings {"key":"lang"}: missing`],
    ["an extra hand-made table", "create table public.hotfix (id int)", "Tables", "+ table public.hotfix: not created by the migrations"],
    ["an extra hand-made function", "create function public.adhoc() returns int language sql as $$ select 1 $$", "Functions", "+ function public.adhoc(): not created by the migrations"],
  ])("catches %s", async (_what, change, section, line) => {
    const s = await migrated();
    await s.db.sql.unsafe(change);
    const result = await s.verify();
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(result.stdout).toMatch(new RegExp(`❌ FAILED +${section.replace(" ", " ")} +1 difference\\b`));
    expect(result.stdout).toContain(line);
  });

  it("shows expected and actual for a changed function body", async () => {
    const s = await migrated();
    await s.db.sql.unsafe("create or replace function public.note_count() returns bigint language sql stable as $$ select 42::bigint $$");
    const result = await s.verify();
    expect(result.stdout).toContain("expected:  select count(*) from public.notes ");
    expect(result.stdout).toContain("actual:    select 42::bigint ");
  });

  it("reports an edited seed value as a warning, not drift", async () => {
    const s = await migrated();
    await s.db.sql`update public.settings set value = 'light' where key = 'theme'`;
    const result = await s.verify();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/⚠️ +WARNING +Seed Data +1 difference/);
    expect(result.stdout).toContain(`~ row public.settings {"key":"theme"}: value differs (edited in the database?)`);
  });

  it("checks history: unapplied and edited migrations", async () => {
    const s = await migrated();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0007_more.sql`, "create table public.more (id int);\n");
    const result = await s.verify(["--json"]);
    expect(result.code).toBe(5);
    const doc = json(result);
    expect(doc.findings).toEqual(expect.arrayContaining([expect.objectContaining({ section: "History", object: "0007_more", message: "not applied" }), expect.objectContaining({ section: "Tables", object: "table public.more", message: "missing" })]));
  });

  it("--json carries every finding with its section and level", async () => {
    const s = await migrated();
    await s.db.sql.unsafe("alter table public.notes add column hotfix text; drop index public.notes_owner_idx; update public.settings set value = 'x' where key = 'theme'");
    const result = await s.verify(["--json"]);
    expect(result.code).toBe(5);
    const doc = json(result);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "verify", ok: false });
    expect(doc.findings.map((f: { section: string; level: string; object: string }) => [f.section, f.level, f.object])).toEqual([
      ["Tables", "error", "column public.notes.hotfix"],
      ["Indexes", "error", "index public.notes_owner_idx"],
      ["Seed Data", "warning", 'row public.settings {"key":"theme"}'],
    ]);
    expect(doc.sections.find((x: { name: string }) => x.name === "Functions")).toMatchObject({ status: "passed" });
  });

  it("never writes: works as a role with only read rights and default_transaction_read_only", async () => {
    const s = await migrated();
    const url = await readOnlyUrl(s.db);
    const result = await s.dbkit(["verify", "--shadow-url", serverUrl()], { DATABASE_URL: url });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(READ_ONLY_PASSWORD);
  });

  it("builds the expected schema once on the embedded scratch server, then reuses the cache", async () => {
    const s = await migrated();
    const first = await s.dbkit(["verify"]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stderr).toContain("building the expected schema");
    expect(readdirSync(path.join(s.dir, ".dbkit", "verify-cache")).filter((name) => !name.startsWith("analysis-"))).toHaveLength(1);
    const second = await s.dbkit(["verify"]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain("building the expected schema");
    expect(existsSync(path.join(s.dir, ".dbkit", "scratch", "data", "postmaster.pid"))).toBe(false);
  });
});
