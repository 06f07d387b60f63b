/**
 * The lint section of `migrate --dry-run` and `status --lint`: the pending files linted as
 * `dbkit lint` would, reported beside the command's own result. It never changes the command's
 * outcome: a lint that cannot run (a pending file failing on the applied state, no scratch server)
 * is reported in the section, not thrown.
 */
import type { Settings } from "../../config/load-config.js";
import { failsAt, type LintFinding } from "../../core/lint-rules.js";
import type { MigrationFile } from "../../core/types.js";
import type { Database } from "../../db/database.js";
import { DbkitError } from "../../errors.js";
import { lintPendingFiles } from "./lint-run.js";
import type { Run } from "./run.js";
import { detectSupabase } from "./supabase-base.js";

export interface LintSection {
  /** The files linted: the pending ones the command reports. */
  files: string[];
  findings: LintFinding[];
  /** How many findings `dbkit lint` would fail on (at its default, --fail-on error). */
  failing: number;
  /** Set when the lint could not run: its error code and message. */
  error?: { code: string; message: string };
}

export interface LintSectionInput {
  /** Every migration file of the project, in order. */
  files: MigrationFile[];
  /** The names of the pending files to lint (those the command would apply). */
  pending: readonly string[];
  shadowUrl?: string | undefined;
  embeddedUrl?: string | undefined;
}

/** The lint section for `pending`, or undefined when nothing is pending (no scratch database is made). */
export async function lintSection(settings: Settings, reporter: Run, db: Database, input: LintSectionInput): Promise<LintSection | undefined> {
  const names = new Set(input.pending);
  const pending = input.files.filter((file) => names.has(file.name));
  if (pending.length === 0) return undefined;
  const files = pending.map((file) => file.path);
  try {
    const journal = await db.journal.readJournal();
    const applied = new Set((journal ?? []).filter((row) => row.status === "applied").map((row) => row.name));
    const before = input.files.filter((file) => applied.has(file.name));
    const detection = await detectSupabase(settings, input.files);
    const findings = await lintPendingFiles(settings, reporter, db, { files: input.files, before, pending, detection, shadowUrl: input.shadowUrl, embeddedUrl: input.embeddedUrl });
    return { files, findings, failing: findings.filter((finding) => failsAt(finding, "error")).length };
  } catch (error) {
    if (!(error instanceof DbkitError)) throw error;
    reporter.warn(`lint could not run: ${error.message}`);
    return { files, findings: [], failing: 0, error: { code: error.code, message: error.message } };
  }
}
