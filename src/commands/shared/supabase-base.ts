/** Whether a project is a Supabase one, and when and where the Supabase base is installed before migrations run. */
import { existsSync } from "node:fs";
import path from "node:path";
import { isLocalHost } from "../../core/connection-url.js";
import { schemasCreated } from "../../core/foreign-objects.js";
import { detectSupabaseProject, mentionsSupabase, type SupabaseDetection } from "../../core/supabase-project.js";
import type { MigrationFile } from "../../core/types.js";
import type { Settings } from "../../config/load-config.js";
import { availableExtensions, ensureSupabaseBase } from "../../db/admin.js";
import { preinstalledExtensionsToSkip, withoutStatements } from "../../core/platform-extensions.js";
import { parseStatements } from "../../sql/parse-sql.js";
import type { Database } from "../../db/database.js";
import { parseFiles } from "../../engine/parse-files.js";
import { cachedDerived } from "../../fs/derived-cache.js";
import { DBKIT_VERSION } from "../../version.js";
import type { Run } from "./run.js";

/**
 * Detects a Supabase project (see core/supabase-project). Only files whose text may use the
 * platform are parsed, so a plain project pays for no parsing at all; and the verdict is cached
 * under those files' checksums, so a project that does mention the platform parses them once, not
 * on every run (loading the parser alone took a warm verify of the example project a second on a
 * busy machine).
 */
export async function detectSupabase(settings: Settings, files: readonly MigrationFile[]): Promise<SupabaseDetection> {
  const hasSupabaseConfig = existsSync(path.join(settings.cwd, "supabase", "config.toml"));
  const decided = settings.supabase !== undefined || hasSupabaseConfig;
  const candidates = decided ? [] : files.filter((file) => file.mentionsSupabase ?? mentionsSupabase(file.text));
  const detect = async () => detectSupabaseProject({ configured: settings.supabase, hasSupabaseConfig, files: await parseFiles(candidates) });
  if (candidates.length === 0) return detect();
  const key = { detection: DETECTION_VERSION, v: DBKIT_VERSION, files: candidates.map((file) => [file.path, file.checksum]) };
  return cachedDerived(settings.stateDir, "supabase-detection", key, detect);
}

/** Bumped when detectSupabaseProject decides differently. */
const DETECTION_VERSION = 1;

/** The search_path the platform gives a Supabase database (and the base gives a local one). */
const PLATFORM_SEARCH_PATH = '"$user", public, extensions';

/**
 * For a Supabase project, on a database dbkit runs itself or one on this machine (anywhere with
 * --supabase-base), and never on a real Supabase database. Returns the session settings the
 * migrations run with: the project's, plus the platform's search_path where the base is used and
 * the project sets none (the database-level setting the base makes holds only for new sessions).
 */
export async function prepareSupabaseBase(
  settings: Settings,
  db: Database,
  files: readonly MigrationFile[],
  reporter: Run,
  scratch = false,
  known?: SupabaseDetection,
): Promise<Record<string, string>> {
  const eligible = scratch || db.target.embedded || isLocalHost(db.target.host) || settings.supabaseBaseAnywhere;
  if (!eligible) return settings.sessionSettings;
  const detection = known ?? (await detectSupabase(settings, files));
  if (!detection.supabase) return settings.sessionSettings;
  // One read of each file's text for both looks (migrate's files keep none: each use reads the file).
  const creating: MigrationFile[] = [];
  const extending: MigrationFile[] = [];
  for (const file of files) {
    const text = file.text;
    if (/\bcreate\s+schema\b/i.test(text)) creating.push(file);
    if (/\bcreate\s+extension\s+if\s+not\s+exists\b/i.test(text)) extending.push(file);
  }
  const created = schemasCreated((await parseFiles(creating)).flatMap((file) => file.statements));
  const outcome = await ensureSupabaseBase(db.session, created.filter((name) => name === "auth" || name === "storage"));
  if (outcome === "installed") reporter.info(`installed the Supabase base (API roles, auth, storage, realtime, extensions) for local development: a Supabase project (${detection.reason})`);
  if (outcome !== "supabase") await skipPreinstalledExtensions(db, extending, reporter);
  if (outcome === "supabase" || "search_path" in settings.sessionSettings) return settings.sessionSettings;
  return { search_path: PLATFORM_SEARCH_PATH, ...settings.sessionSettings };
}

/**
 * `create extension if not exists` of an extension every Supabase database has (`supabase db pull`
 * writes pg_graphql, supabase_vault ... into the first migration) does nothing on Supabase; where
 * the server lacks it (the embedded Postgres has no pg_graphql), the statement is left out of the
 * text sent, lines kept, and said. The file's checksum is its own text's, unchanged. `candidates`:
 * the files with such a statement.
 */
async function skipPreinstalledExtensions(db: Database, candidates: readonly MigrationFile[], reporter: Run): Promise<void> {
  if (candidates.length === 0) return;
  const available = await availableExtensions(db.session);
  for (const file of candidates) {
    const parsed = await parseStatements(file.text);
    if (!parsed.ok) continue;
    const skipped = preinstalledExtensionsToSkip(parsed.statements, available);
    if (skipped.length === 0) continue;
    // Later statements go by offset: blanked from the last one back, each keeps its place.
    (file as { text: string }).text = withoutStatements(file.text, [...skipped].reverse());
    for (const { line, extension } of skipped) {
      reporter.info(`skipped ${file.path}:${line} create extension if not exists ${extension}: every Supabase database has it; this Postgres does not`);
    }
  }
}
