import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runStatus, type StatusResult } from "../engine/status.js";
import { withTargetWhile } from "./open-store.js";
import { adoptionHint, describeHistory } from "../core/other-tools.js";
import { findOtherHistories } from "../db/other-histories.js";
import { readProject } from "./read-project.js";
import { seedsSkippedFor } from "./seed-target.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { apiSettings, type DbkitOptions } from "./options.js";
import { lintSection, type LintSection } from "./lint-section.js";

export interface StatusFlags {
  /** Lint the pending files in a scratch database (--lint); off by default, so status stays a cheap read. */
  lint?: boolean;
  /** The server for that scratch database (default: a scratch embedded Postgres). */
  shadowUrl?: string;
}

export type StatusReport = ResultDoc<"status", StatusResult & { target: TargetInfo; seedsSkipped?: string; otherHistories?: { tool: string; table: string }[]; lint?: LintSection }>;

/** Every migration and seed with its state; reads only. */
export async function statusWith(settings: Settings, base: Reporter, flags: StatusFlags = {}): Promise<StatusReport> {
  const { reporter, warnings } = collectingWarnings(base);
  // Seeds migrate would skip on this target are not pending work: status says why instead.
  const seedsSkipped = seedsSkippedFor(settings, undefined);
  return withTargetWhile(() => readProject(settings, reporter, !seedsSkipped), settings, reporter, { readJournalEarly: true }, async (db, { files, seeds }, { embeddedUrl }) => {
    const result = await runStatus(db.journal, files, seeds ?? []);
    // Every file "pending" on a database another tool migrated: say how to adopt it instead.
    const others = result.journal || !result.pending ? [] : await db.session.run(() => findOtherHistories(db.session.sql));
    if (others.length > 0) {
      reporter.warn(`this database has ${others.map(describeHistory).join(" and ")} and no dbkit journal: migrate would run those migrations again; ${adoptionHint(others)}`);
    }
    const otherHistories = others.map((history) => ({ tool: history.tool, table: history.table }));
    const pending = result.entries.filter((entry) => entry.state === "pending").map((entry) => entry.name);
    const lint = flags.lint ? await lintSection(settings, reporter, db, { files, pending, shadowUrl: flags.shadowUrl, embeddedUrl }) : undefined;
    return resultDoc("status", { target: db.target, ...result, ...(otherHistories.length > 0 ? { otherHistories } : {}), ...(seedsSkipped ? { seedsSkipped } : {}), ...(lint ? { lint } : {}) }, warnings);
  });
}

/** Every migration and seed with its state. Reads only. */
export async function status(options: DbkitOptions & StatusFlags = {}): Promise<StatusReport> {
  const { settings, reporter } = apiSettings(options);
  return statusWith(settings, reporter, options);
}
