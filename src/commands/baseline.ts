/** `dbkit baseline --to <name>`: adopt a database built before dbkit, its migrations recorded as applied without running them. */
import * as z from "zod/mini";
import type { Settings } from "../config/load-config.js";
import { runBaseline, type BaselineResult } from "../engine/adopt.js";
import type { TargetInfo } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import { DBKIT_VERSION } from "../version.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { defineCommand } from "./shared/command.js";
import type { CommandContext } from "./shared/context.js";
import { lazySchema } from "./shared/flags.js";
import { withTarget } from "./shared/open-target.js";
import { readMigrations } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("baseline")
      .description("record migrations up to --to as applied without running them (a database built before dbkit)")
      .requiredOption("--to <name-or-version>", "the last migration the database already has")
      .option("--dry-run", "list what would be recorded and change nothing")
      .addHelpText("after", "\nExamples:\n  $ dbkit baseline --to 20250120000000_nps_submissions --dry-run\n"),
  bare: {},
  input: lazySchema(() => z.object({ to: z.optional(z.string()), dryRun: z.optional(z.boolean()) })),
  run: baselineCommand,
});

export type BaselineReport = ResultDoc<"baseline", BaselineResult & { target: TargetInfo }>;

/** Records migrations up to and including `to` as applied without running them. */
export async function baselineWith(settings: Settings, base: Run, to: string, dryRun: boolean): Promise<BaselineReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  return withTarget(settings, reporter, { writes: !dryRun }, async (db) => {
    return resultDoc("baseline", { target: db.target, ...(await runBaseline(db.journal, files, to, dryRun, DBKIT_VERSION)) }, warnings);
  });
}

/** Records migrations up to and including `to` as applied without running them. */
export async function baseline(options: DbkitOptions & { to: string; dryRun?: boolean }): Promise<BaselineReport> {
  return withApiRun(options, (settings, run) => baselineWith(settings, run, options.to, Boolean(options.dryRun)));
}

export async function baselineCommand({ settings, output, run }: CommandContext, flags: { to?: string; dryRun?: boolean }): Promise<number> {
  if (!flags.to) throw new UsageError("DBKIT_USAGE", "baseline needs --to <migration>: the last migration the database already has", { hint: "dbkit baseline --to 20250120000000_nps_submissions" });
  const report = await baselineWith(settings, run, flags.to, Boolean(flags.dryRun));
  output.result(report, () => {
    if (report.recorded.length === 0) return "nothing to baseline: those migrations are already recorded";
    const verb = report.dryRun ? "would record" : "recorded";
    return `${verb} ${report.recorded.length} migration(s) as applied without running them:\n${report.recorded.map((n) => `  ${n}`).join("\n")}`;
  });
  return 0;
}
