/** `dbkit down [--to <version> | --steps N]`: flags → API → output. */
import { downWith, type DownFlags } from "../api/down.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { DownFlags };

export async function downCommand({ settings, output }: CommandContext, flags: DownFlags): Promise<number> {
  const report = await downWith(settings, trackingProgress(output), flags);
  output.result(report, () => {
    if (report.planned.length === 0) return "nothing to revert";
    if (report.dryRun) return `dry run: would revert ${report.planned.length} migration(s), newest first; nothing was changed\n${report.planned.map((step) => `  ${step.name}  ${output.paint.dim(`(${step.down})`)}`).join("\n")}`;
    return output.paint.bold(`reverted ${report.reverted.length} migration(s): ${report.reverted.map((step) => step.name).join(", ")}`);
  });
  return 0;
}
