/** `dbkit baseline --to <name>` and `dbkit import <tool>`: adopt a database built before dbkit. */
import { baselineWith, importWith } from "../api/adopt.js";
import { isTool, TOOLS } from "../core/other-tools.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./context.js";

export async function baselineCommand({ settings, output }: CommandContext, flags: { to?: string; dryRun?: boolean }): Promise<number> {
  if (!flags.to) throw new UsageError("DBKIT_USAGE", "baseline needs --to <migration>: the last migration the database already has", { hint: "dbkit baseline --to 20250120000000_nps_submissions" });
  const report = await baselineWith(settings, output, flags.to, Boolean(flags.dryRun));
  output.result(report, () => {
    if (report.recorded.length === 0) return "nothing to baseline: those migrations are already recorded";
    const verb = report.dryRun ? "would record" : "recorded";
    return `${verb} ${report.recorded.length} migration(s) as applied without running them:\n${report.recorded.map((n) => `  ${n}`).join("\n")}`;
  });
  return 0;
}

export async function importCommand({ settings, output }: CommandContext, source: string, flags: { dryRun?: boolean; table?: string }): Promise<number> {
  if (!isTool(source)) {
    throw new UsageError("DBKIT_USAGE", `cannot import from "${source}": dbkit reads the journal tables of ${Object.keys(TOOLS).join(", ")}`, { hint: "dbkit import dbmate --dry-run" });
  }
  if (flags.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(flags.table)) {
    throw new UsageError("DBKIT_USAGE", `--table ${flags.table}: give the table as schema.table`, { hint: "dbkit import dbmate --table app.schema_migrations" });
  }
  const report = await importWith(settings, output, source, { dryRun: Boolean(flags.dryRun), ...(flags.table ? { table: flags.table } : {}) });
  output.result(report, () =>
    [
      `${report.dryRun ? "would record" : "recorded"} ${report.recorded.length} migration(s) from ${TOOLS[report.tool].label}'s history (${report.table})`,
      ...report.recorded.map((n) => `  ${n}`),
      ...(report.filesWithoutVersion.length > 0 ? [`not in ${TOOLS[report.tool].label}'s history (pending): ${report.filesWithoutVersion.join(", ")}`] : []),
    ].join("\n"),
  );
  return 0;
}
