/** `dbkit baseline --to <name>` and `dbkit import supabase`: adopt a database built before dbkit. */
import { baselineWith, importSupabaseWith } from "../api/adopt.js";
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

export async function importCommand({ settings, output }: CommandContext, source: string, flags: { dryRun?: boolean }): Promise<number> {
  if (source !== "supabase") throw new UsageError("DBKIT_USAGE", `cannot import from "${source}": dbkit imports the Supabase CLI's history`, { hint: "dbkit import supabase" });
  const report = await importSupabaseWith(settings, output, Boolean(flags.dryRun));
  output.result(report, () =>
    [
      `${report.dryRun ? "would record" : "recorded"} ${report.recorded.length} migration(s) from the Supabase CLI's history`,
      ...report.recorded.map((n) => `  ${n}`),
      ...(report.filesWithoutVersion.length > 0 ? [`not in the Supabase history (pending): ${report.filesWithoutVersion.join(", ")}`] : []),
    ].join("\n"),
  );
  return 0;
}
