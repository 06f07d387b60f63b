/** A project folder plus a fresh database, and a way to run the CLI between them. */
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { createProject, runCli, type CliResult } from "./project.js";

export interface Scenario {
  db: TestDatabase;
  dir: string;
  /** Runs `dbkit <args>` in the project with DATABASE_URL set to the test database. */
  dbkit(args: string[], env?: Record<string, string>): Promise<CliResult>;
}

export async function scenario(files: Record<string, string | Uint8Array>): Promise<Scenario> {
  const db = await createTestDatabase();
  const dir = await createProject(files);
  return { db, dir, dbkit: (args, env) => runCli(args, { cwd: dir, env: { DATABASE_URL: db.url, ...env } }) };
}

/** Parses stdout as exactly one JSON document (fails the test if anything else is there). */
export function json(result: CliResult): Record<string, any> {
  return JSON.parse(result.stdout);
}

export async function journalNames(db: TestDatabase, schema = "dbkit"): Promise<string[]> {
  const rows = await db.sql.unsafe(`select name from "${schema}".migrations order by name`);
  return rows.map((row) => row.name as string);
}

export async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  const [row] = await db.sql`select to_regclass(${name}) is not null as exists`;
  return Boolean(row?.exists);
}
