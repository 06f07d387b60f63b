/** `dbkit redo`: rebuild a local database to before the newest migration and apply it again. */
import { redoWith, type RedoFlags } from "../api/redo.js";
import { renderMigrate } from "../output/render.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { RedoFlags };

export async function redoCommand({ settings, output }: CommandContext, flags: RedoFlags): Promise<number> {
  const report = await redoWith(settings, trackingProgress(output), flags);
  output.result(report, () => `redo: rebuilt ${report.rebuiltTo ? `up to ${report.rebuiltTo}` : "from nothing"}, then applied ${report.redone} as it is now\n${renderMigrate(report.migrate, output.paint)}`);
  return 0;
}
