/** `dbkit lint`: what the pending migrations lock, rewrite and drop, measured in a scratch database; exit 5 on failing findings. */
import { lintWith, type LintFlags } from "../api/lint.js";
import { ExitCode, UsageError } from "../errors.js";
import { renderLint, renderLintGithub } from "../output/render-lint.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export interface LintCommandFlags extends LintFlags {
  format?: string;
}

export async function lintCommand({ settings, output }: CommandContext, flags: LintCommandFlags): Promise<number> {
  const format = flags.format ?? "human";
  if (format !== "human" && format !== "github") throw new UsageError("DBKIT_USAGE", `--format ${format}: use human or github`);
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await lintWith(settings, trackingProgress(output), flags);
  output.result(report, () => (format === "github" ? renderLintGithub(report) : renderLint(report, output.paint)));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
