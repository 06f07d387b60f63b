/**
 * The one way a command builds migration files (and seeds) in a scratch database: verify's
 * expected schema, lint's applied state, test's database, both sides of diff and its proof.
 * The Supabase base where the project is a Supabase one, then the roles the build context
 * borrows from the target, then the files through migrate's own engine (so directives such as
 * `-- dbkit:no-transaction` hold).
 */
import type { Settings } from "../../config/load-config.js";
import type { SupabaseDetection } from "../../core/supabase-project.js";
import type { MigrationFile, SeedFile } from "../../core/types.js";
import type { OnEvent } from "../../engine/events.js";
import { runMigrate } from "../../engine/migrate.js";
import { seedParts } from "../../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../../version.js";
import { openScratchStore, type OpenScratch, type ScratchOptions } from "./open-scratch.js";
import type { Run } from "./run.js";
import { prepareSupabaseBase } from "./supabase-base.js";

export interface BuildSpec {
  /** Built in this order, each as migrate would apply it. */
  files: MigrationFile[];
  /** Run after the files, as migrate runs seeds. */
  seeds?: SeedFile[];
  /** Whether the project is a Supabase one (then the base is installed first). */
  detection: SupabaseDetection;
  /** The files that decide what the Supabase base leaves to the project (default `files`). */
  projectFiles?: readonly MigrationFile[];
  /** The build's events (default: none; its progress is not the user's business). */
  onEvent?: OnEvent;
  /** What a failure of the build becomes (a message saying which build, on which server). */
  failed?: (error: unknown, scratch: OpenScratch) => unknown;
}

export interface BuiltScratch extends OpenScratch {
  /** The session settings the files ran with (the project's, plus the platform's search_path under the base). */
  sessionSettings: Readonly<Record<string, string>>;
}

const SILENT: OnEvent = () => undefined;

/** Builds `spec.files` (and seeds) in a scratch database that exists already; returns the session settings used. */
export async function buildIn(scratch: OpenScratch, settings: Settings, reporter: Run, spec: BuildSpec): Promise<Readonly<Record<string, string>>> {
  let prepared: Promise<Readonly<Record<string, string>>> | undefined;
  const prepare = () =>
    (prepared ??= (async () => {
      const sessionSettings = await prepareSupabaseBase(settings, scratch.db, spec.projectFiles ?? spec.files, reporter, true, spec.detection);
      await scratch.db.giveRoles();
      return sessionSettings;
    })());
  try {
    await runMigrate(scratch.db, spec.onEvent ?? SILENT, {
      sessionSettings: settings.sessionSettings,
      prepare,
      files: spec.files,
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      dbkitVersion: DBKIT_VERSION,
      ...(spec.seeds ? { seeds: { files: spec.seeds, partsOf: (seed: SeedFile) => () => seedParts(seed, settings.cwd) } } : {}),
    });
  } catch (error) {
    throw spec.failed ? await spec.failed(error, scratch) : error;
  }
  // Nothing to apply still leaves the base, the roles and the journal in place, as a build of files
  // does: the journal's owner is the role whose default privileges the catalog reads as the project's.
  const sessionSettings = await prepare();
  if (spec.files.length === 0) await scratch.db.journal.ensureJournal();
  return sessionSettings;
}

/** A scratch database (its own server, see openScratchStore) with `spec` built in it; close() drops both. */
export async function buildScratch(settings: Settings, reporter: Run, options: ScratchOptions & BuildSpec): Promise<BuiltScratch> {
  const scratch = await openScratchStore(settings, reporter, options);
  try {
    return { ...scratch, sessionSettings: await buildIn(scratch, settings, reporter, options) };
  } catch (error) {
    await scratch.close();
    throw error;
  }
}
