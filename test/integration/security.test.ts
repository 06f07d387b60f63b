import { describe, expect, it } from "vitest";
import { json, scenario } from "../support/scenario.js";

const BASE = {
  "migrations/0001_tables.sql":
    "create table public.notes (id serial primary key, user_id uuid not null, body text);\n" +
    "alter table public.notes enable row level security;\n" +
    "create policy notes_own on public.notes for select to authenticated using (auth.uid() = user_id);\n",
};

describe("verify --security", () => {
  it("passes a project that keeps its exposed tables behind RLS", async () => {
    const s = await scenario(BASE);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const result = await s.dbkit(["verify", "--security"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✅ PASSED +Security/);
  });

  it("reports each problem with a level, a stable code, a remediation hint and the file that made it", async () => {
    const s = await scenario({
      ...BASE,
      "migrations/0002_problems.sql":
        "create table public.open_table (id int);\n" +
        "create table public.locked (id int);\nalter table public.locked enable row level security;\n" +
        "create policy anyone_writes on public.notes for insert to anon with check (true);\n" +
        "create function public.definer_no_path() returns int language sql security definer as $$ select 1 $$;\n" +
        "create view public.user_emails as select id, email from auth.users;\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("grant usage on schema dbkit to anon");
    const result = await s.dbkit(["verify", "--security", "--json"]);
    expect(result.code).toBe(5);
    const findings = json(result).findings as { code: string; severity: string; level: string; object: string; hint: string; definedIn?: string }[];
    const byCode = Object.fromEntries(findings.map((f) => [`${f.code} ${f.object}`, f]));
    expect(byCode["SEC_RLS_DISABLED table public.open_table"]).toMatchObject({ severity: "error", level: "error", definedIn: "migrations/0002_problems.sql", hint: expect.stringContaining("enable row level security") });
    expect(byCode["SEC_RLS_NO_POLICY table public.locked"]).toMatchObject({ severity: "warn", level: "warning" });
    expect(byCode["SEC_PERMISSIVE_WRITE policy public.notes.anyone_writes"]).toMatchObject({ severity: "warn", definedIn: "migrations/0002_problems.sql" });
    expect(byCode["SEC_DEFINER_SEARCH_PATH function public.definer_no_path()"]).toMatchObject({ severity: "warn", definedIn: "migrations/0002_problems.sql" });
    expect(byCode["SEC_DEFINER_ANON_EXECUTE function public.definer_no_path()"]).toMatchObject({ severity: "warn" });
    expect(byCode["SEC_VIEW_EXPOSES_AUTH_USERS view public.user_emails"]).toMatchObject({ severity: "error" });
    expect(byCode["SEC_JOURNAL_EXPOSED schema dbkit"]).toMatchObject({ severity: "error", hint: "revoke all on schema dbkit from anon" });
  });

  it("--fail-on warn fails on warnings that otherwise pass", async () => {
    const s = await scenario({ ...BASE, "migrations/0002_locked.sql": "create table public.locked (id int);\nalter table public.locked enable row level security;\n" });
    await s.dbkit(["migrate"]);
    expect((await s.dbkit(["verify", "--security"])).code).toBe(0);
    const failed = await s.dbkit(["verify", "--security", "--fail-on", "warn"]);
    expect(failed.code).toBe(5);
    // The schema matches: only the security checks failed, and the last line says so.
    expect(failed.stdout).toContain("the database matches the migrations, but the security checks failed");
    expect(failed.stdout).not.toContain("differs from the migrations");
    expect((await s.dbkit(["verify", "--security", "--fail-on", "sometimes"])).code).toBe(2);
  });
});
