/** `dbkit status`: `--check` turns the verdict into an exit code. */
import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runStatus, type StatusResult } from "../engine/status.js";
import { withTargetWhile } from "./shared/open-target.js";
import { adoptionHint, describeHistory } from "../core/other-tools.js";
import { findOtherHistories } from "../db/other-histories.js";
import { readProject } from "./shared/read-project.js";
import { seedsSkippedFor } from "./shared/seed-target.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { loadLintSection, type LintSection } from "./shared/lint-section-loader.js";
import { renderLintSection } from "../output/render-lint.js";
import { ExitCode } from "../errors.js";
import { renderStatus } from "../output/render.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("status")
      .description("show applied, pending, changed and missing migrations")
      .option("--check", "exit 6 when migrations are pending, 5 on drift, 0 when in sync")
      .option("--lint", "lint the pending files in a scratch database (as dbkit lint; the exit code is unchanged)")
      .option("--shadow-url <url>", "with --lint: server for the scratch database (default: a scratch embedded Postgres)")
      .addHelpText("after", "\nExamples:\n  $ dbkit status\n  $ dbkit status --check    # in CI: fail when the database is behind or has drifted\n"),
  bare: {},
  input: lazySchema(() => z.object({ check: z.optional(z.boolean()), lint: z.optional(z.boolean()), shadowUrl: z.optional(z.string()) })),
  run: statusCommand,
});

export interface StatusFlags {
  /** Lint the pending files in a scratch database (--lint); off by default, so status stays a cheap read. */
  lint?: boolean;
  /** The server for that scratch database (default: a scratch embedded Postgres). */
  shadowUrl?: string;
}

export type StatusReport = ResultDoc<"status", StatusResult & { target: TargetInfo; seedsSkipped?: string; otherHistories?: { tool: string; table: string }[]; lint?: LintSection }>;

/** Every migration and seed with its state; reads only. */
export async function statusWith(settings: Settings, base: Run, flags: StatusFlags = {}): Promise<StatusReport> {
  const { reporter, warnings } = collectingWarnings(base);
  // Seeds migrate would skip on this target are not pending work: status says why instead.
  const seedsSkipped = seedsSkippedFor(settings, undefined);
  return withTargetWhile(() => readProject(settings, reporter, !seedsSkipped), settings, reporter, { readJournalEarly: "summary with times" }, async (db, { files, seeds }, { embeddedUrl }) => {
    const result = await runStatus(db.journal, files, seeds ?? []);
    // Every file "pending" on a database another tool migrated: say how to adopt it instead.
    const others = result.journal || !result.pending ? [] : await db.session.run(() => findOtherHistories(db.session.sql));
    if (others.length > 0) {
      reporter.warn(`this database has ${others.map(describeHistory).join(" and ")} and no dbkit journal: migrate would run those migrations again; ${adoptionHint(others)}`);
    }
    const otherHistories = others.map((history) => ({ tool: history.tool, table: history.table }));
    const pending = result.entries.filter((entry) => entry.state === "pending").map((entry) => entry.name);
    const lint = flags.lint ? await (await loadLintSection()).lintSection(settings, reporter, db, { files, pending, shadowUrl: flags.shadowUrl, embeddedUrl }) : undefined;
    return resultDoc("status", { target: db.target, ...result, ...(otherHistories.length > 0 ? { otherHistories } : {}), ...(seedsSkipped ? { seedsSkipped } : {}), ...(lint ? { lint } : {}) }, warnings);
  });
}

/** Every migration and seed with its state. Reads only. */
export async function status(options: DbkitOptions & StatusFlags = {}): Promise<StatusReport> {
  return withApiRun(options, (settings, run) => statusWith(settings, run, options));
}

export async function statusCommand({ settings, output, run }: CommandContext, flags: StatusFlags & { check?: boolean }): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await statusWith(settings, run, flags);
  // The lint section informs; the exit code stays status's own (--check: 6 for pending work).
  output.result(report, () => renderStatus(report, output.paint) + (report.lint ? `\n\n${renderLintSection(report.lint, output.paint)}` : ""));
  if (!flags.check) return ExitCode.ok;
  return report.drift ? ExitCode.drift : report.pending ? ExitCode.pending : ExitCode.ok;
}
