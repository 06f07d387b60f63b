/** The project the dbkit diff CLI tests start from: a scenario whose scratch databases are made on the test server. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { serverUrl } from "./databases.js";
import { scenario, type Scenario } from "./scenario.js";

export const NOTES = "create table public.notes (id bigint primary key, body text not null);\n";

/** The scratch databases of each run are made on the test server, as verify's tests build theirs. */
export async function project(files: Record<string, string>) {
  const s = await scenario(files);
  return { ...s, diff: (args: string[]) => s.dbkit(["diff", "--shadow-url", serverUrl(), ...args]) };
}

export function migrationsOf(s: Scenario, dir = "migrations"): string[] {
  return readdirSync(path.join(s.dir, dir)).sort();
}

export function read(s: Scenario, file: string): string {
  return readFileSync(path.join(s.dir, file), "utf8");
}
