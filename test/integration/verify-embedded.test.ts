/** verify on the embedded default database: the expected schema is built in a database beside it, in the same server, where that is exact. */
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { createProject, runCli } from "../support/project.js";

const PROJECT = {
  "migrations/0001_notes.sql": "create table public.notes (id bigint generated always as identity primary key, owner text not null);\ncreate index notes_owner_idx on public.notes (owner);\n",
  "seeds/notes.sql": "insert into public.notes (owner) values ('ada');\n",
};

async function databasesOf(project: string): Promise<string[]> {
  const server = await startEmbeddedServer({ dir: path.join(project, ".dbkit") });
  try {
    const sql = postgres(server.url(), { max: 1, onnotice: () => undefined });
    const rows = await sql`select datname::text as name from pg_database order by 1`;
    await sql.end();
    return rows.map((row) => row.name as string);
  } finally {
    await server.stop();
  }
}

describe("verify on the embedded default database", () => {
  it("builds the expected schema in a scratch database of the same server (no second server), drops it, and still finds drift", async () => {
    const project = await createProject(PROJECT);
    expect((await runCli(["migrate"], { cwd: project })).code).toBe(0);
    const clean = await runCli(["verify"], { cwd: project });
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stderr).toContain("building the expected schema");
    expect(existsSync(path.join(project, ".dbkit", "scratch"))).toBe(false);
    expect(await databasesOf(project)).toEqual(["postgres", "template0", "template1"]);

    const server = await startEmbeddedServer({ dir: path.join(project, ".dbkit") });
    const sql = postgres(server.url(), { max: 1, onnotice: () => undefined });
    await sql`drop index public.notes_owner_idx`;
    await sql.end();
    await server.stop();
    const drift = await runCli(["verify", "--no-cache"], { cwd: project });
    expect(drift.code, drift.stdout + drift.stderr).toBe(5);
    expect(drift.stdout).toContain("- index public.notes_owner_idx: missing");
  });

  it("uses a server of its own when the migrations create roles (shared by every database of a server)", async () => {
    const project = await createProject({ ...PROJECT, "migrations/0002_role.sql": "do $$ begin if not exists (select from pg_roles where rolname = 'dbkit_embedded_reader') then create role dbkit_embedded_reader nologin; end if; end $$;\ngrant select on public.notes to dbkit_embedded_reader;\n" });
    expect((await runCli(["migrate"], { cwd: project })).code).toBe(0);
    const verified = await runCli(["verify"], { cwd: project });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(existsSync(path.join(project, ".dbkit", "scratch"))).toBe(true);
  });
});
