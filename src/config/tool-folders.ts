/**
 * Where other tools keep a project's migrations when nothing tells dbkit where they are: the
 * folder each tool reads by default or is configured to read, so `dbkit migrate` works in a
 * drizzle-kit, dbmate or Flyway project as `prisma/migrations` and `supabase/migrations` do.
 * Each place counts only when it holds what that tool writes there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const DRIZZLE_CONFIGS = ["drizzle.config.ts", "drizzle.config.mts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs", "drizzle.config.json"];

/**
 * The migrations folder (relative to `cwd`) another tool's setup points at, or undefined.
 * `variables`: the environment and `.env`, in that order (dbmate reads `.env` itself).
 */
export function otherToolFolder(cwd: string, variables: readonly Record<string, string | undefined>[]): string | undefined {
  const drizzle = drizzleFolder(cwd);
  if (drizzle) return drizzle;
  // dbmate: DBMATE_MIGRATIONS_DIR, else its default db/migrations.
  const dbmateDir = variables.map((values) => values.DBMATE_MIGRATIONS_DIR).find((value) => value);
  for (const dir of [dbmateDir, path.join("db", "migrations")]) if (dir && holdsSql(path.join(cwd, dir))) return path.normalize(dir);
  // Flyway: its config's first filesystem location, else where Spring Boot and Flyway's Maven and Gradle builds read it.
  for (const dir of [flywayLocation(cwd), path.join("src", "main", "resources", "db", "migration")]) if (dir && holdsSql(path.join(cwd, dir))) return path.normalize(dir);
  return undefined;
}

/** drizzle-kit writes to its config's `out` (default `drizzle`), with meta/_journal.json beside the files. */
function drizzleFolder(cwd: string): string | undefined {
  const config = DRIZZLE_CONFIGS.find((name) => existsSync(path.join(cwd, name)));
  // A literal `out: "./db/migrations"`; a computed one is not guessed at.
  const out = config ? /["']?\bout["']?\s*:\s*["'`]([^"'`$]+)["'`]/.exec(readFileSync(path.join(cwd, config), "utf8"))?.[1] : undefined;
  for (const dir of [out, "drizzle"]) if (dir && existsSync(path.join(cwd, dir, "meta", "_journal.json"))) return path.normalize(dir);
  return undefined;
}

/** `flyway.locations=filesystem:sql` (flyway.conf) or `locations = ["filesystem:sql"]` (flyway.toml). */
function flywayLocation(cwd: string): string | undefined {
  for (const name of ["flyway.conf", "flyway.toml"]) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const location = /\blocations\s*=\s*\[?\s*["']?filesystem:([^"',\]\s]+)/.exec(readFileSync(file, "utf8"))?.[1];
    if (location) return location;
  }
  return undefined;
}

function holdsSql(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => name.toLowerCase().endsWith(".sql"));
  } catch {
    return false;
  }
}
