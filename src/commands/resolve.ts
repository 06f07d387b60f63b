/** `dbkit resolve <name> --applied|--rolled-back|--accept-checksum`. */
import { resolveWith } from "../api/resolve.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./context.js";

export interface ResolveFlags {
  applied?: boolean;
  rolledBack?: boolean;
  acceptChecksum?: boolean;
}

export async function resolveCommand({ settings, output }: CommandContext, name: string, flags: ResolveFlags): Promise<number> {
  if ([flags.applied, flags.rolledBack, flags.acceptChecksum].filter(Boolean).length !== 1) {
    throw new UsageError("DBKIT_USAGE", "resolve needs exactly one of --applied, --rolled-back or --accept-checksum", {
      hint: "--applied: you finished the migration by hand; --rolled-back: you undid it and it should run again; --accept-checksum: you edited an applied file on purpose",
    });
  }
  const resolution = flags.acceptChecksum ? "accepted-checksum" : flags.applied ? "applied" : "rolled-back";
  const report = await resolveWith(settings, output, name, resolution);
  output.result(report, () =>
    report.resolution === "accepted-checksum"
      ? `${report.name}: recorded its new checksum ${report.checksum?.slice(0, 12)} (was ${report.previousChecksum?.slice(0, 12)}); the change itself was not run`
      : report.resolution === "applied"
        ? `${report.name} marked as applied`
        : `${report.name} marked as rolled back: it will run again on the next migrate`,
  );
  return 0;
}
