/** verify against a database a user changed by hand after migrating: the shape of the drift tests. */
import { expect } from "vitest";
import { createTestDatabase } from "./databases.js";
import { createProject, runCli, type CliResult } from "./project.js";

/** Migrates `project` onto a fresh database of `server`, runs `change` on it, and verifies with the scratch on the same server. */
export async function verifyAfter(project: Record<string, string>, server: string, change: string): Promise<CliResult> {
  const db = await createTestDatabase(server);
  const dir = await createProject(project);
  const env = { DATABASE_URL: db.url };
  const migrated = await runCli(["migrate"], { cwd: dir, env });
  expect(migrated.code, migrated.stderr).toBe(0);
  await db.sql.unsafe(change);
  return runCli(["verify", "--shadow-url", server], { cwd: dir, env });
}
