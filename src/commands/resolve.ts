/** `dbkit resolve <name> --applied|--rolled-back`. */
import { resolveWith } from "../api/resolve.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./context.js";

export async function resolveCommand({ settings, output }: CommandContext, name: string, flags: { applied?: boolean; rolledBack?: boolean }): Promise<number> {
  if (Boolean(flags.applied) === Boolean(flags.rolledBack)) {
    throw new UsageError("DBKIT_USAGE", "resolve needs exactly one of --applied or --rolled-back", {
      hint: "--applied: you finished the migration by hand; --rolled-back: you undid it and it should run again",
    });
  }
  const report = await resolveWith(settings, output, name, flags.applied ? "applied" : "rolled-back");
  output.result(report, () => (report.resolution === "applied" ? `${report.name} marked as applied` : `${report.name} marked as rolled back: it will run again on the next migrate`));
  return 0;
}
