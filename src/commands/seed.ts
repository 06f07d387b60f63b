/** `dbkit seed`: run the seeds that are due, without migrating. */
import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runSeedsOnly, type SeedResult } from "../engine/seed.js";
import { readSeeds, seedParts } from "../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget } from "./shared/open-target.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { renderSeeds } from "../output/render.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";
import { withTimeoutFlags } from "./shared/flag-groups.js";

export const command = defineCommand({
  declare: (program) =>
    withTimeoutFlags(program.command("seed").description("run the seeds that never ran or whose content changed, without migrating").option("--dry-run", "list the seeds that would run and change nothing"), "seed").addHelpText(
      "after",
      "\nExamples:\n  $ dbkit seed\n  $ dbkit seed --dry-run\n",
    ),
  bare: {},
  input: lazySchema(() => z.object({ dryRun: z.optional(z.boolean()) })),
  run: seedCommand,
});


export type SeedReport = ResultDoc<"seed", SeedResult & { target: TargetInfo; dryRun: boolean }>;

/** Runs the seeds that never ran or whose content changed. */
export async function seedWith(settings: Settings, base: Run, flags: { dryRun?: boolean } = {}): Promise<SeedReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const seeds = await readSeeds(settings);
  return withTarget(settings, reporter, { writes: true }, async (db) => {
    const result = await runSeedsOnly(db, reporter.onEvent, seeds, (seed) => () => seedParts(seed, settings.cwd), {
      dryRun: Boolean(flags.dryRun),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      lockRetries: settings.lockRetries,
      sessionSettings: settings.sessionSettings,
      onLockRetry: (message) => reporter.warn(message),
      dbkitVersion: DBKIT_VERSION,
    });
    return resultDoc("seed", { target: db.target, dryRun: Boolean(flags.dryRun), ...result }, warnings);
  });
}

/** Runs the seeds that are due, without migrating. */
export async function seed(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<SeedReport> {
  return withApiRun(options, (settings, run) => seedWith(settings, run, options));
}

export async function seedCommand({ settings, output, run }: CommandContext, flags: { dryRun?: boolean }): Promise<number> {
  const report = await seedWith(settings, run, flags);
  output.result(report, () => renderSeeds(report, report.dryRun, output.paint));
  return 0;
}
