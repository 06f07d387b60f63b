import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { json, scenario } from "../support/scenario.js";

describe("Supabase projects and connections", () => {
  it("refuses migrate, seed and reset through a transaction pooler, before connecting", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const url = "postgres://postgres.abcdefghijklmnopqrst:S3cret-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres";
    for (const command of [["migrate"], ["seed"], ["reset", "--yes", "--allow-remote"]]) {
      const result = await runCli([...command, "--json"], { cwd: dir, env: { DATABASE_URL: url } });
      expect(result.code, command.join(" ")).toBe(2);
      expect(json(result).error).toMatchObject({ code: "DBKIT_TRANSACTION_POOLER", hint: expect.stringContaining("session pooler") });
      expect(result.stdout + result.stderr).not.toContain("S3cret-pw");
    }
  });

  it("status works through a pooler marked pgbouncer=true; migrate does not", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const pooled = `${s.db.url}${s.db.url.includes("?") ? "&" : "?"}pgbouncer=true`;
    expect((await s.dbkit(["migrate"], { DATABASE_URL: pooled })).code).toBe(2);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const status = await s.dbkit(["status", "--check"], { DATABASE_URL: pooled });
    expect(status.code, status.stderr).toBe(0);
  });

  it("says before connecting when a pooler user lacks the project ref", async () => {
    const dir = await createProject({});
    const result = await runCli(["status", "--wait", "0"], { cwd: dir, env: { DATABASE_URL: "postgres://postgres:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres" } });
    expect(result.stderr).toContain('expects the user "postgres.<project-ref>"');
    expect(result.code).toBe(3);
  });

  it("PGSSLROOTCERT turns on certificate verification", async () => {
    const s = await scenario({});
    const result = await s.dbkit(["status"], { PGSSLROOTCERT: "/nonexistent/root.crt" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read sslrootcert file /nonexistent/root.crt");
  });

  it("works with the Supabase CLI's folder layout and config.toml seeds, without configuration", async () => {
    const s = await scenario({
      "supabase/config.toml": '[db]\nport = 54322\n\n[db.seed]\nenabled = true\nsql_paths = ["./seed.sql", "./seeds/*.sql"]\n\n[auth]\nenabled = true\n',
      "supabase/migrations/20250101000000_profiles.sql": "create table public.profiles (id uuid primary key references auth.users (id), name text);\n",
      "supabase/seed.sql": "insert into auth.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'a@example.com') on conflict do nothing;\n",
      "supabase/seeds/01_profiles.sql": "insert into public.profiles values ('00000000-0000-0000-0000-000000000001', 'A') on conflict do nothing;\n",
    });
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations`, { recursive: true }); // a Supabase project has no top-level migrations/
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("applied 20250101000000_profiles");
    expect(result.stdout).toMatch(/seeded seed\.sql[\s\S]*seeded seeds\/01_profiles\.sql/);
    const [row] = await s.db.sql`select name from public.profiles`;
    expect(row?.name).toBe("A");
  });

  it("runs timestamps of different precisions in time order, as the Supabase CLI does (file name order)", async () => {
    // A 12-digit `YYYYMMDDhhmm` and a 13-digit slip among 14-digit timestamps: numeric order would run
    // the short ones first, before the table they alter exists.
    const s = await scenario({
      "supabase/config.toml": "[db]\nport = 54322\n",
      "supabase/migrations/20230104160241_init.sql": "create table public.rounds (id int primary key);\nalter table public.rounds enable row level security;\n",
      "supabase/migrations/20230517185943_scores.sql": "create table public.scores (round_id int references public.rounds (id));\nalter table public.scores enable row level security;\n",
      "supabase/migrations/2024041012052_start_date.sql": "alter table public.rounds add column starts_on date;\n",
      "supabase/migrations/202404101227_has_started.sql": "create function public.has_started(r public.rounds) returns boolean language sql as $$ select r.starts_on <= current_date $$;\n",
      "supabase/migrations/202406201411_withdrawn.sql": "alter table public.scores add column withdrawn boolean not null default false;\n",
    });
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations`, { recursive: true });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/20230517185943_scores[\s\S]*2024041012052_start_date[\s\S]*202404101227_has_started[\s\S]*202406201411_withdrawn/);
    const status = await s.dbkit(["status", "--check"]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const verify = await s.dbkit(["verify", "--fail-on", "error"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it("applies a first migration written by supabase db pull: preinstalled extensions it lacks are skipped and said, auth's own tables exist, seeds with NULL unique keys verify", async () => {
    const pulled = [
      "SET statement_timeout = 0;",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "SET check_function_bodies = false;",
      "COMMENT ON SCHEMA \"public\" IS 'standard public schema';",
      "CREATE EXTENSION IF NOT EXISTS \"pg_graphql\" WITH SCHEMA \"graphql\";",
      "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\" WITH SCHEMA \"extensions\";",
      "CREATE EXTENSION IF NOT EXISTS \"supabase_vault\" WITH SCHEMA \"vault\";",
      "CREATE TABLE IF NOT EXISTS \"public\".\"notes\" (\"id\" \"uuid\" DEFAULT \"gen_random_uuid\"() NOT NULL, \"body\" \"text\", \"reply_to\" \"uuid\", \"owner_id\" \"uuid\" NOT NULL);",
      "ALTER TABLE ONLY \"public\".\"notes\" ADD CONSTRAINT \"notes_pkey\" PRIMARY KEY (\"id\");",
      "ALTER TABLE ONLY \"public\".\"notes\" ADD CONSTRAINT \"notes_reply_to_key\" UNIQUE (\"reply_to\");",
      "ALTER TABLE \"public\".\"notes\" ENABLE ROW LEVEL SECURITY;",
      "CREATE POLICY \"own notes\" ON \"public\".\"notes\" TO \"authenticated\" USING ((\"owner_id\" = ( SELECT \"auth\".\"uid\"() AS \"uid\")) AND EXISTS (SELECT 1 FROM \"auth\".\"mfa_factors\" f WHERE f.\"user_id\" = \"owner_id\" AND f.\"status\" = 'verified'));",
      "GRANT ALL ON TABLE \"public\".\"notes\" TO \"authenticated\";",
      "",
    ].join("\n");
    const s = await scenario({
      "supabase/config.toml": "[db]\nport = 54322\n",
      "supabase/migrations/20250815094202_remote_schema.sql": pulled,
      "supabase/migrations/20250815133736_remote_schema.sql": "revoke select on table \"auth\".\"schema_migrations\" from \"postgres\";\n",
      "supabase/seed.sql":
        "insert into auth.users (id, email) values ('00000000-0000-0000-0000-00000000000a', 'a@example.com');\n" +
        "insert into public.notes (id, body, reply_to, owner_id) values ('00000000-0000-0000-0000-000000000001', 'first', null, '00000000-0000-0000-0000-00000000000a'), ('00000000-0000-0000-0000-000000000002', 'second', null, '00000000-0000-0000-0000-00000000000a');\n",
    });
    const { rm } = await import("node:fs/promises");
    await rm(`${s.dir}/migrations`, { recursive: true });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("skipped supabase/migrations/20250815094202_remote_schema.sql:5 create extension if not exists pg_graphql: every Supabase database has it");
    expect(result.stderr).toContain("20250815094202_remote_schema.sql:7 create extension if not exists supabase_vault");
    expect(result.stderr).not.toContain("pgcrypto");
    const verify = await s.dbkit(["verify", "--fail-on", "error"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain("2 seeded row(s) with NULL in the unique key (reply_to) cannot be matched");
    const [rows] = await s.db.sql`select count(*)::int as notes from public.notes`;
    expect(rows?.notes).toBe(2);
  });
});
