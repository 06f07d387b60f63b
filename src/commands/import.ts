/** `dbkit import <tool>`: adopt a database another tool migrated, from that tool's journal table. */
import * as z from "zod/mini";
import type { Settings } from "../config/load-config.js";
import { runImport, type ImportResult } from "../engine/adopt.js";
import { isTool, TOOLS, type Tool } from "../core/other-tools.js";
import { readOtherHistory } from "../db/other-histories.js";
import { hasDrizzleJournal, readDrizzleJournal } from "../fs/drizzle-journal.js";
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
      .command("import <tool>")
      .description(
        "record the migrations another tool applied (its journal table) as applied: supabase, dbmate, golang-migrate, drizzle, postgres-migrations, flyway, graphile-migrate, prisma, node-pg-migrate, postgrator",
      )
      .option("--dry-run", "list what would be recorded and change nothing")
      .option("--table <schema.table>", "the tool's journal table, when it is not where the tool keeps it by default")
      .addHelpText("after", "\nExamples:\n  $ dbkit import supabase --dry-run\n  $ dbkit import dbmate\n  $ dbkit import golang-migrate --table app.schema_migrations\n"),
  input: lazySchema(() => z.object({ dryRun: z.optional(z.boolean()), table: z.optional(z.string()), args: z.tuple([z.string()]) })),
  run: (context, { args: [tool], ...flags }) => importCommand(context, tool, flags),
});

export type ImportReport = ResultDoc<"import", ImportResult & { target: TargetInfo }>;

/** Records the local files that another tool's journal table lists as applied. */
export async function importWith(settings: Settings, base: Run, tool: Tool, flags: { dryRun?: boolean; table?: string } = {}): Promise<ImportReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  const drizzleWhen = tool === "drizzle" && hasDrizzleJournal(settings.migrationsDir) ? new Map(readDrizzleJournal(settings.migrationsDir, settings.migrationsDir).map((e) => [e.tag, e.when])) : undefined;
  const dryRun = Boolean(flags.dryRun);
  return withTarget(settings, reporter, { writes: !dryRun }, async (db) => {
    const result = await runImport(db.journal, tool, () => db.session.run(() => readOtherHistory(db.session.sql, tool, flags.table)), files, dryRun, DBKIT_VERSION, drizzleWhen);
    for (const entry of result.versionsWithoutFile) reporter.warn(`${TOOLS[tool].label}'s history has ${entry}, but no local file matches it`);
    for (const name of result.changedSinceApplied) {
      reporter.warn(`${name} changed since ${TOOLS[tool].label} applied it (its checksum differs from the history's): recorded as it was applied, so migrate and status report it as changed until it is restored or accepted with dbkit resolve ${name} --accept-checksum`);
    }
    return resultDoc("import", { target: db.target, ...result }, warnings);
  });
}

/** Records the migrations the Supabase CLI applied as applied. */
export async function importSupabase(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<ImportReport> {
  return importHistory({ ...options, tool: "supabase" });
}

/** Records the migrations another tool's journal table lists as applied (`dbkit import <tool>`). */
export async function importHistory(options: DbkitOptions & { tool: Tool; dryRun?: boolean; table?: string }): Promise<ImportReport> {
  return withApiRun(options, (settings, run) => importWith(settings, run, options.tool, { dryRun: Boolean(options.dryRun), ...(options.table ? { table: options.table } : {}) }));
}

export async function importCommand({ settings, output, run }: CommandContext, source: string, flags: { dryRun?: boolean; table?: string }): Promise<number> {
  if (!isTool(source)) {
    throw new UsageError("DBKIT_USAGE", `cannot import from "${source}": dbkit reads the journal tables of ${Object.keys(TOOLS).join(", ")}`, { hint: "dbkit import dbmate --dry-run" });
  }
  if (flags.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(flags.table)) {
    throw new UsageError("DBKIT_USAGE", `--table ${flags.table}: give the table as schema.table`, { hint: "dbkit import dbmate --table app.schema_migrations" });
  }
  const report = await importWith(settings, run, source, { dryRun: Boolean(flags.dryRun), ...(flags.table ? { table: flags.table } : {}) });
  output.result(report, () =>
    [
      `${report.dryRun ? "would record" : "recorded"} ${report.recorded.length} migration(s) from ${TOOLS[report.tool].label}'s history (${report.table})`,
      ...report.recorded.map((n) => `  ${n}`),
      ...(report.filesWithoutVersion.length > 0 ? [`not in ${TOOLS[report.tool].label}'s history (pending): ${report.filesWithoutVersion.join(", ")}`] : []),
    ].join("\n"),
  );
  return 0;
}
