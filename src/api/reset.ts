import { isLocalHost, parseConnectionUrl } from "../core/connection-url.js";
import type { Settings } from "../config/load-config.js";
import { UsageError } from "../errors.js";
import type { ResetResult, TargetInfo } from "../engine/ports.js";
import { runReset } from "../engine/reset.js";
import { migrateWith, type MigrateReport } from "./migrate.js";
import { dropOwnedObjects } from "../db/admin.js";
import { withTarget } from "./open-store.js";
import { detectSupabase } from "./supabase-base.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { readMigrations } from "./read-project.js";
import { apiSettings, type DbkitOptions } from "./options.js";

export interface ResetFlags {
  /** Required: reset drops data. The CLI sets it after the user typed the database name. */
  yes?: boolean;
  /** Required too for a database that is not on this machine. */
  allowRemote?: boolean;
  /** False: only drop (--no-migrate). */
  migrate?: boolean;
  /** False: migrate without seeds. */
  seed?: boolean;
}

export type ResetReport = ResultDoc<"reset", ResetResult & { owned: string[]; target: TargetInfo; migrate: MigrateReport | null }>;

/** Where reset would go, known before connecting: for the confirmation and the remote check. */
export function resetTarget(settings: Settings): { database: string; host: string; local: boolean; url?: ReturnType<typeof parseConnectionUrl> } {
  if (!settings.databaseUrl) return { database: "postgres", host: "embedded", local: true };
  const url = parseConnectionUrl(settings.databaseUrl.value);
  if (!url.ok) throw new UsageError("DBKIT_INVALID_URL", `the database URL is not valid: ${url.reason}`);
  return { database: url.url.database, host: url.url.host, local: isLocalHost(url.url.host), url };
}

/** Drops what the migrations created and the journal, then (unless migrate: false) migrates again. */
export async function resetWith(settings: Settings, base: Reporter, flags: ResetFlags): Promise<ResetReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const target = resetTarget(settings);
  if (!target.local && !flags.allowRemote) {
    throw new UsageError("DBKIT_RESET_REMOTE", `refusing to reset ${target.host}: it is not on this machine`, {
      hint: "reset drops schemas and data; if you really mean this database, add --allow-remote (and --yes)",
    });
  }
  if (!flags.yes) {
    throw new UsageError("DBKIT_RESET_UNCONFIRMED", "reset needs confirmation: run it in a terminal, or pass --yes", {
      hint: "reset drops every schema the migrations created, the journal, and the data in them",
    });
  }
  const { files } = await readMigrations(settings, { info: () => undefined, warn: (message) => reporter.warn(message) });
  const { supabase } = await detectSupabase(settings, files);
  const { opened, result } = await withTarget(settings, reporter, { announce: false, writes: true }, async (db) => ({
    opened: db.target,
    result: await runReset((plan) => dropOwnedObjects(db.session, plan), reporter.onEvent, { files, journalSchema: settings.journalSchema, supabase, ...(settings.schemas ? { schemas: settings.schemas } : {}) }),
  }));
  reporter.info(`reset: dropped ${result.droppedSchemas.length > 0 ? `schema(s) ${result.droppedSchemas.join(", ")}` : "nothing"}${result.removed.length > 0 ? `; removed ${result.removed.join(", ")}` : ""}`);
  const migrate = flags.migrate === false ? null : await migrateWith(settings, reporter, flags.seed === false ? { seed: false } : {});
  return resultDoc("reset", { target: opened, ...result, migrate }, warnings);
}

/** Drops what the migrations created (needs `yes: true`), then migrates again unless `migrate: false`. */
export async function reset(options: DbkitOptions & ResetFlags = {}): Promise<ResetReport> {
  const { settings, reporter } = apiSettings(options);
  return resetWith(settings, reporter, options);
}
