/**
 * `dbkit test` on a folder written the way basejump's own test suite is (the helpers of
 * basejump's supabase_test_helpers, pgTAP's row_eq, results_ne and schema assertions, frozen
 * time), against migrations that revoke EXECUTE on new functions from PUBLIC by default and
 * call pgcrypto through the database's search_path: test/fixtures/supabase-teams. It runs
 * unchanged, on Postgres 17 and on Debian's 15, and a loosened policy or a wrong expiry fails it.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { hasPg15, startPg15 } from "../support/pg15.js";
import { createProject, runCli } from "../support/project.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/supabase-teams/supabase", import.meta.url));
const MIGRATION = "supabase/migrations/20240301000000_teams.sql";

async function teamsProject(): Promise<string> {
  const project = await createProject({});
  await cp(FIXTURE, path.join(project, "supabase"), { recursive: true });
  return project;
}

async function edit(project: string, from: string, to: string): Promise<void> {
  const file = path.join(project, MIGRATION);
  const text = await readFile(file, "utf8");
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
}

describe("dbkit test on a basejump-style folder", () => {
  it.each([
    ["Postgres 17", async () => serverUrl()],
    ["Debian's Postgres 15", async () => (await startPg15("teams")).url()],
  ] as const)("runs unchanged on %s", async (major, server) => {
    if (major.includes("15") && !hasPg15) return;
    const project = await teamsProject();
    const result = await runCli(["test", "--json", "--shadow-url", await server()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.files.map((f: { file: string; assertions: number; failures: unknown[] }) => [f.file, f.assertions, f.failures])).toEqual([
      ["supabase/tests/database/01-schema.test.sql", 9, []],
      ["supabase/tests/database/02-teams.test.sql", 9, []],
      ["supabase/tests/database/03-invitations.test.sql", 5, []],
    ]);
  });

  it("fails where a policy is loosened and where an expired invitation is accepted, naming file, line, expected and found", async () => {
    const project = await teamsProject();
    await edit(project, `using (teams.is_member(id) or owner_id = auth.uid())`, `using (true)`);
    await edit(project, `now() - interval '24 hours'`, `now() - interval '48 hours'`);
    const result = await runCli(["test", "--json", "--shadow-url", serverUrl()], { cwd: project });
    expect(result.code, result.stdout + result.stderr).toBe(5);
    const failures = Object.fromEntries(JSON.parse(result.stdout).files.map((f: { file: string; failures: unknown[] }) => [path.basename(f.file), f.failures]));
    expect(failures["01-schema.test.sql"]).toEqual([]);
    expect(failures["02-teams.test.sql"]).toEqual([
      { line: 32, message: "not ok 5 - bob sees no team", expected: "no rows", found: expect.stringMatching(/^\(5e1d7a3c-0000-4000-8000-000000000001,renamed,/) },
    ]);
    expect(failures["03-invitations.test.sql"]).toEqual([
      { line: 24, message: "not ok 2 - an invitation older than a day cannot be accepted", expected: "Invitation not found or expired", found: "no error" },
    ]);
  });
});
