/** `dbkit migrate`: flags → API → output. */
import { migrateWith, type MigrateFlags } from "../api/migrate.js";
import { renderMigrate } from "../output/render.js";
import { renderLintSection } from "../output/render-lint.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { MigrateFlags };

export async function migrateCommand({ settings, output }: CommandContext, flags: MigrateFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await migrateWith(settings, trackingProgress(output), flags);
  output.result(report, () => renderMigrate(report, output.paint) + (report.lint ? `\n\n${renderLintSection(report.lint, output.paint)}` : ""));
  return 0;
}
