/** `dbkit resolve <name> --applied|--rolled-back|--accept-checksum`. */
import type { Settings } from "../config/load-config.js";
import type { Resolution } from "../engine/ports.js";
import { runAcceptChecksum, runResolve, type ResolveResult } from "../engine/resolve.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget, withTargetWhile } from "./shared/open-target.js";
import { readProject } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./shared/context.js";
import { Option } from "commander";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export type ResolveReport = ResultDoc<"resolve", ResolveResult>;

/**
 * Records how a failed or interrupted no-transaction migration was settled, or (accepted-checksum)
 * the new checksum of an applied file that was edited on purpose.
 */
export async function resolveWith(settings: Settings, base: Run, name: string, resolution: Resolution): Promise<ResolveReport> {
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
  return withApiRun(options, (settings, run) => resolveWith(settings, run, options.name, options.resolution));
}

export const command = defineCommand({
  declare: (program) =>
    program
      .command("resolve <name>")
      .description("record how a failed or interrupted no-transaction migration was settled")
      .addOption(new Option("--applied", "it was finished by hand: mark it applied").conflicts("rolledBack"))
      .option("--rolled-back", "it was undone: forget it so it runs again")
      .option("--accept-checksum", "an applied file was edited on purpose (reviewed): record its new checksum")
      .addHelpText("after", "\nExamples:\n  $ dbkit resolve 20250120_add_index --applied\n  $ dbkit resolve 20250120_add_index --accept-checksum\n"),
  input: lazySchema(() => z.object({ applied: z.optional(z.boolean()), rolledBack: z.optional(z.boolean()), acceptChecksum: z.optional(z.boolean()), args: z.tuple([z.string()]) })),
  run: (context, { args: [name], ...flags }) => resolveCommand(context, name, flags),
});

export interface ResolveFlags {
  applied?: boolean;
  rolledBack?: boolean;
  acceptChecksum?: boolean;
}

export async function resolveCommand({ settings, output, run }: CommandContext, name: string, flags: ResolveFlags): Promise<number> {
  if ([flags.applied, flags.rolledBack, flags.acceptChecksum].filter(Boolean).length !== 1) {
    throw new UsageError("DBKIT_USAGE", "resolve needs exactly one of --applied, --rolled-back or --accept-checksum", {
      hint: "--applied: you finished the migration by hand; --rolled-back: you undid it and it should run again; --accept-checksum: you edited an applied file on purpose",
    });
  }
  const resolution = flags.acceptChecksum ? "accepted-checksum" : flags.applied ? "applied" : "rolled-back";
  const report = await resolveWith(settings, run, name, resolution);
  output.result(report, () =>
    report.resolution === "accepted-checksum"
      ? `${report.name}: recorded its new checksum ${report.checksum?.slice(0, 12)} (was ${report.previousChecksum?.slice(0, 12)}); the change itself was not run`
      : report.resolution === "applied"
        ? `${report.name} marked as applied`
        : `${report.name} marked as rolled back: it will run again on the next migrate`,
  );
  return 0;
}
