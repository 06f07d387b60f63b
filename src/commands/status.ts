/** `dbkit status`: `--check` turns the verdict into an exit code. */
import { statusWith, type StatusFlags } from "../api/status.js";
import { ExitCode } from "../errors.js";
import { renderStatus } from "../output/render.js";
import { renderLintSection } from "../output/render-lint.js";
import type { CommandContext } from "./context.js";

export async function statusCommand({ settings, output }: CommandContext, flags: StatusFlags & { check?: boolean }): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await statusWith(settings, output, flags);
  // The lint section informs; the exit code stays status's own (--check: 6 for pending work).
  output.result(report, () => renderStatus(report, output.paint) + (report.lint ? `\n\n${renderLintSection(report.lint, output.paint)}` : ""));
  if (!flags.check) return ExitCode.ok;
  return report.drift ? ExitCode.drift : report.pending ? ExitCode.pending : ExitCode.ok;
}
