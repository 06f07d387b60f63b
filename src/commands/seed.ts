/** `dbkit seed`: run the seeds that are due, without migrating. */
import { seedWith } from "../api/seed.js";
import { renderSeeds } from "../output/render.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export async function seedCommand({ settings, output }: CommandContext, flags: { dryRun?: boolean }): Promise<number> {
  const report = await seedWith(settings, trackingProgress(output), flags);
  output.result(report, () => renderSeeds(report, report.dryRun, output.paint));
  return 0;
}
