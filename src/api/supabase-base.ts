/** When and where the Supabase base is installed before migrations run. */
import { isLocalHost } from "../core/connection-url.js";
import { isSupabaseProject } from "../core/supabase-project.js";
import type { MigrationFile } from "../core/types.js";
import type { Settings } from "../config/load-config.js";
import { ensureSupabaseBase } from "../db/admin.js";
import type { Database } from "../db/database.js";
import type { Reporter } from "./reporter.js";

/**
 * For a Supabase project, on a database dbkit runs itself or one on this machine (anywhere with
 * --supabase-base), and never on a real Supabase database.
 */
export async function prepareSupabaseBase(settings: Settings, db: Database, files: readonly MigrationFile[], reporter: Reporter, scratch = false): Promise<void> {
  if (!isSupabaseProject(settings.supabase, settings.migrationsDir, files)) return;
  const eligible = scratch || db.target.embedded || isLocalHost(db.target.host) || settings.supabaseBaseAnywhere;
  if (!eligible) return;
  const outcome = await ensureSupabaseBase(db.session);
  if (outcome === "installed") reporter.info("installed the Supabase base (API roles, auth, storage, extensions) for local development");
}
