import path from "node:path";
import type { Settings } from "../config/load-config.js";
import { formatWithArticle, type FolderFormat } from "../core/folder-format.js";
import { runDown, type DownResult } from "../engine/down.js";
import type { TargetInfo } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import { display } from "../fs/read-migration-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget } from "./open-store.js";
import { readMigrations } from "./read-project.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resetTarget } from "./reset.js";
import { resultDoc, type ResultDoc } from "./result.js";

export interface DownFlags {
  /** Revert every migration after this one (name or version); `0`: all of them. */
  to?: string;
  /** How many migrations to revert (default 1). */
  steps?: string | number;
  dryRun?: boolean;
  /** Required for a database that is not on this machine, as for reset. */
  allowRemote?: boolean;
}

export type DownReport = ResultDoc<"down", DownResult & { target: TargetInfo }>;

/** The formats whose folders keep downs. */
const WITH_DOWNS: ReadonlySet<FolderFormat> = new Set(["golang-migrate", "dbmate", "flyway"]);

/** Runs the downs of the newest applied migrations (one by default), each in its own transaction. */
export async function downWith(settings: Settings, base: Reporter, flags: DownFlags = {}): Promise<DownReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const steps = stepsOf(flags);
  const target = resetTarget(settings);
  if (!flags.dryRun && !target.local && !flags.allowRemote) {
    throw new UsageError("DBKIT_DOWN_REMOTE", `refusing to run downs on ${target.host}: it is not on this machine`, {
      hint: "downs drop objects and their data; if you really mean this database, add --allow-remote (try --dry-run first)",
    });
  }
  const { files, format } = await readMigrations(settings, reporter);
  if (!WITH_DOWNS.has(format)) {
    throw new UsageError("DBKIT_NO_DOWNS", `${display(settings.migrationsDir, settings.cwd)}${path.sep} is ${formatWithArticle(format)} folder, which has no down migrations`, {
      hint: "undo a change with a new migration; dbkit down runs the downs of golang-migrate (.down.sql), dbmate (-- migrate:down) and Flyway (U files) folders",
    });
  }
  return withTarget(settings, reporter, { writes: !flags.dryRun }, async (db) => {
    const result = await runDown(db, reporter.onEvent, {
      files,
      ...(flags.to === undefined ? {} : { to: flags.to }),
      ...(steps === undefined ? {} : { steps }),
      dryRun: Boolean(flags.dryRun),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      dbkitVersion: DBKIT_VERSION,
    });
    return resultDoc("down", { target: db.target, ...result }, warnings);
  });
}

function stepsOf(flags: DownFlags): number | undefined {
  if (flags.steps === undefined) return undefined;
  if (flags.to !== undefined) throw new UsageError("DBKIT_USAGE", "down takes --to or --steps, not both", { hint: "--steps N reverts the N newest migrations; --to X reverts every migration after X" });
  const steps = Number(flags.steps);
  if (!/^\d+$/.test(String(flags.steps)) || steps < 1) throw new UsageError("DBKIT_USAGE", `--steps ${flags.steps}: must be a whole number of at least 1`, { hint: "for example --steps 2" });
  return steps;
}
