/** `dbkit migrate`: flags → API → output. */
import { migrateWith, type MigrateFlags } from "../api/migrate.js";
import { renderMigrate } from "../output/render.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { MigrateFlags };

export async function migrateCommand({ settings, output }: CommandContext, flags: MigrateFlags): Promise<number> {
  const report = await migrateWith(settings, trackingProgress(output), flags);
  output.result(report, () => renderMigrate(report, output.paint));
  return 0;
}
