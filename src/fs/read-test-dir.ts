/**
 * The SQL test files of a project: `tests/` beside the migrations folder (`supabase/tests` in a
 * Supabase CLI layout), or the folder given with --dir; `.sql` and `.pg` files, sorted by path,
 * subfolders included (as `supabase test db` finds them).
 */
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";

export interface TestFile {
  /** Path relative to the project folder, with forward slashes: what the report shows. */
  name: string;
  text: string;
}

/** The tests folder: --dir, else `tests` next to the migrations folder, else `tests` or `supabase/tests` in the project. */
export function testsDirOf(cwd: string, migrationsDir: string, given?: string): string {
  if (given) return path.resolve(cwd, given);
  const candidates = [path.join(path.dirname(migrationsDir), "tests"), path.join(cwd, "tests"), path.join(cwd, "supabase", "tests")];
  return candidates.find((dir) => existsSync(dir)) ?? path.join(cwd, "tests");
}

export async function readTestDir(cwd: string, dir: string): Promise<TestFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    throw new UsageError("DBKIT_NO_TESTS", `no tests folder: ${path.relative(cwd, dir) || "."} does not exist`, {
      hint: "put SQL test files in tests/ (supabase/tests in a Supabase project), or name the folder with --dir <path>",
    });
  });
  const paths = entries.filter((e) => e.isFile() && /\.(sql|pg)$/i.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
  return Promise.all(paths.map(async (file) => ({ name: path.relative(cwd, file).split(path.sep).join("/"), text: (await readFile(file, "utf8")).replace(/^\uFEFF/, "").replace(/\r\n/g, "\n") })));
}
