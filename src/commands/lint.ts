/**
 * `dbkit lint`: builds the target's applied state in a scratch database, runs the pending files
 * there statement by statement, measures what each did to the relations that existed before this
 * deploy, and turns those facts into findings. Writes nothing to the target (reads its journal).
 */
import type { Settings } from "../config/load-config.js";
import { failsAt, type LintFinding, type LintLevel } from "../core/lint-rules.js";
import type { TargetInfo } from "../engine/ports.js";
import { lintPendingFiles } from "./shared/lint-run.js";
import { withTarget } from "./shared/open-target.js";
import { readMigrations } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { detectSupabase } from "./shared/supabase-base.js";
import { ExitCode, MigrationFailedError, UsageError } from "../errors.js";
import { renderLint, renderLintGithub } from "../output/render-lint.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("lint")
      .description("measure what the pending migrations lock, rewrite and drop, in a scratch database (exit 5 on failing findings)")
      .option("--all", "lint every migration, from an empty database (default: only the target's pending files)")
      .option("--shadow-url <url>", "server to build the scratch database on (default: a scratch embedded Postgres)")
      .option("--fail-on <level>", "findings that fail lint: error (default) or warn")
      .option("--format <format>", "human (default) or github (GitHub Actions annotations)")
      .addHelpText("after", "\nExamples:\n  $ dbkit lint\n  $ dbkit lint --all --format github\n"),
  bare: {},
  input: lazySchema(() =>
    z.object({
      all: z.optional(z.boolean()),
      shadowUrl: z.optional(z.string()),
      failOn: z.optional(z.enum(["warn", "error"], { error: "use warn or error" })),
      format: z.optional(z.enum(["human", "github"], { error: "use human or github" })),
    }),
  ),
  run: lintCommand,
});


export interface LintFlags {
  /** A server to build the scratch database on, instead of a scratch embedded Postgres. */
  shadowUrl?: string;
  /** Every file is pending, from an empty database (the target's journal is not read). */
  all?: boolean;
  /** Which findings fail lint: "error" (default) or "warn" and above. */
  failOn?: LintLevel;
}

export interface LintResult {
  target: TargetInfo;
  /** The files linted (pending, or every file with --all). */
  files: string[];
  findings: LintFinding[];
  /** How many findings fail the run at the chosen --fail-on. */
  failing: number;
  failOn: LintLevel;
}

export type LintReport = ResultDoc<"lint", LintResult>;

/** Lints the pending files (every file with `all`); `ok` is false when a finding fails at `failOn`. */
export async function lintWith(settings: Settings, base: Run, flags: LintFlags = {}): Promise<LintReport> {
  const failOn = flags.failOn ?? "error";
  if (failOn !== "warn" && failOn !== "error") throw new UsageError("DBKIT_USAGE", `--fail-on ${String(failOn)}: use warn or error`);
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  const detection = await detectSupabase(settings, files);
  return withTarget(settings, reporter, {}, async (db, { embeddedUrl }) => {
    const journal = flags.all ? undefined : await db.journal.readJournal();
    const applied = new Set((journal ?? []).filter((row) => row.status === "applied").map((row) => row.name));
    const before = files.filter((file) => applied.has(file.name));
    const pending = files.filter((file) => !applied.has(file.name));
    const result = (findings: LintFinding[]) => {
      const failing = findings.filter((finding) => failsAt(finding, failOn)).length;
      return resultDoc("lint", { target: db.target, files: pending.map((file) => file.path), findings, failing, failOn }, warnings, failing === 0);
    };
    if (pending.length === 0) {
      reporter.info("no pending migrations to lint (--all lints every file)");
      return result([]);
    }
    return result(await lintPendingFiles(settings, reporter, db, { files, before, pending, detection, shadowUrl: flags.shadowUrl, embeddedUrl }));
  });
}

/** Lints the pending files (every file with `all`) in a scratch database; the document `dbkit lint --json` prints. */
export async function lint(options: DbkitOptions & LintFlags = {}): Promise<LintReport> {
  return withApiRun(options, (settings, run) => lintWith(settings, run, options));
}

export interface LintCommandFlags extends LintFlags {
  format?: string;
}

export async function lintCommand({ settings, output, run }: CommandContext, flags: LintCommandFlags): Promise<number> {
  const format = flags.format ?? "human";
  if (format !== "human" && format !== "github") throw new UsageError("DBKIT_USAGE", `--format ${format}: use human or github`);
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await lintWith(settings, run, flags);
  output.result(report, () => (format === "github" ? renderLintGithub(report) : renderLint(report, output.paint)));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
