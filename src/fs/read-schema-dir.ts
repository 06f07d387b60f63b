/**
 * The declared schema `dbkit diff` writes migrations towards: the SQL files of the schema folder,
 * in the order they are applied to a scratch database. `schemaDir` when configured, else
 * `supabase/schemas/` in a Supabase project (in the order `supabase/config.toml` gives in
 * `[db.migrations] schema_paths`, as the Supabase CLI reads it), else `schema/`. Without an
 * order given, every `.sql` file below the folder, by path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { MigrationFile } from "../core/types.js";
import { UsageError } from "../errors.js";
import { readingFs } from "./file-errors.js";
import { display, readSqlFile } from "./read-migration-dir.js";

export interface SchemaDir {
  /** The folder as the user sees it. */
  shown: string;
  /** Where the order came from: "schema_paths of supabase/config.toml", or "path order". */
  order: string;
  /** The files as migrations, in order (versions 0001, 0002, ... keep that order in a build). */
  files: MigrationFile[];
}

export interface SchemaDirSettings {
  cwd: string;
  migrationsDir: string;
  /** `schemaDir` of the config (absolute), when given. */
  schemaDir?: string | undefined;
}

/** Finds and reads the schema folder; a missing folder is a usage error that says where it looked. */
export function readSchemaDir(settings: SchemaDirSettings): SchemaDir {
  const supabaseDir = path.join(settings.cwd, "supabase");
  const supabase = !settings.schemaDir && (path.relative(supabaseDir, settings.migrationsDir) === "migrations" || existsSync(path.join(supabaseDir, "config.toml")));
  const dir = settings.schemaDir ?? (supabase ? path.join(supabaseDir, "schemas") : path.join(settings.cwd, "schema"));
  const shown = display(dir, settings.cwd);
  const patterns = supabase ? schemaPaths(path.join(supabaseDir, "config.toml")) : undefined;
  if (!patterns && !existsSync(dir)) {
    throw new UsageError("DBKIT_SCHEMA_DIR_NOT_FOUND", `schema folder not found: ${shown}${path.sep}`, {
      hint: `dbkit diff <name> compares the SQL files of ${shown}${path.sep} (the schema you want) with the migrations: create it, or set schemaDir in dbkit.config.json`,
    });
  }
  const paths = patterns ? patterns.flatMap((pattern) => matching(supabaseDir, pattern)).filter((file, index, all) => all.indexOf(file) === index) : sqlFilesBelow(dir);
  // A pattern that matches nothing is a mistake, not a wish to drop every object.
  if (patterns && paths.length === 0) {
    throw new UsageError("DBKIT_SCHEMA_DIR_NOT_FOUND", `schema_paths of supabase/config.toml match no file: ${patterns.join(", ")}`, { hint: "the patterns are relative to supabase/, e.g. \"./schemas/*.sql\"" });
  }
  const width = Math.max(4, String(paths.length).length);
  const files = paths.map((file, index) => {
    const version = String(index + 1).padStart(width, "0");
    return readSqlFile(file, display(file, settings.cwd), "migration", `${version}_schema`, version);
  });
  return { shown, order: patterns ? "schema_paths of supabase/config.toml" : "path order", files };
}

/** `[db.migrations] schema_paths = [...]` of a Supabase config.toml; undefined when not set. */
export function schemaPaths(configFile: string): string[] | undefined {
  if (!existsSync(configFile)) return undefined;
  const toml = readingFs(configFile, "file", () => readFileSync(configFile, "utf8"));
  const section = /^\[db\.migrations\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const list = /^\s*schema_paths\s*=\s*\[([\s\S]*?)\]/m.exec(section)?.[1];
  const patterns = list ? [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "").filter((p) => p !== "") : [];
  return patterns.length > 0 ? patterns : undefined;
}

/** The files a pattern relative to `root` names (`*`, `?` within a name, `**` across folders), by path. */
function matching(root: string, pattern: string): string[] {
  const full = path.resolve(root, pattern);
  const parts = full.split(path.sep);
  const firstGlob = parts.findIndex((part) => /[*?[]/.test(part));
  if (firstGlob === -1) return existsSync(full) && statSync(full).isFile() ? [full] : [];
  const base = parts.slice(0, firstGlob).join(path.sep) || path.sep;
  const matcher = globRegExp(parts.slice(firstGlob).join("/"));
  return filesBelow(base).filter((file) => matcher.test(path.relative(base, file).split(path.sep).join("/")));
}

function globRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      // `**/` is any number of folders, none included.
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function sqlFilesBelow(dir: string): string[] {
  return filesBelow(dir).filter((file) => file.toLowerCase().endsWith(".sql"));
}

/** Every file below `dir`, sorted by path (folders' files where the folder's name sorts). */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const entries = readingFs(dir, "folder", () => readdirSync(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesBelow(file));
    else if (entry.isFile()) found.push(file);
  }
  return found;
}
