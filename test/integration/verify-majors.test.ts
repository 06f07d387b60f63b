/**
 * verify with the scratch build on one Postgres major and the target on another: the comparison
 * must not report how the two majors print the same definitions. Runs against every other major
 * installed from Debian's packages (/usr/lib/postgresql/<major>), skipped where there is none.
 */
import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { binariesIn } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";

const DEBIAN = "/usr/lib/postgresql";
const installed = existsSync(DEBIAN) ? readdirSync(DEBIAN).filter((major) => existsSync(path.join(DEBIAN, major, "bin", "postgres"))) : [];

const PROJECT = {
  "migrations/0001_schema.sql": [
    "create type public.mood as enum ('happy', 'sad');",
    "create domain public.positive as integer check (value > 0);",
    "create table public.settings (key text primary key, value text not null default 'on', updated_at timestamptz not null default now(), n public.positive, m public.mood default 'happy');",
    "create table public.notes (id bigint generated always as identity primary key, owner text not null, body text, weight numeric(10,2) generated always as (length(body) * 1.5) stored,",
    "  settings_key text references public.settings (key) on delete cascade deferrable initially deferred);",
    "create unique index notes_owner_body on public.notes (owner, lower(body)) where body is not null;",
    "create view public.note_owners as select owner, count(*) as n from public.notes group by owner having count(*) > 0;",
    "create view public.notes_with_settings as select n.id, s.value from public.notes n join public.settings s on s.key = n.settings_key;",
    "create materialized view public.setting_values as select key, upper(value) as v from public.settings;",
    "create function public.note_count(p_owner text default null) returns bigint language sql stable security definer set search_path = public",
    "  as $$ select count(*) from public.notes where p_owner is null or owner = p_owner $$;",
    "create function public.touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;",
    "create trigger settings_touch before update of value on public.settings for each row when (old.value is distinct from new.value) execute function public.touch();",
    "alter table public.notes enable row level security;",
    "create policy notes_owner on public.notes for select using (owner = current_user and body ~ '^[a-z]+$');",
    "create policy notes_size on public.notes as restrictive for insert with check (coalesce(length(body), 0) < 1000);",
    "create sequence public.counter start 10 increment 5;",
    "",
  ].join("\n"),
  "seeds/settings.sql": "insert into public.settings (key, value) values ('theme', 'dark') on conflict do nothing;\n",
};

async function scratchMajor(): Promise<string> {
  const sql = postgres(serverUrl(), { max: 1 });
  const [row] = await sql`select current_setting('server_version_num')::int / 10000 as major`;
  await sql.end();
  return String(row!.major);
}

describe.skipIf(installed.length === 0)("verify across Postgres majors (skipped where no other major is installed)", () => {
  it("a target on another major verifies clean, and a changed view is still found", async (context) => {
    const scratch = await scratchMajor();
    const others = installed.filter((major) => major !== scratch);
    if (others.length === 0) context.skip();
    for (const major of others) {
      const dir = await mkdtemp(path.join(os.tmpdir(), `dbkit-pg${major}-`));
      await chmod(dir, 0o755); // as root the server runs as another user
      const server = await startEmbeddedServer({ dir, fast: true, binaries: binariesIn(path.join(DEBIAN, major), major) });
      onTestFinished(async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      });
      const project = await createProject(PROJECT);
      const env = { DATABASE_URL: server.url() };
      const migrated = await runCli(["migrate"], { cwd: project, env });
      expect(migrated.code, migrated.stderr).toBe(0);

      const clean = await runCli(["verify", "--shadow-url", serverUrl()], { cwd: project, env });
      expect(clean.code, `Postgres ${major} target, ${scratch} scratch:\n${clean.stdout}${clean.stderr}`).toBe(0);

      const target = postgres(server.url(), { max: 1, onnotice: () => undefined });
      await target.unsafe("create or replace view public.note_owners as select owner, count(*) + 1 as n from public.notes group by owner having count(*) > 0");
      await target.end();
      const drift = await runCli(["verify", "--shadow-url", serverUrl()], { cwd: project, env });
      expect(drift.code, drift.stdout + drift.stderr).toBe(5);
      expect(drift.stdout).toContain("~ view public.note_owners: definition differs");
    }
  });
});
