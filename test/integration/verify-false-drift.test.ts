/**
 * verify on databases that match their migrations exactly, set up the way real projects' targets
 * are (a search_path that includes `extensions`, rows with generated keys, settings and roles
 * the platform made): no finding. And when the scratch build lacks something, the error says
 * it is the scratch build.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

describe("verify reports no drift that is not there", () => {
  it("compares column defaults under a fixed search_path, not the session's", async () => {
    const s = await scenario({
      "migrations/0001_items.sql": [
        "create schema extensions;",
        "create function extensions.new_id() returns text language sql as $$ select md5(random()::text) $$;",
        "create table public.items (id text primary key default extensions.new_id());",
        "",
      ].join("\n"),
    });
    // Supabase databases put `extensions` on the search_path; the role's setting applies to every session dbkit opens.
    await s.db.sql.unsafe(`alter role current_user in database ${s.db.name} set search_path = public, extensions`);
    expect((await s.dbkit(["migrate"])).code).toBe(0);

    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).not.toContain("default differs");

    await s.db.sql.unsafe("alter table public.items alter column id set default md5('x')");
    const drift = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(drift.code, drift.stdout).toBe(5);
    expect(drift.stdout).toContain("~ column public.items.id: default differs");
  });

  it("compares constants in defaults whatever the session's TimeZone and DateStyle", async () => {
    const s = await scenario({
      "migrations/0001_events.sql": "create table public.events (id int primary key, starts timestamptz not null default '2020-01-01 00:00:00+00', span interval default '1 day 02:00:00');\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe(`alter role current_user in database ${s.db.name} set timezone = 'America/New_York'`);
    await s.db.sql.unsafe(`alter role current_user in database ${s.db.name} set datestyle = 'SQL, DMY'`);
    await s.db.sql.unsafe(`alter role current_user in database ${s.db.name} set intervalstyle = 'iso_8601'`);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("does not report rows whose keys a migration generates as missing", async () => {
    const s = await scenario({
      "migrations/0001_flags.sql": [
        "create table public.flags (id text primary key, name text not null);",
        "insert into public.flags (id, name) select gen_random_uuid()::text, 'beta';",
        "insert into public.flags (id, name) values ('dark-mode', 'Dark mode');",
        "",
      ].join("\n"),
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--json"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(json(verified).findings).toEqual([]);

    // A row whose key the SQL gives is still checked.
    await s.db.sql`delete from public.flags where id = 'dark-mode'`;
    const drift = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(drift.code, drift.stdout).toBe(5);
    expect(drift.stdout).toContain('- row public.flags {"id":"dark-mode"}: missing');
  });

  it("does not report a time a migration's insert set with NOW() as an edit (Prisma projects' seeded plans and service accounts)", async () => {
    const s = await scenario({
      "migrations/0001_plans.sql": [
        'CREATE TABLE "Plan" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "updatedAt" TIMESTAMP(3) NOT NULL);',
        `INSERT INTO "Plan" ("id", "name", "updatedAt") VALUES ('free', 'Free', NOW()), ('team', 'Team', CURRENT_TIMESTAMP);`,
        "",
      ].join("\n"),
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--json"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(json(verified).findings).toEqual([]);

    // A value the SQL gives is still compared.
    await s.db.sql`update "Plan" set "name" = 'Gratis' where "id" = 'free'`;
    const edited = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--json"]);
    expect(json(edited).findings).toEqual([expect.objectContaining({ section: "Seed Data", object: expect.stringContaining('row public.Plan {"id":"free"}') })]);
  });

  it("gives the scratch build the target's database settings and the platform roles the migrations name", async () => {
    const role = `platform_admin_${Math.random().toString(36).slice(2, 8)}`;
    const s = await scenario({
      "migrations/0001_app.sql": [
        "create schema app;",
        "create table app.things (id int primary key, name text);",
        "",
      ].join("\n"),
      // Written against the target's database search_path, which includes app; the role is the platform's.
      "migrations/0002_view.sql": [
        "create view public.thing_names as select id, name from things;",
        `grant select on public.thing_names to ${role};`,
        "",
      ].join("\n"),
    });
    await s.db.sql.unsafe(`create role ${role} nologin`);
    await s.db.sql.unsafe(`alter database ${s.db.name} set search_path = "$user", public, app`);
    try {
      const migrated = await s.dbkit(["migrate"]);
      expect(migrated.code, migrated.stderr).toBe(0);
      // The default scratch: a server of its own, where the role does not exist.
      const verified = await s.dbkit(["verify"]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    } finally {
      await s.db.sql.unsafe(`revoke all on public.thing_names from ${role}`).catch(() => undefined);
      await s.db.sql.unsafe(`drop role if exists ${role}`).catch(() => undefined);
    }
  });

  it("says the scratch build failed, and how to give it what it lacks, when it still cannot build", async () => {
    const s = await scenario({
      "migrations/0001_uses_platform.sql": "create table public.audit (id int primary key, at timestamptz default platform.now_utc());\n",
    });
    // A platform schema on the target that no migration creates.
    await s.db.sql.unsafe("create schema platform; create function platform.now_utc() returns timestamptz language sql as $$ select now() $$");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(4);
    const error = json(result).error;
    expect(error.code).toBe("DBKIT_SCRATCH_BUILD_FAILED");
    expect(error.message).toMatch(/^the scratch build of the expected schema failed, on the --shadow-url server \(Postgres \d+\), not on the target: migrations\/0001_uses_platform\.sql:1:/);
    expect(error.hint).toContain("--shadow-url");
    expect(error.hint).not.toContain("fix the migration");
  });

  it("says the migration itself fails when the target has not applied it either", async () => {
    const s = await scenario({
      "migrations/0001_ok.sql": "create table public.a (id int primary key);\n",
      "migrations/0002_broken.sql": "create table public.b (id int primary key references public.missing (id));\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(4);
    const result = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(4);
    const error = json(result).error;
    expect(error.code).toBe("DBKIT_SCRATCH_BUILD_FAILED");
    expect(error.message).toContain("at a migration the target has not applied either: migrations/0002_broken.sql:1:");
    expect(error.hint).toContain("fix it");
  });
});
