import type { Settings } from "../config/load-config.js";
import type { Resolution } from "../engine/ports.js";
import { runAcceptChecksum, runResolve, type ResolveResult } from "../engine/resolve.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget, withTargetWhile } from "./open-store.js";
import { readProject } from "./read-project.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { apiSettings, type DbkitOptions } from "./options.js";

export type ResolveReport = ResultDoc<"resolve", ResolveResult>;

/**
 * Records how a failed or interrupted no-transaction migration was settled, or (accepted-checksum)
 * the new checksum of an applied file that was edited on purpose.
 */
export async function resolveWith(settings: Settings, base: Reporter, name: string, resolution: Resolution): Promise<ResolveReport> {
  const { reporter, warnings } = collectingWarnings(base);
  if (resolution === "accepted-checksum") {
    return withTargetWhile(() => readProject(settings, reporter, false), settings, reporter, { writes: true }, async (db, value) => {
      return resultDoc("resolve", await runAcceptChecksum(db.journal, value.files, name, DBKIT_VERSION), warnings);
    });
  }
  return withTarget(settings, reporter, { writes: true }, async (db) => {
    return resultDoc("resolve", await runResolve(db.journal, name, resolution, DBKIT_VERSION), warnings);
  });
}

/** Settles a failed or interrupted no-transaction migration, or accepts an applied file's new checksum. */
export async function resolve(options: DbkitOptions & { name: string; resolution: Resolution }): Promise<ResolveReport> {
  const { settings, reporter } = apiSettings(options);
  return resolveWith(settings, reporter, options.name, options.resolution);
}
