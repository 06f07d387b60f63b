/**
 * dbkit lint measures what pending migrations do to tables that exist before the deploy: the
 * fixtures in test/fixtures/lint hold one hazardous file per rule (the expected code is marked
 * `-- <== code` on the statement's first line), the same hazard in a DO block and in a function
 * an applied migration defined, and the safe rewrite of each, which must pass clean.
 */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/index.js";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/lint", import.meta.url));
/** The advisor's checks of a Supabase project: policies, exposed views, extensions. */
const SUPABASE_FIXTURES = fileURLToPath(new URL("../fixtures/lint-supabase", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A project whose applied state is the fixture's base, with `pending` copied in after migrating. */
async function migratedWith(pending: "unsafe" | "safe" | Record<string, string>, fixtures = FIXTURES) {
  const s = await scenario({});
  await cp(path.join(fixtures, "applied"), path.join(s.dir, "migrations"), { recursive: true });
  const migrated = await s.dbkit(["migrate"]);
  expect(migrated.code, migrated.stderr).toBe(0);
  if (typeof pending === "string") await cp(path.join(fixtures, pending), path.join(s.dir, "migrations"), { recursive: true });
  else for (const [name, text] of Object.entries(pending)) await writeFile(path.join(s.dir, "migrations", name), text);
  return { ...s, lint: (extra: string[] = []) => s.dbkit(["lint", "--shadow-url", serverUrl(), ...extra]) };
}

/** The `-- <== code` markers of the unsafe fixtures: file, line, code. */
async function expectedFindings(fixtures = FIXTURES): Promise<{ file: string; line: number; code: string }[]> {
  const expected = [];
  for (const name of (await readdir(path.join(fixtures, "unsafe"))).sort()) {
    const lines = (await readFile(path.join(fixtures, "unsafe", name), "utf8")).split("\n");
    for (const [index, line] of lines.entries()) {
      for (const match of line.matchAll(/<== (\S+)/g)) expected.push({ file: `migrations/${name}`, line: index + 1, code: match[1]! });
    }
  }
  return expected;
}

describe("dbkit lint", () => {
  it("finds each hazard with its code, file and line, through DO blocks and called functions", async () => {
    const s = await migratedWith("unsafe");
    const result = await s.lint(["--json"]);
    expect(result.code, result.stderr).toBe(5);
    const report = json(result);
    const found = (report.findings as { file: string; line: number; code: string }[]).map(({ file, line, code }) => ({ file, line, code }));
    const expected = await expectedFindings();
    expect(expected.length).toBeGreaterThanOrEqual(15);
    expect(found).toEqual(expected);
    expect(report.files).toHaveLength(19);
    // The target itself is untouched: lint ran the pending files in a scratch database.
    const [row] = await s.db.sql`select count(*)::int as n from pg_indexes where indexname = 'orders_account_idx'`;
    expect(row!.n).toBe(0);
  });

  it("passes the safe rewrite of every hazard, showing the reasons of what it allows", async () => {
    const s = await migratedWith("safe");
    const result = await s.lint();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("migrations/0016_drop_table.sql:2 allowed drop-table: table public.legacy is dropped");
    expect(result.stdout).toContain("allowed: nothing has read legacy since release 41");
    expect(result.stdout).toMatch(/26 files linted: 0 errors, 0 warnings, 2 allowed/);
  });

  it("finds each Supabase advisor hazard at its file and line (also made in a DO block); the safe rewrites pass clean", async () => {
    const unsafe = await migratedWith("unsafe", SUPABASE_FIXTURES);
    const result = await unsafe.lint(["--json"]);
    expect(result.code, result.stderr).toBe(5);
    const found = (json(result).findings as { file: string; line: number; code: string }[]).map(({ file, line, code }) => ({ file, line, code }));
    const expected = await expectedFindings(SUPABASE_FIXTURES);
    expect(expected).toHaveLength(8);
    expect(found).toEqual(expected);
    const safe = await migratedWith("safe", SUPABASE_FIXTURES);
    const clean = await safe.lint(["--json"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(json(clean).findings).toEqual([]);
  });

  it("says why and how to fix in human output; --fail-on warn fails on warnings; --format github annotates lines", async () => {
    const s = await migratedWith({ "0002_index.sql": "create index orders_total_idx on public.orders (total);\n", "0003_drop.sql": "alter table public.widgets drop column color;\n" });
    const human = await s.lint();
    expect(human.code).toBe(5);
    expect(human.stdout).toContain("migrations/0002_index.sql:1 error index-without-concurrently: an index is built on public.orders, which exists before this deploy, without CONCURRENTLY");
    expect(human.stdout).toContain("fix: CREATE INDEX CONCURRENTLY");
    expect(human.stdout).toContain("migrations/0003_drop.sql:1 warn drop-column: column public.widgets.color is dropped");

    const github = await s.lint(["--format", "github"]);
    expect(github.code).toBe(5);
    expect(github.stdout).toContain("::error file=migrations/0002_index.sql,line=1,title=dbkit lint index-without-concurrently::an index is built on public.orders");
    expect(github.stdout).toContain("::warning file=migrations/0003_drop.sql,line=1,title=dbkit lint drop-column::");

    await writeFile(path.join(s.dir, "migrations", "0002_index.sql"), "-- dbkit:no-transaction\ncreate index concurrently orders_total_idx on public.orders (total);\n");
    expect((await s.lint()).code).toBe(0);
    const strict = await s.lint(["--fail-on", "warn", "--json"]);
    expect(strict.code).toBe(5);
    expect(json(strict)).toMatchObject({ ok: false, failing: 1, failOn: "warn" });
    expect((await s.lint(["--fail-on", "sometimes"])).code).toBe(2);
  });

  it("sizes findings against the target: a big table's index is an error, a small one's info; a NOT NULL column fails only where rows exist", async () => {
    const s = await migratedWith({
      "0002_big.sql": "create index orders_total_idx on public.orders (total);\n",
      "0003_small.sql": "create index accounts_plan_idx on public.accounts (plan);\n",
      "0004_required.sql": "alter table public.accounts add column tier int not null;\n",
      "0005_required_empty.sql": "alter table public.ledger add column tier int not null;\n",
    });
    await s.db.sql.unsafe("insert into public.orders (id, total) select g, g from generate_series(1, 20000) g; insert into public.accounts (id) values (1), (2), (3); analyze public.orders; analyze public.accounts; analyze public.ledger");
    const result = await s.lint(["--json"]);
    expect(result.code, result.stderr).toBe(5);
    const findings = json(result).findings as { file: string; level: string; message: string; size?: { rows: number } }[];
    const byFile = Object.fromEntries(findings.map((f) => [f.file, f]));
    expect(byFile["migrations/0002_big.sql"]).toMatchObject({ level: "error", size: { rows: 20000 } });
    expect(byFile["migrations/0002_big.sql"]!.message).toContain("(~20,000 rows, ");
    expect(byFile["migrations/0003_small.sql"]).toMatchObject({ level: "info", size: { rows: 3 } });
    expect(byFile["migrations/0004_required.sql"]).toMatchObject({ level: "error" });
    expect(byFile["migrations/0005_required_empty.sql"]).toMatchObject({ level: "info" });
    expect(json(result).failing).toBe(2);
  });

  it("reports the security checks the pending files newly fail, at the statement that caused them, and ALTER TABLE on a platform-owned table, on a Supabase project", async () => {
    const s = await scenario({
      "migrations/0001_profiles.sql": "create table public.profiles (id uuid primary key);\nalter table public.profiles enable row level security;\ncreate policy own on public.profiles for select to authenticated using (id = auth.uid());\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await writeFile(path.join(s.dir, "migrations", "0002_notes.sql"), "-- notes, forgetting RLS\nselect 1;\ncreate table public.notes (id int primary key, body text);\n");
    await writeFile(path.join(s.dir, "migrations", "0003_storage.sql"), "alter table storage.objects add column note text;\n");
    const result = await s.dbkit(["lint", "--json", "--shadow-url", serverUrl()]);
    expect(result.code, result.stderr).toBe(5);
    expect(json(result).findings).toMatchObject([
      { code: "SEC_RLS_DISABLED", level: "error", file: "migrations/0002_notes.sql", line: 3, message: expect.stringContaining("table public.notes") },
      // The local base lets the migration alter a platform table; hosted Supabase would refuse it.
      { code: "platform-owned-table", level: "error", file: "migrations/0003_storage.sql", line: 1 },
    ]);
  });

  it("lint() in the programmatic API returns the document --json prints", async () => {
    const s = await migratedWith({ "0002_index.sql": "create index orders_total_idx on public.orders (total);\n" });
    const report = await lint({ cwd: s.dir, url: s.db.url, shadowUrl: serverUrl() });
    const printed = json(await s.lint(["--json"]));
    expect(report).toMatchObject({ ok: false, command: "lint", failing: 1, files: ["migrations/0002_index.sql"] });
    expect(report.findings).toEqual(printed.findings);
    expect(report.findings).toMatchObject([{ code: "index-without-concurrently", file: "migrations/0002_index.sql", line: 1 }]);
  });

  it("finds ALTER TABLE on a platform-owned table inside a DO block and in a function the migration calls, at the statement that ran it", async () => {
    const s = await scenario({
      "migrations/0001_profiles.sql": "create table public.profiles (id uuid primary key);\nalter table public.profiles enable row level security;\ncreate policy own on public.profiles for select to authenticated using ((select auth.uid()) = id);\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await writeFile(path.join(s.dir, "migrations", "0002_do.sql"), "select 1;\ndo $$ begin\n  execute 'alter table storage.' || 'objects add column note text';\nend $$;\n");
    await writeFile(
      path.join(s.dir, "migrations", "0003_function.sql"),
      "create function public.tag_objects() returns void language plpgsql as $$ begin alter table storage.objects add column tag text; end $$;\nselect public.tag_objects();\n-- Policies on a platform table are allowed.\ncreate policy own_files on storage.objects for select to authenticated using ((select auth.uid()) = owner);\n",
    );
    const result = await s.dbkit(["lint", "--json", "--shadow-url", serverUrl()]);
    expect(result.code, result.stderr).toBe(5);
    expect((json(result).findings as { code: string }[]).filter((f) => f.code === "platform-owned-table")).toMatchObject([
      { file: "migrations/0002_do.sql", line: 2, level: "error", message: "ALTER TABLE storage.objects, which hosted Supabase owns (run by this statement's code)" },
      { file: "migrations/0003_function.sql", line: 2, level: "error", message: expect.stringContaining("ALTER TABLE storage.objects") },
    ]);
  });

  it("says so when the --shadow-url server refuses the event trigger that sees DDL inside DO blocks (not a superuser)", async () => {
    const s = await migratedWith({ "0002_index.sql": "create index orders_total_idx on public.orders (total);\n" });
    const role = `lint_plain_${Math.random().toString(36).slice(2, 10)}`;
    await s.db.sql.unsafe(`create role ${role} login createdb password 'plain'`);
    try {
      const shadow = new URL(serverUrl());
      shadow.username = role;
      shadow.password = "plain";
      const result = await s.dbkit(["lint", "--json", "--shadow-url", shadow.toString()]);
      expect(result.code, result.stderr).toBe(5);
      expect(json(result).warnings).toEqual([expect.stringContaining("refused an event trigger")]);
      expect(json(result).findings).toMatchObject([{ code: "index-without-concurrently", file: "migrations/0002_index.sql", line: 1 }]);
    } finally {
      await s.db.sql.unsafe(`drop role if exists ${role}`);
    }
  });

  it("lints only pending files: once applied, a hazard is history", async () => {
    const s = await migratedWith({ "0002_index.sql": "create index orders_total_idx on public.orders (total);\n" });
    const first = await s.lint();
    expect(first.code, first.stderr).toBe(5);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const clean = await s.lint(["--json"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(json(clean)).toMatchObject({ ok: true, files: [], findings: [] });
  });

  it("reports a pending file that fails on the applied state with its file and line (exit 4)", async () => {
    const s = await migratedWith({ "0002_bad.sql": "select 1;\nalter table public.nope add column x int;\n" });
    const result = await s.lint();
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0002_bad.sql:2");
  });

  it("on the example project, --all raises no CONCURRENTLY finding for its first deploy; a new index on an existing table raises one", async () => {
    const s = await scenario({});
    await cp(path.join(ROOT, "migrations"), path.join(s.dir, "migrations"), { recursive: true });
    const all = await s.dbkit(["lint", "--all", "--json", "--shadow-url", serverUrl()]);
    expect(all.code, all.stderr).toBe(0);
    // Its tables are created in the same deploy: building their indexes blocks nobody.
    expect((json(all).findings as { code: string }[]).filter((f) => f.code === "index-without-concurrently")).toEqual([]);
    // What it does report there is the advisor's, as warnings: two indexes that duplicate a unique constraint's, and
    // policies that call auth.uid() per row or overlap another permissive policy for the same role and command.
    const reported = (json(all).findings as { code: string; level: string; message: string }[]).filter((f) => f.level !== "info");
    expect(reported.filter((f) => f.level === "error")).toEqual([]);
    expect([...new Set(reported.map((f) => f.code))].sort()).toEqual(["duplicate-index", "multiple-permissive-policies", "policy-calls-auth-per-row"]);
    expect(reported.filter((f) => f.code === "duplicate-index")).toHaveLength(2);
    expect((await s.dbkit(["migrate", "--no-seed"])).code).toBe(0);
    await writeFile(path.join(s.dir, "migrations", "0099_index.sql"), "create index message_created_idx on public.\"Message_v2\" (\"createdAt\");\n");
    const next = await s.dbkit(["lint", "--json", "--shadow-url", serverUrl()]);
    expect(next.code, next.stderr).toBe(5);
    expect(json(next).findings).toMatchObject([{ code: "index-without-concurrently", file: "migrations/0099_index.sql", line: 1 }]);
  });
});
