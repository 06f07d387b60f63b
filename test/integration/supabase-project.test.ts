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
});
