/** `dbkit status`: `--check` turns the verdict into an exit code. */
import { statusWith } from "../api/status.js";
import { ExitCode } from "../errors.js";
import { renderStatus } from "../output/render.js";
import type { CommandContext } from "./context.js";

export async function statusCommand({ settings, output }: CommandContext, flags: { check?: boolean }): Promise<number> {
  const report = await statusWith(settings, output);
  output.result(report, () => renderStatus(report, output.paint));
  if (!flags.check) return ExitCode.ok;
  return report.drift ? ExitCode.drift : report.pending ? ExitCode.pending : ExitCode.ok;
}
